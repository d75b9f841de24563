"""The optional demo data: every example firm loads into a real site through the doctypes' own checks."""

import frappe

from support_contracts.demo.site import load_firm_into_site
from support_contracts.examples import firm_names
from support_contracts.tests.factories import SCTestCase


class TestDemoData(SCTestCase):
	def test_all_five_firms_load_and_govern_issues(self):
		for firm in firm_names():
			with self.subTest(firm):
				load_firm_into_site(firm)
		self.assertTrue(frappe.db.exists("Support Tier", "Trinax Alert!"))
		rows = frappe.get_all(
			"Support Tier Target",
			filters={"parent": "Trinax Alert!", "priority": "P1"},
			fields=["target_kind", "duration"],
		)
		self.assertEqual([(r.target_kind, r.duration) for r in rows], [("Business Time", 3600)])
		self.assertEqual(
			frappe.db.get_value("Jour Pay Scheme", {"scheme_name": ("like", "EZY%")}, "stipend"), 4500
		)
		contract = frappe.db.get_value("Support Contract", {"customer": "Nordvik Logistik AB"}, "tier")
		self.assertEqual(contract, "Trinax Alert!")
		# loading twice changes nothing
		self.assertEqual(load_firm_into_site("trinax"), [])


class TestDemoWork(SCTestCase):
	"""The demo's month of work (``make_demo_work``) in a site, rated by the runs' previews exactly as the
	CLI rates the same example files (its commits are held back, so the test rolls it all back)."""

	def test_the_demo_month_previews_as_the_cli_rates_it(self):
		from unittest.mock import patch

		from support_contracts.adapters import billing, payroll
		from support_contracts.cli import invoice_from_files, pay_from_files
		from support_contracts.demo.engine import DATA
		from support_contracts.demo.site import make_demo_work

		with patch.object(frappe.db, "commit"):
			made = make_demo_work()
		self.assertTrue(any("Timesheet" in m for m in made), made)

		# Trinax: Nordvik's May time on the June invoice = the CLI's May invoice (the same 8,000 fee)
		nordvik = frappe.db.get_value("Support Contract", {"customer": "Nordvik Logistik AB"})
		[row] = billing.preview(2026, 6, [{"name": nordvik, "customer": "Nordvik Logistik AB"}])
		cli = invoice_from_files("trinax", "TRX-001", "2026-05", entries=f"{DATA}/trinax-2026-05-entries.csv")
		self.assertEqual(round(row["total"], 2), float(cli.total))

		# EZY: June's on-call pay per employee = the CLI's pay slips of the same files
		_scheme, _label, slips = pay_from_files(
			"ezy",
			None,
			"2026-06",
			f"{DATA}/ezy-2026-06-jour-weeks.csv",
			f"{DATA}/ezy-2026-06-activations.csv",
		)
		company = frappe.defaults.get_global_default("company")
		wanted = {emp.split(".")[0]: float(slip.total) for emp, slip in slips.items()}
		first = {
			e["name"]: frappe.db.get_value("Employee", e["name"], "first_name").lower()
			for e in payroll.employees_to_pay(company, 2026, 6)
		}
		demo = [{"name": e} for e, f in first.items() if f in wanted]
		preview = payroll.preview(company, 2026, 6, demo)
		self.assertEqual({first[p["employee"]]: p["total"] for p in preview}, wanted)
