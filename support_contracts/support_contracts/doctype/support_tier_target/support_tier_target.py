# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportTierTarget(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		business_days: DF.Int
		calendar: DF.Link | None
		duration: DF.Duration | None
		metric: DF.Literal["First Response", "Action Start", "Resolution"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		priority: DF.Link
		target_kind: DF.Literal["Business Time", "Wall Clock", "From Next Opening", "Business Days", "None"]
	# end: auto-generated types
	pass
