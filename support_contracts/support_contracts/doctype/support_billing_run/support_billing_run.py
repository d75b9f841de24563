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
	Invoice per contract and billing month, exactly once (``adapters/billing.py``)."""

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
		"""Every contract's lines and their why, nothing saved."""
		self.check_permission("read")
		return billing.preview(*billing.month_of(self.billing_month), self.contracts())

	@frappe.whitelist()
	def create_invoices(self) -> str:
		"""Queue the run: chunks of contracts on the long queue (run at once in tests)."""
		self.check_permission("write")
		frappe.has_permission("Sales Invoice", "create", throw=True)
		if self.status in ("Queued", "In Progress"):
			frappe.throw(_("This run is already {0}.").format(_(self.status)), title=_("Run Started"))
		self.queue_chunks(now=bool(frappe.flags.in_test))
		return self.status

	def queue_chunks(self, now: bool = False) -> int:
		"""The run's contracts, and customers without one, on the long queue in chunks; returns how many."""
		return runs.queue_chunks(
			self,
			self.contracts(),
			billing.run_chunk,
			lambda chunk: {
				"contracts": [u["name"] for u in chunk if u["name"]],
				"customers": [u["customer"] for u in chunk if not u["name"]],
			},
			now=now,
		)


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
