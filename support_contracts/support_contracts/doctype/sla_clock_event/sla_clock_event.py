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

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		at: DF.Datetime
		event: DF.Literal[
			"created",
			"priority_changed",
			"paused",
			"resumed",
			"responded",
			"action_started",
			"resolved",
			"reopened",
			"outside_area",
			"inside_area",
			"signoff_requested",
			"signoff_given",
			"signoff_refused",
			"escalated",
		]
		issue: DF.DynamicLink
		note: DF.SmallText | None
		priority: DF.Data | None
		source: DF.Data | None
		ticket_type: DF.Link
	# end: auto-generated types

	def before_insert(self):
		frappe.throw(
			_(
				"The SLA clock's events are recorded from what happens to the Issue; they cannot be added by hand."
			),
			frappe.PermissionError,
		)
