# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_contracts.adapters import prices


class PriceIndex(Document):
	"""A price index as published (docs/rules.md F3): its values checked, values pasted from the publisher's CSV read in (``adapters/prices.py``)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.price_index_value.price_index_value import (
			PriceIndexValue,
		)

		frequency: DF.Literal["Monthly", "Yearly"]
		import_values: DF.LongText | None
		index_name: DF.Data
		source: DF.Data | None
		values: DF.Table[PriceIndexValue]
	# end: auto-generated types

	def validate(self):
		prices.check_index(self)
