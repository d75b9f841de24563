# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SLATransition(Document):
	"""A warning, breach or escalation of an Issue, recorded exactly once (see adapters/enforcement.py)."""

	def autoname(self):
		due = f"|{self.due}" if self.due else ""
		self.name = f"{self.issue}|{self.transition}{due}"
