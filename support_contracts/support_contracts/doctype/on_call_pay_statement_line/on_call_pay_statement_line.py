# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class OnCallPayStatementLine(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		additional_salary: DF.Data | None
		amount: DF.Currency
		currency: DF.Link | None
		description: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quantity: DF.Float
		rate: DF.Currency
		salary_component: DF.Data | None
		sources: DF.SmallText | None
		unit: DF.Data | None
		why: DF.SmallText | None
		work_month: DF.Data | None
	# end: auto-generated types

	pass
