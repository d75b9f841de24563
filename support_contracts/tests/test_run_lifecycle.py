"""Runs that end, and set-up that runs clean (issue 29 points 3 and 4): a run whose worker was killed —
really, with SIGKILL, process group and all — becomes Interrupted once its jobs are gone and it has made no
progress, and Resume (or the daily scheduler) bills only the contracts without a result; a run started again
begins with no results; Preview says what Create will do; customers with work but no contract are listed,
never left out in silence; the Posting Date defaults to one the run accepts."""

import os
import signal
import subprocess

import psutil

import frappe
from frappe.utils import add_to_date, get_bench_path, now_datetime, today
from frappe.utils.background_jobs import get_job

from support_contracts.adapters import billing, payroll, runs
from support_contracts.tests.factories import (
	bench_process,
	make_customer,
	wait_until,
)
from support_contracts.tests.test_billing import BillingCase, company
from support_contracts.tests.test_payroll import PayCase


def results(run: str) -> list[dict]:
	frappe.db.rollback()  # a fresh snapshot
	return frappe.get_all(
		"Support Billing Run Result", filters={"parent": run}, fields=["support_contract", "outcome"]
	)


class TestInterrupted(BillingCase):
	def tearDown(self):
		frappe.db.rollback()
		frappe.db.set_single_value("Support Contract Settings", "run_stalled_after", 30)
		frappe.db.commit()
		super().tearDown()

	def worker(self, log: str) -> subprocess.Popen:
		"""A real ``frappe worker`` on the long queue, listening before it returns."""
		path = os.path.join(get_bench_path(), "logs", log)
		out = open(path, "w")
		proc = bench_process("worker", "--queue", "long", stdout=out, stderr=subprocess.STDOUT)
		wait_until(lambda: "Listening on" in open(path).read(), 60, "the worker to listen")
		return proc

	def test_a_run_whose_worker_was_killed_is_interrupted_and_resumed(self):
		tier, names = self.fee_only_contracts(60, "Killed")
		run = frappe.get_doc("Support Billing Run", self.billing_run(tier))
		frappe.db.set_single_value("Support Contract Settings", "run_stalled_after", 1)
		frappe.db.commit()

		first = self.worker("sc-test-killed-worker.log")
		self.assertEqual(run.queue_chunks(), 3)
		frappe.db.commit()  # the jobs are pushed after the commit
		wait_until(lambda: len(results(run.name)) >= 1, 120, "the worker to bill one contract", 0.05)
		# the worker and the work horse it forked for the job (RQ puts the horse in a session of its own)
		for proc in [*psutil.Process(first.pid).children(recursive=True), psutil.Process(first.pid)]:
			proc.send_signal(signal.SIGKILL)
		first.wait(timeout=30)
		done = len(results(run.name))
		self.assertLess(done, 60, "the worker finished before it was killed: nothing was tested")

		# its two other jobs wait in the queue: the run goes on when a worker comes
		self.assertFalse(runs.mark_interrupted(run.doctype, run.name))
		second = self.worker("sc-test-second-worker.log")
		try:
			wait_until(lambda: len(results(run.name)) >= done + 35, 300, "the queued jobs to run")
			# the killed job's contracts have no result: the run stays In Progress, and refuses to start
			frappe.db.rollback()
			self.assertEqual(frappe.db.get_value(run.doctype, run.name, "status"), "In Progress")
			with self.assertRaisesRegex(frappe.ValidationError, "already In Progress"):
				frappe.get_doc(run.doctype, run.name).create_invoices()
			# until its jobs are gone and it made no progress for the setting's minute: Interrupted
			wait_until(
				lambda: (frappe.db.rollback(), runs.mark_interrupted(run.doctype, run.name))[1],
				240,
				"the run to be interrupted",
				5,
			)
			frappe.db.commit()
			left = 60 - len(results(run.name))
			self.assertGreater(left, 0)
			# Resume: only the contracts without a result, by the worker
			doc = frappe.get_doc(run.doctype, run.name)
			frappe.flags.in_test = False  # queue for the worker, as in the Desk
			try:
				doc.resume()
			finally:
				frappe.flags.in_test = True
			frappe.db.commit()
			wait_until(lambda: len(results(run.name)) == 60, 300, "the resumed run")
		finally:
			second.send_signal(signal.SIGTERM)
			second.wait(timeout=60)
		frappe.db.rollback()
		for c in names:
			self.assertEqual(len(self.invoices(c)), 1, c)
		outcomes = [r.outcome for r in results(run.name)]
		self.assertEqual(outcomes.count(billing.INVOICED), 60, outcomes)
		self.assertEqual(frappe.db.get_value(run.doctype, run.name, "status"), "Completed")

	def test_the_daily_scheduler_resumes_an_interrupted_run(self):
		tier, names = self.fee_only_contracts(3, "Daily")
		run = self.billing_run(tier)
		billing.run_chunk(run, names[:1])  # a first job ran, the others were lost
		frappe.db.set_value(
			"Support Billing Run",
			run,
			{
				"status": "In Progress",
				"jobs": "support_billing_run-gone-0",
				"last_progress": add_to_date(now_datetime(), hours=-2),
			},
		)
		frappe.db.commit()
		runs.look_after_runs()
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("Support Billing Run", run, "status"), "Completed")
		self.assertEqual(sorted(r.outcome for r in results(run)), [billing.INVOICED] * 3)
		for c in names:
			self.assertEqual(len(self.invoices(c)), 1, c)

	def test_a_run_with_recent_progress_is_not_interrupted(self):
		tier, _names = self.fee_only_contracts(2, "Busy")
		run = self.billing_run(tier)
		frappe.db.set_value(
			"Support Billing Run", run, {"status": "In Progress", "last_progress": now_datetime()}
		)
		frappe.db.commit()
		self.assertFalse(runs.mark_interrupted("Support Billing Run", run))
		with self.assertRaisesRegex(frappe.ValidationError, "Only an Interrupted run is resumed"):
			frappe.get_doc("Support Billing Run", run).resume()


