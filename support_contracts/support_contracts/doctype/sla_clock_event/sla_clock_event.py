# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_contracts.permissions import refuse_ledger_change


class SLAClockEvent(Document):
	"""One event of a governed Issue's SLA clock; the ledger is append-only and replayed by the engine."""

	def validate(self):
		if not self.is_new():
			refuse_ledger_change(self)

	def on_trash(self):
		refuse_ledger_change(self)

	def before_rename(self, old, new, merge=False):
		refuse_ledger_change(self)
