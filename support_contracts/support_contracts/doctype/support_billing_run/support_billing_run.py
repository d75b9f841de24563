# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from support_contracts.adapters import billing, runs
from support_contracts.adapters.settings import setting


class SupportBillingRun(Document):
	"""The monthly invoicing run (like HRMS's Payroll Entry): Preview, then Create Invoices — one Sales
	Invoice per contract and billing month, exactly once (``adapters/billing.py``); Resume when its jobs
	were lost (``adapters/runs.py``)."""

	def before_validate(self):
		runs.default_date(self, "billing_month", "posting_date")

	def validate(self):
		self.billing_month = getdate(self.billing_month).replace(day=1)
		runs.check_period(self, "billing_month", "posting_date")
		if self.is_new():
			self.status, self.progress = "Draft", 0
			self.results = []

	def contracts(self) -> list[dict]:
		"""The contracts the run bills, then the customers without one (``name`` None)."""
		return billing.units_to_bill(
			*billing.month_of(self.billing_month), self.tier, self.customer, self.company
		)

	@frappe.whitelist()
	def preview(self) -> list[dict]:
		"""Every contract's lines and their why, or what Create would report instead; nothing saved."""
		self.check_permission("read")
		return billing.preview(*billing.month_of(self.billing_month), self.contracts())

	@frappe.whitelist()
	def create_invoices(self) -> str:
		"""Start the run (again: its earlier results cleared): chunks of contracts on the long queue (run at
		once in tests)."""
		self.check_permission("write")
		frappe.has_permission("Sales Invoice", "create", throw=True)
		if self.status in runs.RUNNING and not runs.mark_interrupted(self.doctype, self.name):
			frappe.throw(_("This run is already {0}.").format(_(self.status)), title=_("Run Started"))
		self.queue_chunks(now=bool(frappe.flags.in_test))
		return frappe.db.get_value(self.doctype, self.name, "status")

	def queue_chunks(self, now: bool = False) -> int:
		"""The run's contracts, and customers without one, on the long queue in chunks, its earlier results
		cleared; returns how many chunks."""
		return runs.start(self, self.contracts(), billing.run_chunk, self.chunk_kwargs, now=now)

	@frappe.whitelist()
	def resume(self) -> str:
		"""Finish an Interrupted run: only the contracts without a result are queued."""
		self.check_permission("write")
		frappe.has_permission("Sales Invoice", "create", throw=True)
		return self.resume_units()

	@frappe.whitelist()
	def check_interrupted(self) -> bool:
		"""Whether the run, Queued or In Progress, has lost its jobs and is now Interrupted."""
		self.check_permission("read")
		return runs.mark_interrupted(self.doctype, self.name)

	def resume_units(self) -> str:
		if not runs.mark_interrupted(self.doctype, self.name):
			frappe.throw(
				_("Only an Interrupted run is resumed; this one is {0}.").format(_(self.status)),
				title=_("Not Interrupted"),
			)
		runs.resume(
			self,
			self.contracts(),
			billing.unit_key,
			billing.run_chunk,
			self.chunk_kwargs,
			now=bool(frappe.flags.in_test),
		)
		return frappe.db.get_value(self.doctype, self.name, "status")

	@staticmethod
	def chunk_kwargs(chunk: list[dict]) -> dict:
		return {
			"contracts": [u["name"] for u in chunk if u["name"]],
			"customers": [u["customer"] for u in chunk if not u["name"]],
		}


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
