# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportContractPriceChangeLine(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		new_price: DF.Currency
		old_price: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		price: DF.Literal[
			"Monthly Fee", "Hourly Rate", "After-Hours Rate", "Incident Fee", "Monitoring Unit Price"
		]
	# end: auto-generated types
	pass
