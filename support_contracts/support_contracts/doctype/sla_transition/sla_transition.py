# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from support_contracts.permissions import AppendOnlyLedger


class SLATransition(AppendOnlyLedger):
	"""A warning, breach or escalation of an Issue, recorded exactly once (see adapters/enforcement.py);
	append-only like the clock ledger."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		at: DF.Datetime | None
		due: DF.Datetime | None
		escalation_level: DF.Data | None
		issue: DF.DynamicLink
		notified: DF.SmallText | None
		ticket_type: DF.Link
		transition: DF.Literal["Warning", "Breached", "Escalated to Manager"]
	# end: auto-generated types

	def autoname(self):
		due = f"|{self.due}" if self.due else ""
		self.name = f"{self.issue}|{self.transition}{due}"
