# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters import payroll


class OnCallPayStatement(Document):
	"""An employee's on-call pay of one payroll month, every line explained; written and submitted by the
	On-Call Pay Run (``adapters/payroll.py``), never typed in."""

	def validate(self):
		# only the run writes statements; a coordinator's or HR's write permission is there for cancel,
		# which Frappe checks as a write
		if not self.flags.ignore_permissions:
			frappe.throw(
				_("Pay statements are made by the On-Call Pay Run."),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)

	def on_submit(self):
		payroll.to_payroll(self)

	def on_cancel(self):
		payroll.release(self)
