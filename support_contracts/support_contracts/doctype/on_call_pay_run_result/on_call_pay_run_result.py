# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class OnCallPayRunResult(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		currency: DF.Link | None
		employee: DF.Link | None
		employee_name: DF.Data | None
		message: DF.SmallText | None
		outcome: DF.Literal["Paid", "Statement Only", "Already Paid", "Nothing to Pay", "Error"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		statement: DF.Link | None
	# end: auto-generated types

	pass
