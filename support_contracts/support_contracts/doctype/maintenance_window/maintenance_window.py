# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_contracts.adapters import maintenance


class MaintenanceWindow(Document):
	"""A planned maintenance window of a contract's service (docs/rules.md E4); the rule is the engine's."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		announced: DF.Check
		customer: DF.Link | None
		description: DF.SmallText | None
		end: DF.Datetime
		naming_series: DF.Literal["MW-.YYYY.-"]
		start: DF.Datetime
		support_contract: DF.Link
	# end: auto-generated types

	def validate(self):
		maintenance.check(self)

	def after_insert(self):
		maintenance.announce(self)

	def on_update(self):
		maintenance.reclock(self)

	def after_delete(self):
		maintenance.reclock(self)
