# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from support_contracts.adapters import maintenance


class MaintenanceWindow(Document):
	"""A planned maintenance window of a contract's service (docs/rules.md E4); the rule is the engine's."""

	def validate(self):
		maintenance.check(self)

	def after_insert(self):
		maintenance.announce(self)

	def on_update(self):
		maintenance.reclock(self)

	def after_delete(self):
		maintenance.reclock(self)
