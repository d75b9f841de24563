# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _

from support_contracts.permissions import AppendOnlyLedger


class SLAClockEvent(AppendOnlyLedger):
	"""One event of a governed Issue's SLA clock; the ledger is append-only and replayed by the engine.
	Only the Issue adapter appends to it (``adapters/issue.append_events``, in SQL, from what happened to
	the Issue): a row inserted by hand, even by a System Manager, could put an event before the Issue's
	creation, and no clock could replay that ledger again."""

	def before_insert(self):
		frappe.throw(
			_(
				"The SLA clock's events are recorded from what happens to the Issue; they cannot be added by hand."
			),
			frappe.PermissionError,
		)
