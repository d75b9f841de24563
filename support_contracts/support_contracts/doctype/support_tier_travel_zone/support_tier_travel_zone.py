# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportTierTravelZone(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		fee: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		urgent_fee: DF.Currency
		zone: DF.Data
		zone_name: DF.Data | None
	# end: auto-generated types
	pass
