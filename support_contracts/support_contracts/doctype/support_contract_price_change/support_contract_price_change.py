# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from support_contracts.permissions import AppendOnlyLedger


class SupportContractPriceChange(AppendOnlyLedger):
	"""A contract's prices from a renewal on (docs/rules.md F3), written once by ``adapters/renewals.py`` through
	``adapters/prices.py`` (its key is unique); never changed."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.support_contract_price_change_line.support_contract_price_change_line import (
			SupportContractPriceChangeLine,
		)

		applied_percent: DF.Float
		base_period: DF.Data | None
		cap_percent: DF.Data | None
		change_key: DF.Data | None
		change_percent: DF.Float
		customer: DF.Link | None
		explanation: DF.SmallText | None
		floor_percent: DF.Data | None
		now_period: DF.Data | None
		now_value: DF.Float
		price_index: DF.Link | None
		prices: DF.Table[SupportContractPriceChangeLine]
		rounding: DF.Data | None
		support_contract: DF.Link
		then_period: DF.Data | None
		then_value: DF.Float
		valid_from: DF.Date
	# end: auto-generated types
