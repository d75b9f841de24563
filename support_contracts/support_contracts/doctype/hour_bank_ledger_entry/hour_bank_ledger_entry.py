# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from support_contracts.permissions import AppendOnlyLedger


class HourBankLedgerEntry(AppendOnlyLedger):
	"""One movement of a contract's hour bank (docs/rules.md B2), written by the invoicing run
	(``adapters/billing/``); append-only. A cancelled invoice marks its rows cancelled, it never edits
	or deletes them."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		billing_month: DF.Data | None
		customer: DF.Link | None
		entry_type: DF.Literal["Allocation", "Consumption", "Expiry", "Carry Over"]
		explanation: DF.SmallText | None
		is_cancelled: DF.Check
		issue: DF.DynamicLink | None
		minutes: DF.Int
		period: DF.Data
		posting_date: DF.Date | None
		sales_invoice: DF.Link | None
		support_contract: DF.Link
		ticket_type: DF.Link | None
		time_entry: DF.Data | None
		work_kind: DF.Data | None
		worked_at: DF.Datetime | None
	# end: auto-generated types
