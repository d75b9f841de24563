# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportBillingRunResult(Document):
	"""What a Support Billing Run did for one contract: its invoice, nothing to bill, or the error."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		currency: DF.Link | None
		customer: DF.Link | None
		message: DF.SmallText | None
		outcome: DF.Literal["Invoiced", "Already Billed", "Nothing to Bill", "Not Billed", "Error"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		sales_invoice: DF.Link | None
		support_contract: DF.Link | None
	# end: auto-generated types
