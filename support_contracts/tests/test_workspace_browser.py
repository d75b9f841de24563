"""Each role's day starts in its workspace (issue 31), in a real browser: headless Chromium (Debian's
``chromium``) driven by Playwright, against this site served on loopback by Frappe's own WSGI app. An agent,
a billing clerk, HR and a support manager each log in and open their workspace; the cards show the figures
of the data this test made (the agent's own open Issues, who is on call this week, this month's runs), an
agent sees no money card or chart, and each page is photographed for the record.

Needs what the portal's browser test needs (``test_portal_browser.missing``); without it the test is
skipped, and says which is missing."""

import datetime as dt
import os
import unittest

import frappe
from frappe.utils.password import update_password

from support_contracts.tests.factories import (
	delete_committed_issues,
	make_calendar,
	make_contract,
	make_customer,
	make_employee,
	make_issue,
	make_pay_scheme,
	make_tier,
)
from support_contracts.tests.site_server import SiteServer
from support_contracts.tests.test_portal_browser import CHROMIUM, missing
from support_contracts.tests.test_workspaces import MONEY_CARDS, MONEY_CHARTS, company

PASSWORD = "Workspace-Browser-Test-7!"
SHOTS = "/tmp/support_contracts_workspaces"
USERS = {
	"agent": ("sc-ws-browser-agent@example.com", ("Support Agent",)),
	"clerk": ("sc-ws-browser-clerk@example.com", ("Accounts User",)),
	"hr": ("sc-ws-browser-hr@example.com", ("HR User", "On-Call Coordinator")),
	"manager": ("sc-ws-browser-manager@example.com", ("Support Manager",)),
}
ON_CALL = "Jourhavande"  # the on-call engineer's first name: unique to this test


