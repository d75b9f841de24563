"""Every benchmark the README lists runs on the site, at a tiny size (issue 29 point 7): none can break
unseen. The figures are not looked at — speed is measured by running the benchmarks at their sizes, never
by a timed test — only that each runs to its end and does what it measures."""

import contextlib
import io

import frappe
from frappe.tests.utils import FrappeTestCase

from support_contracts.adapters import payroll
from support_contracts.benchmarks import (
	bench_billing,
	bench_deadlines,
	bench_enforcement,
	bench_issue_save,
	bench_payroll,
	bench_reports,
)
from support_contracts.tests.test_payroll import pay_fixtures


def printed(fn, **kwargs) -> tuple[object, str]:
	out = io.StringIO()
	with contextlib.redirect_stdout(out):
		result = fn(**kwargs)
	return result, out.getvalue()


class TestBenchmarksRun(FrappeTestCase):
	def test_bench_deadlines(self):
		_result, out = printed(bench_deadlines.run, seconds=0.2)
		self.assertIn("×", out)

	def test_bench_issue_save(self):
		_result, out = printed(bench_issue_save.run, n=3)
		self.assertIn("governed", out)
		self.assertIn("of what ERPNext's own SLA adds", out)

	def test_bench_enforcement(self):
		result, out = printed(bench_enforcement.run, n=20, settle=0)
		self.assertIn("breach storm over 20 open governed Issues", out)
		self.assertEqual(result["breached"], 20, out)  # its own 20, whatever else the site holds

	def test_bench_billing(self):
		result, out = printed(bench_billing.run, n=3, rows=2)
		self.assertEqual(result["invoiced"], (3, 3), out)
		self.assertNotIn("WARNING", out)

	def test_bench_payroll(self):
		if payroll.hrms_installed():
			# the salary structure the benchmark's employees are paid on, as the pay tests make it (kept,
			# as they keep it), whichever of the two runs first on this site
			pay_fixtures()
			frappe.db.commit()
		result, out = printed(bench_payroll.run, n=2, activations=2)
		if not payroll.hrms_installed():
			self.assertIn("HRMS is not installed", out)
			return
		self.assertEqual((result["statements"], result["status"]), (2, "Completed"), out)
		self.assertGreater(result["salaries"], 0)

	def test_bench_reports(self):
		_result, out = printed(bench_reports.run, issues=30, contracts=3, fees=5)
		for report in ("SLA Compliance", "Hour Bank Usage", "Incident Fees", "Production Bugs"):
			self.assertIn(report, out)
