# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters.payroll import hrms
from support_contracts.adapters.payroll import run as payroll_run


class OnCallPayStatement(Document):
	"""An employee's on-call pay of one payroll month, every line explained; written and submitted by the
	On-Call Pay Run (``adapters/payroll/``), never typed in."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.on_call_pay_statement_line.on_call_pay_statement_line import (
			OnCallPayStatementLine,
		)

		amended_from: DF.Link | None
		company: DF.Link
		currency: DF.Link | None
		employee: DF.Link
		employee_name: DF.Data | None
		lines: DF.Table[OnCallPayStatementLine]
		pay_key: DF.Data | None
		pay_run: DF.Link | None
		payroll_date: DF.Date | None
		payroll_month: DF.Date
		payroll_period: DF.Data | None
		summary: DF.SmallText | None
		total: DF.Currency
	# end: auto-generated types

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
		hrms.to_payroll(self)

	def on_cancel(self):
		payroll_run.release(self)
