# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import get_last_day, getdate, today

from support_contracts.adapters import payroll, runs
from support_contracts.adapters.payroll import hrms
from support_contracts.adapters.settings import setting
from support_contracts.support_contracts.doctype.run_document import RunDocument


class OnCallPayRun(RunDocument):
	"""The monthly on-call pay run (like HRMS's Payroll Entry): Preview, then Create — a pay statement per
	employee and month and, with HRMS, its Additional Salaries, exactly once (``adapters/payroll/``);
	Resume when its jobs were lost (``adapters/runs.py``)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.on_call_pay_run_result.on_call_pay_run_result import (
			OnCallPayRunResult,
		)

		company: DF.Link
		jobs: DF.SmallText | None
		last_progress: DF.Datetime | None
		payroll_date: DF.Date | None
		payroll_month: DF.Date
		progress: DF.Percent
		results: DF.Table[OnCallPayRunResult]
		status: DF.Literal[
			"Draft", "Queued", "In Progress", "Interrupted", "Completed", "Completed with Errors", "Failed"
		]
	# end: auto-generated types

	chunk_method = payroll.run_chunk
	unit_key = payroll.unit_key

	def before_validate(self):
		if self.payroll_month:
			runs.default_date(
				self,
				"payroll_month",
				"payroll_date",
				before=0,
				after=3,
				default=get_last_day(self.payroll_month),
			)

	def validate(self):
		self.payroll_month = getdate(self.payroll_month).replace(day=1)
		runs.check_period(self, "payroll_month", "payroll_date", before=0, after=3)
		if self.is_new():
			self.status, self.progress = "Draft", 0
			self.results = []

	def units(self) -> list[dict]:
		d = getdate(self.payroll_month)
		return payroll.employees_to_pay(self.company, d.year, d.month)

	employees = units

	@staticmethod
	def chunk_kwargs(chunk: list[dict]) -> dict:
		return {"employees": [e["name"] for e in chunk]}

	@frappe.whitelist()
	def preview(self) -> list[dict]:
		"""Every employee's lines and their why, or what Create would report instead; nothing saved."""
		self.check_permission("read")
		d = getdate(self.payroll_month)
		return payroll.preview(self.company, d.year, d.month, self.units())

	@frappe.whitelist()
	def create_statements(self) -> str:
		"""Start the run (again: its earlier results cleared): chunks of employees on the long queue (run at
		once in tests)."""
		status = self.start_run()
		self.tell_statements_only()
		return status

	@frappe.whitelist()
	def resume(self) -> str:
		status = super().resume()
		self.tell_statements_only()
		return status

	def tell_statements_only(self) -> None:
		if not hrms.hrms_installed():
			frappe.msgprint(
				_(
					"HRMS is not installed: the run makes pay statements only, no Additional Salary. Export them as CSV for your payroll."
				),
				title=_("Statements Only"),
			)


def scheduled_run():
	"""Daily: on the day of the month Support Contract Settings name, create and start the On-Call Pay Run
	of the month (once per company and month)."""
	day, company = int(setting("pay_day") or 0), setting("pay_company")
	if not day or not company or getdate(today()).day != day:
		return
	month = getdate(today()).replace(day=1)
	if frappe.db.exists("On-Call Pay Run", {"payroll_month": month, "company": company}):
		return
	run = frappe.get_doc({"doctype": "On-Call Pay Run", "company": company, "payroll_month": month}).insert(
		ignore_permissions=True
	)
	run.create_statements()
