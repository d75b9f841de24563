# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_contracts.permissions import refuse_ledger_change


class SLATransition(Document):
	"""A warning, breach or escalation of an Issue, recorded exactly once (see adapters/enforcement.py);
	append-only like the clock ledger."""

	def autoname(self):
		due = f"|{self.due}" if self.due else ""
		self.name = f"{self.issue}|{self.transition}{due}"

	def validate(self):
		if not self.is_new():
			refuse_ledger_change(self)

	def on_trash(self):
		refuse_ledger_change(self)

	def before_rename(self, old, new, merge=False):
		refuse_ledger_change(self)
