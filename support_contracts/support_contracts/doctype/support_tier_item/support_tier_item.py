# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportTierItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		item: DF.Link
		line: DF.Literal[
			"SUPPORT-FEE",
			"SUPPORT-PHONE",
			"SUPPORT-REMOTE",
			"SUPPORT-ON-SITE",
			"SUPPORT-TRAVEL",
			"INCIDENT-FEE",
			"HOUR-BANK",
			"TRAVEL",
			"SLA-CREDIT",
		]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	pass
