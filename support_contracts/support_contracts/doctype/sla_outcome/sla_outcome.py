# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SLAOutcome(Document):
	"""One target of a governed Issue as it stands (adapters/issue.record_outcomes): a projection of the
	SLA Clock Event ledger that the reports read, kept after resolution. Nobody writes it by hand (no role
	may create or write it)."""

	def autoname(self):
		# one row per Issue and metric: a second insert for the same pair is refused by the primary key
		self.name = f"{self.issue}|{self.metric}"