@unittest.skipIf(missing(), missing() or "")
class TestWorkspacesInABrowser(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		cls.made: list[tuple[str, str]] = []
		for email, roles in USERS.values():
			if not frappe.db.exists("User", email):
				frappe.get_doc(
					{
						"doctype": "User",
						"email": email,
						"first_name": email.split("@")[0],
						"send_welcome_email": 0,
					}
				).insert(ignore_permissions=True)
			frappe.get_doc("User", email).add_roles(*roles)
			update_password(email, PASSWORD)
		agent = USERS["agent"][0]
		calendar = make_calendar("SC WS Browser Office")
		cls.tier = make_tier("SC WS Browser Tier", calendar=calendar)
		cls.customer = make_customer("SC WS Browser Customer")
		cls.contract = make_contract(cls.customer, cls.tier)
		# the agent's own open governed Issues: two (a third is someone else's, a fourth resolved)
		for subject, assigned, status in (
			("Mail down", True, None),
			("VPN down", True, None),
			("Not mine", False, None),
			("Fixed already", True, "Resolved"),
		):
			issue = make_issue(cls.customer, subject=subject, priority="P3")
			if assigned:
				frappe.db.set_value("Issue", issue.name, "_assign", frappe.as_json([agent]))
			if status:
				frappe.db.set_value("Issue", issue.name, "status", status)
		# who is on call: an engineer's jour week holding today
		cls.employee = make_employee(ON_CALL)
		cls.scheme = make_pay_scheme("SC WS Browser Jour")
		year, week, _ = dt.date.today().isocalendar()
		cls.week = (
			frappe.get_doc(
				{
					"doctype": "Jour Week",
					"employee": cls.employee,
					"scheme": cls.scheme,
					"iso_year": year,
					"iso_week": week,
					"rota": "SC WS Browser Rota",
				}
			)
			.insert()
			.name
		)
		# this month's runs, the latest of the month
		first = dt.date.today().replace(day=1)
		cls.billing_run = (
			frappe.get_doc(
				{
					"doctype": "Support Billing Run",
					"company": company(),
					"billing_month": first,
					"posting_date": dt.date.today(),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		cls.pay_run = (
			frappe.get_doc({"doctype": "On-Call Pay Run", "company": company(), "payroll_month": first})
			.insert(ignore_permissions=True)
			.name
		)
		frappe.db.commit()
		cls.server = SiteServer().start()
		os.makedirs(SHOTS, exist_ok=True)

	@classmethod
	def tearDownClass(cls):
		cls.server.stop()
		frappe.db.rollback()
		delete_committed_issues([cls.customer])
		for doctype, filters in (
			("Support Contract", {"name": cls.contract}),
			("Jour Week", {"name": cls.week}),
			("Support Billing Run", {"name": cls.billing_run}),
			("On-Call Pay Run", {"name": cls.pay_run}),
		):
			frappe.db.delete(doctype, filters)
		for email, _roles in USERS.values():
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
		frappe.delete_doc("Support Tier", cls.tier, force=True)
		frappe.delete_doc("Support Calendar", "SC WS Browser Office", force=True)
		frappe.db.commit()

	def open_workspace(self, role: str, workspace: str) -> dict:
		"""Log the role's user in, open ``workspace`` and wait for every card to have its figure: the cards'
		{title: figure}, the charts' titles, the sidebar's workspaces and the page's JavaScript errors."""
		from playwright.sync_api import sync_playwright

		base = f"http://127.0.0.1:{self.server.port}"
		with sync_playwright() as p:
			browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
			page = browser.new_page(viewport={"width": 1400, "height": 1100})
			errors: list[str] = []
			page.on("pageerror", lambda e: errors.append(str(e)))
			page.goto(f"{base}/login")
			page.fill("#login_email", USERS[role][0])
			page.fill("#login_password", PASSWORD)
			page.click(".btn-login")
			page.wait_for_url(lambda url: "/login" not in url, timeout=30000)
			page.goto(f"{base}/app/{workspace}")
			page.wait_for_function(
				"""() => {
					const boxes = [...document.querySelectorAll('.number-widget-box')];
					return boxes.length > 0 && boxes.every((b) => {
						const n = b.querySelector('.number');
						return n && n.innerText.trim() !== '';
					});
				}""",
				timeout=60000,
			)
			page.wait_for_timeout(1500)  # the charts draw after the cards
			page.screenshot(path=f"{SHOTS}/{role}-{workspace}.png", full_page=True)
			cards = {}
			for box in page.locator(".number-widget-box").all():
				title = box.locator(".widget-title").inner_text().strip()
				cards[title.upper()] = box.locator(".number").inner_text().strip()
			charts = {
				t.strip() for t in page.locator(".dashboard-widget-box .widget-title").all_inner_texts()
			}
			sidebar = {t.strip() for t in page.locator(".sidebar-item-label").all_inner_texts()}
			browser.close()
		return {"cards": cards, "charts": charts, "sidebar": sidebar, "errors": errors}

	def test_an_agent_starts_with_their_open_issues_and_who_is_on_call_and_sees_no_money(self):
		seen = self.open_workspace("agent", "support-desk")
		self.assertEqual(seen["errors"], [])
		self.assertEqual(seen["cards"]["MY OPEN SUPPORT ISSUES"], "2")
		self.assertIn(ON_CALL, seen["cards"]["ON CALL NOW"])
		self.assertEqual(
			set(seen["cards"]),
			{"MY OPEN SUPPORT ISSUES", "BREACHED SUPPORT ISSUES", "SUPPORT ISSUES DUE SOON", "ON CALL NOW"},
		)
		self.assertFalse({"Support Billing", "On-Call"} & seen["sidebar"], seen["sidebar"])
		# the shared overview shows the agent what it may see, and no money
		overview = self.open_workspace("agent", "support-contracts")
		self.assertFalse({c.upper() for c in MONEY_CARDS} & set(overview["cards"]), overview["cards"])
		self.assertFalse(MONEY_CHARTS & overview["charts"], overview["charts"])
		self.assertIn("SLA Compliance per Month", overview["charts"])

	def test_a_billing_clerk_starts_with_this_months_run(self):
		seen = self.open_workspace("clerk", "support-billing")
		self.assertEqual(seen["errors"], [])
		self.assertEqual(seen["cards"]["BILLING RUN THIS MONTH"], "Draft")
		self.assertEqual(
			set(seen["cards"]),
			{c.upper() for c in MONEY_CARDS if "Pay" not in c},
		)
		self.assertIn("Billed per Month", seen["charts"])
		self.assertNotIn("On-Call", seen["sidebar"])

	def test_hr_starts_with_this_months_pay_run_and_who_is_on_call(self):
		seen = self.open_workspace("hr", "on-call")
		self.assertEqual(seen["errors"], [])
		self.assertEqual(seen["cards"]["ON-CALL PAY RUN THIS MONTH"], "Draft")
		self.assertIn(ON_CALL, seen["cards"]["ON CALL NOW"])
		self.assertIn("PAY STATEMENTS NOT IN PAYROLL", seen["cards"])
		self.assertIn("On-Call Pay per Month", seen["charts"])

	def test_a_manager_starts_with_compliance_breaches_and_money_per_month(self):
		seen = self.open_workspace("manager", "support-contracts")
		self.assertEqual(seen["errors"], [])
		self.assertTrue(
			{"SLA COMPLIANCE THIS MONTH", "SLA COMPLIANCE LAST MONTH", "BREACHED SUPPORT ISSUES"}
			<= set(seen["cards"]),
			seen["cards"],
		)
		self.assertEqual(
			seen["charts"],
			{
				"SLA Compliance per Month",
				"Breaches by Tier",
				"Breaches by Priority",
				"Billed per Month",
				"On-Call Pay per Month",
			},
		)
