"""Tier Fit (docs/rules.md F1) as a support manager runs it: a contract's month of work, read from the
site's Timesheets and Incident Fees, priced under each Support Tier as the CLI prices the same input files
(``support-contracts tier-fit``), to the öre; its tickets' SLA targets judged under each tier's targets; the
report's tree explains each tier's lines; who may not read the contract's money gets nothing."""

import os
import re
from decimal import Decimal

import frappe

from support_contracts.cli import tier_fit_from_files
from support_contracts.demo.engine import DATA
from support_contracts.support_contracts.report.tier_fit.tier_fit import execute
from support_contracts.tests.test_billing import NORDVIK, BillingCase

D = Decimal
TRINAX = {  # the example's tier keys as the demo loader names the site's Support Tiers
	"alert": "Trinax Alert!",
	"attend": "Trinax Attend!",
	"access": "Trinax Access!",
	"no_contract": "Trinax No contract (avtalslös)",
}


class TestTierFit(BillingCase):
	def setUp(self):
		super().setUp()
		self.contract = self.trinax_contract()
		self.work(NORDVIK, "trinax-2026-05-entries.csv")
		self.list_price = frappe.db.get_single_value("Support Contract Settings", "list_price_tier")
		frappe.db.set_single_value("Support Contract Settings", "list_price_tier", TRINAX["no_contract"])

	def tearDown(self):
		frappe.db.set_single_value("Support Contract Settings", "list_price_tier", self.list_price)
		frappe.db.commit()
		super().tearDown()

	def report(self, **filters):
		return execute({"support_contract": self.contract, "to_month": "2026-05", "months": 1, **filters})

	def test_mays_work_under_each_tier_is_priced_as_the_cli_prices_its_files(self):
		_columns, data, _m, chart, summary = self.report()
		tiers = {r["key"]: r for r in data if r["indent"] == 0}
		_months, cli = tier_fit_from_files(
			"trinax",
			"TRX-001",
			"2026-05",
			"2026-05",
			entries=os.path.join(DATA, "trinax-2026-05-entries.csv"),
		)
		for cost in cli:
			with self.subTest(tier=cost.tier):
				self.assertEqual(D(str(tiers[TRINAX[cost.tier]]["amount"])), cost.total)
		# by hand: Alert! 8,000 (the 5 h from its 15 h); Access! 500 + 1 h beyond its 4 h at 940, the
		# cheapest of Trinax's; without a contract 6 h at 980 (the warranty work billed)
		self.assertEqual(D(str(tiers[TRINAX["alert"]]["amount"])), D("8000"))
		self.assertEqual(D(str(tiers[TRINAX["access"]]["amount"])), D("1440"))
		self.assertEqual(D(str(tiers[TRINAX["no_contract"]]["amount"])), D("5880"))
		self.assertIn("Current", tiers[TRINAX["alert"]]["note"])
		self.assertEqual(D(str(tiers[TRINAX["access"]]["difference"])), D("1440") - D("8000"))
		# the tree explains each tier: its month, then the month's lines with their why
		lines = [r for r in data if r["indent"] == 2 and r["parent_key"] == f"{TRINAX['access']}|2026-05"]
		self.assertEqual(sum(D(str(r["amount"])) for r in lines), D("1440"))
		self.assertTrue(any("4:00 h per year" in (r["note"] or "") for r in lines), lines)
		self.assertIn(
			TRINAX["alert"] + " (current)",
			[label.split(" (")[0] + " (current)" for label in chart["data"]["labels"] if "current" in label],
		)
		self.assertEqual(summary[0]["value"], "2026-05 – 2026-05")

	def test_each_tiers_targets_judge_the_contracts_tickets(self):
		# a P1 Issue opened Tue 5 May 2026 09:00, its action started at 11:00: Alert!'s 1 business hour was
		# due 10:00 (breached); Attend!'s 8 h and Access!'s 16 h were not (met); without a contract no target
		from support_contracts.tests.factories import make_issue
		from support_contracts.tests.test_issue_sla import at

		frappe.flags.current_time = "2026-05-05 09:00:00"
		issue = make_issue(NORDVIK, at(2026, 5, 5, 9), "P1", subject="Tier fit: started late")
		self.keep("Issue", issue.name)
		frappe.flags.current_time = "2026-05-05 11:00:00"
		issue.sc_action_started_on = "2026-05-05 11:00:00"
		issue.save()
		frappe.flags.current_time = None
		before = {r["key"]: r["breaches"] for r in self.report()[1] if r["indent"] == 0}
		self.assertEqual(before[TRINAX["no_contract"]], 0)
		frappe.db.delete("SLA Clock Event", {"ticket_type": "Issue", "issue": issue.name})
		after = {r["key"]: r["breaches"] for r in self.report()[1] if r["indent"] == 0}
		self.assertEqual(
			{TRINAX[k]: before[TRINAX[k]] - after[TRINAX[k]] for k in ("alert", "attend", "access")},
			{TRINAX["alert"]: 1, TRINAX["attend"]: 0, TRINAX["access"]: 0},
		)

	def test_a_month_before_the_contract_is_not_priced(self):
		# Nordvik's contract began on 1 January 2026: of the twelve months up to January, January alone
		_columns, _data, _m, _chart, summary = self.report(to_month="2026-01", months=12)
		self.assertEqual(summary[0]["value"], "2026-01 – 2026-01")

	def test_bad_filters_are_refused_naming_the_filter(self):
		with self.assertRaisesRegex(frappe.ValidationError, "To Month"):
			self.report(to_month="2026-13")
		with self.assertRaisesRegex(frappe.ValidationError, "Months"):
			self.report(months=99)

	def test_the_customer_reads_it_on_the_contracts_page_where_the_firm_shows_it(self):
		from frappe.tests.test_api import make_request
		from frappe.utils import get_test_client

		from support_contracts.tests.factories import make_api_user

		email = "sc-tier-fit-contact@example.com"
		headers = make_api_user(email, (), website_user=True)
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Tier Fit",
				"user": email,
				"email_ids": [{"email_id": email, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": NORDVIK}],
			}
		).insert(ignore_permissions=True)
		self.keep("User", email)
		self.keep("Contact", contact.name)
		shown = frappe.db.get_single_value("Support Contract Settings", "portal_tier_fit")
		self.addCleanup(frappe.db.set_single_value, "Support Contract Settings", "portal_tier_fit", shown)
		heading = "Would Another Tier Fit You Better?"
		for on in (0, 1):
			frappe.db.set_single_value("Support Contract Settings", "portal_tier_fit", on)
			frappe.db.commit()
			page = make_request(  # served apart from this test, as a request is
				target=get_test_client().get,
				args=(f"/support/contracts/{self.contract}",),
				kwargs={"headers": headers},
			)
			text = page.get_data(as_text=True)
			self.assertEqual(page.status_code, 200, re.sub(r"<[^>]+>", " ", text)[:6000])
			self.assertEqual(heading in text, bool(on))
		# its own tier marked, each of Trinax's tiers priced (May's work is in the twelve months)
		self.assertRegex(
			text, r'data-tier="[^"]*Alert![^"]*"><td>[^<]*Alert! <span class="text-muted">\(your tier\)'
		)
		for tier in ("Attend!", "Access!"):
			self.assertRegex(text, f'data-tier="[^"]*{tier}')

	def test_who_may_not_read_the_contract_gets_nothing(self):
		frappe.set_user("Guest")
		try:
			with self.assertRaises(frappe.PermissionError):
				self.report()
		finally:
			frappe.set_user("Administrator")
