# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from support_contracts.permissions import AppendOnlyLedger


class HourBankWarning(AppendOnlyLedger):
	"""A contract's hour bank reached one of its tier's percentages in a period (docs/rules.md F2), and
	who was told: written once by ``adapters/billing/bank_warnings.py`` (its key is unique); never changed."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		allotted_minutes: DF.Int
		customer: DF.Link | None
		percent: DF.Int
		period: DF.Data
		reached_by: DF.Literal["Logged Work", "Billed Work"]
		recipients: DF.SmallText | None
		support_contract: DF.Link
		used_minutes: DF.Int
		warning_key: DF.Data | None
	# end: auto-generated types