class TestStartAgain(BillingCase):
	def test_starting_a_run_again_clears_its_results_first(self):
		tier, names = self.fee_only_contracts(3, "Again")
		run = frappe.get_doc("Support Billing Run", self.billing_run(tier))
		run.create_invoices()
		frappe.db.commit()
		self.assertEqual(len(results(run.name)), 3)
		run.reload()
		run.queue_chunks(now=False)  # queued, no worker has taken it yet
		frappe.db.commit()
		self.assertEqual(results(run.name), [])
		self.assertEqual(frappe.db.get_value(run.doctype, run.name, ["status", "progress"]), ("Queued", 0))
		for job in frappe.db.get_value(run.doctype, run.name, "jobs").split():
			get_job(job).delete()  # run here instead, and leave no job for a later test's worker
		billing.run_chunk(run.name, names)
		frappe.db.commit()
		self.assertEqual(sorted(r.outcome for r in results(run.name)), [billing.ALREADY] * 3)
		self.assertEqual(frappe.db.get_value(run.doctype, run.name, "status"), "Completed")


class TestPreviewAndSetUp(BillingCase):
	def test_preview_says_a_billed_month_is_already_billed(self):
		tier, (contract,) = self.fee_only_contracts(1, "Preview")
		run = frappe.get_doc("Support Billing Run", self.billing_run(tier))
		[before] = run.preview()
		self.assertEqual((before["outcome"], before["total"]), (billing.INVOICED, 8000))
		si = self.bill(contract)["sales_invoice"]
		frappe.db.commit()
		[after] = run.preview()
		self.assertEqual((after["outcome"], after["sales_invoice"]), (billing.ALREADY, si))
		self.assertNotIn("total", after)

	def test_work_of_a_customer_without_a_contract_is_listed_as_not_billed_without_a_list_price_tier(self):
		customer = self.keep("Customer", make_customer("SC Run Walk-in Customer"))
		self.walk_ins.append(customer)
		issue = self.issue(customer, "Mail server down")
		self.timesheet([(issue, "2026-05-05 09:00", 60, "Remote", False)])
		run = frappe.get_doc("Support Billing Run", self.billing_run(customer=customer))
		self.assertEqual(run.contracts(), [{"name": None, "customer": customer}])
		[preview] = run.preview()
		self.assertEqual(preview["outcome"], billing.NOT_BILLED)
		self.assertIn("no List-Price Tier", preview["message"])
		run.create_invoices()
		frappe.db.commit()
		[result] = frappe.get_all(
			"Support Billing Run Result",
			filters={"parent": run.name},
			fields=["customer", "outcome", "message", "sales_invoice"],
		)
		self.assertEqual(
			(result.customer, result.outcome, result.sales_invoice), (customer, billing.NOT_BILLED, None)
		)
		self.assertIn("Make a contract, or name a List-Price Tier", result.message)
		self.assertEqual(frappe.db.get_value("Timesheet Detail", {"sc_issue": issue}, "sales_invoice"), None)

	def test_the_posting_date_defaults_to_one_the_run_accepts(self):
		def posting(month):
			doc = frappe.get_doc(
				{"doctype": "Support Billing Run", "company": company(), "billing_month": month}
			)
			doc.insert(ignore_permissions=True)
			self.keep("Support Billing Run", doc.name)
			return str(doc.posting_date)

		self.assertEqual(posting("2026-03-01"), "2026-03-01")  # today lies months away
		this_month = today()[:8] + "01"
		self.assertEqual(posting(this_month), today())
		frappe.db.commit()


class TestPayPreview(PayCase):
	def test_preview_says_a_paid_month_is_already_paid(self):
		anna = self.employee("Anna")
		self.midsummer(anna)
		frappe.db.commit()
		run = self.pay_run()
		[before] = run.preview()
		self.assertEqual((before["outcome"], before["total"]), (payroll.PAID, 9540))
		statement = self.pay(anna)["statement"]
		frappe.db.commit()
		[after] = run.preview()
		self.assertEqual((after["outcome"], after["statement"]), (payroll.ALREADY, statement))
		self.assertNotIn("total", after)
