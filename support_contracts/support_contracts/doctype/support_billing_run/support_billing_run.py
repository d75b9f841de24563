# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import getdate, today

from support_contracts.adapters import billing, runs
from support_contracts.adapters.settings import setting
from support_contracts.support_contracts.doctype.run_document import RunDocument


class SupportBillingRun(RunDocument):
	"""The monthly invoicing run (like HRMS's Payroll Entry): Preview, then Create Invoices — one Sales
	Invoice per contract and billing month, exactly once (``adapters/billing/``); Resume when its jobs
	were lost (``adapters/runs.py``)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.support_billing_run_result.support_billing_run_result import (
			SupportBillingRunResult,
		)

		billing_month: DF.Date
		company: DF.Link
		customer: DF.Link | None
		jobs: DF.SmallText | None
		last_progress: DF.Datetime | None
		posting_date: DF.Date
		progress: DF.Percent
		results: DF.Table[SupportBillingRunResult]
		status: DF.Literal[
			"Draft", "Queued", "In Progress", "Interrupted", "Completed", "Completed with Errors", "Failed"
		]
		tier: DF.Link | None
	# end: auto-generated types

	chunk_method = billing.run_chunk
	unit_key = billing.unit_key

	def before_validate(self):
		runs.default_date(self, "billing_month", "posting_date")

	def validate(self):
		self.billing_month = getdate(self.billing_month).replace(day=1)
		runs.check_period(self, "billing_month", "posting_date")
		if self.is_new():
			self.status, self.progress = "Draft", 0
			self.results = []

	def units(self) -> list[dict]:
		"""The contracts the run bills, then the customers without one (``name`` None)."""
		return billing.units_to_bill(
			*billing.month_of(self.billing_month), self.tier, self.customer, self.company
		)

	contracts = units

	@staticmethod
	def chunk_kwargs(chunk: list[dict]) -> dict:
		return {
			"contracts": [u["name"] for u in chunk if u["name"]],
			"customers": [u["customer"] for u in chunk if not u["name"]],
		}

	def check_start_permission(self) -> None:
		super().check_start_permission()
		frappe.has_permission("Sales Invoice", "create", throw=True)

	@frappe.whitelist()
	def preview(self) -> list[dict]:
		"""Every contract's lines and their why, or what Create would report instead; nothing saved."""
		self.check_permission("read")
		return billing.preview(*billing.month_of(self.billing_month), self.units())

	@frappe.whitelist()
	def create_invoices(self) -> str:
		"""Start the run (again: its earlier results cleared): chunks of contracts on the long queue (run at
		once in tests)."""
		return self.start_run()


def scheduled_run():
	"""Daily: on the day of the month Support Contract Settings name, create and start the month's run
	(once: a run for the month that exists already is not made again)."""
	day, company = int(setting("billing_day") or 0), setting("billing_company")
	if not day or not company or getdate(today()).day != day:
		return
	month = getdate(today()).replace(day=1)
	if frappe.db.exists("Support Billing Run", {"billing_month": month, "company": company}):
		return
	run = frappe.get_doc(
		{
			"doctype": "Support Billing Run",
			"company": company,
			"billing_month": month,
			"posting_date": today(),
		}
	).insert(ignore_permissions=True)
	run.create_invoices()
