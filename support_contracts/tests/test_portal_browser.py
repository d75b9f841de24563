"""The portal in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright, against
this site served on loopback by Frappe's own WSGI app with its static files. A contact logs in, opens
their contract, reports an incident and sees the due times the contract promises, then opens the ticket.

Needs ``playwright`` in the bench's Python (``pip install playwright``; its own browser download is not
used) and ``/usr/bin/chromium`` (``apt-get install chromium``), and the bench's built assets
(``bench build``). Without them the test is skipped, and says which is missing."""

import os
import unittest

import frappe
from frappe.utils import get_bench_path
from frappe.utils.password import update_password

from support_contracts.adapters import portal
from support_contracts.adapters.times import aware
from support_contracts.tests.factories import (
	delete_committed_issues,
	make_calendar,
	make_contract,
	make_customer,
	make_tier,
)
from support_contracts.tests.site_server import SiteServer

CHROMIUM = "/usr/bin/chromium"
EMAIL = "sc-browser-contact@example.com"
AGENT = "sc-browser-agent@example.com"
PASSWORD = "Portal-Browser-Test-7!"
SHOTS = "/tmp/support_contracts_portal"


def missing() -> str | None:
	try:
		import playwright.sync_api  # noqa: F401
	except ImportError:
		return "playwright is not installed in the bench's Python (pip install playwright)"
	if not os.path.exists(CHROMIUM):
		return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
	if not os.path.isdir(os.path.join(get_bench_path(), "sites", "assets", "frappe", "dist")):
		return "the bench's assets are not built (bench build)"
	return None


@unittest.skipIf(missing(), missing() or "")
class TestPortalInABrowser(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		cls.backdating = frappe.db.get_single_value("Support Contract Settings", "issue_backdating_hours")
		office = make_calendar("SC Browser Office")
		cls.tier = make_tier("SC Browser Tier", office, term_months=12)
		cls.customer = make_customer("SC Browser Customer")
		cls.contract = make_contract(cls.customer, cls.tier)
		if not frappe.db.exists("User", EMAIL):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": EMAIL,
					"first_name": "Browser",
					"user_type": "Website User",
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
		frappe.get_doc("User", EMAIL).add_roles("Customer")
		update_password(EMAIL, PASSWORD)
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Browser",
				"email_ids": [{"email_id": EMAIL, "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": cls.customer}],
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Contact", contact.name, "user", EMAIL)
		# the contact's ticket counter lives in Redis for an hour: runs of this suite must not add up
		frappe.cache.delete_value(f"rl:{portal.REPORT_METHOD}:{EMAIL}")
		if not frappe.db.exists("User", AGENT):
			frappe.get_doc(
				{"doctype": "User", "email": AGENT, "first_name": "Agent", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		frappe.get_doc("User", AGENT).add_roles("Support Agent")
		update_password(AGENT, PASSWORD)
		frappe.db.commit()
		cls.server = SiteServer().start()
		cls.port = cls.server.port
		os.makedirs(SHOTS, exist_ok=True)

	@classmethod
	def tearDownClass(cls):
		cls.server.stop()
		frappe.db.rollback()
		delete_committed_issues([cls.customer])
		for doctype, filters in (("Support Contract", {"name": cls.contract}),):
			frappe.db.delete(doctype, filters)
		for contact in frappe.get_all("Contact", filters={"user": EMAIL}, pluck="name"):
			frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
		for user in (EMAIL, AGENT):
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.delete_doc("Support Tier", cls.tier, force=True)
		frappe.delete_doc("Support Calendar", "SC Browser Office", force=True)
		frappe.db.commit()

	@staticmethod
	def logged_in(page, base: str, user: str) -> list[str]:
		"""Log ``user`` in through the login page; the JavaScript errors of the pages that follow."""
		errors = []
		page.on("pageerror", lambda e: errors.append(str(e)))
		page.goto(f"{base}/login")
		page.fill("#login_email", user)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(lambda url: "/login" not in url, timeout=30000)
		return errors

	def test_a_contact_logs_in_reads_the_contract_reports_an_incident_and_sees_its_due_times(self):
		from playwright.sync_api import expect, sync_playwright

		base = f"http://127.0.0.1:{self.port}"
		with sync_playwright() as p:
			browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
			page = browser.new_page()
			errors = self.logged_in(page, base, EMAIL)

			page.goto(f"{base}/support")
			expect(page.locator(".sc-contracts")).to_contain_text("SC Browser Tier")
			page.click(f"a[href='/support/contracts/{self.contract}']")
			expect(page.locator(".sc-coverage")).to_have_text(
				"Mon–Fri 08:00–17:00; closed on public holidays in Sweden, Midsummer Eve, Christmas Eve, New Year's Eve"
			)
			expect(page.locator(".sc-service-levels")).to_contain_text(
				"1 h business time (SC Browser Office)"
			)
			page.screenshot(path=f"{SHOTS}/contract.png", full_page=True)

			page.goto(f"{base}/support/new")
			page.check(".sc-priority[value='P1']")
			promise = page.locator(".sc-promise")
			expect(promise).to_be_visible()
			expect(promise).to_contain_text("Action start")
			expect(promise).to_contain_text("Resolution")
			page.fill("#sc-subject", "Checkout fails in the browser test")
			page.fill("#sc-description", "Customers get an error at payment.")
			page.screenshot(path=f"{SHOTS}/new.png", full_page=True)
			page.click("#sc-submit")
			created = page.locator(".sc-created")
			expect(created).to_be_visible(timeout=30000)
			page.screenshot(path=f"{SHOTS}/created.png", full_page=True)

			frappe.db.rollback()
			issue = frappe.get_doc(
				"Issue", {"customer": self.customer, "subject": "Checkout fails in the browser test"}
			)
			self.assertEqual(issue.sc_support_contract, self.contract)
			self.assertEqual(issue.raised_by, EMAIL)
			# what the page showed is the Issue's own due time, in the contact's words
			due = portal.when(aware(issue.sc_action_start_due))
			expect(created.locator("[data-metric='action_start']")).to_contain_text(due)

			created.locator(".sc-open-ticket").click()
			expect(page.locator(".sc-ticket")).to_have_attribute("data-ticket", issue.name)
			expect(page.locator(".sc-targets")).to_contain_text("Action start")
			page.screenshot(path=f"{SHOTS}/ticket.png", full_page=True)
			browser.close()
		self.assertEqual(errors, [], "JavaScript errors on the portal's pages")

	def test_an_agent_sees_the_contract_clock_in_the_issue_list_and_at_the_top_of_the_form(self):
		from playwright.sync_api import expect, sync_playwright

		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Agent view in the browser test",
				"customer": self.customer,
				"priority": "P1",
			}
		).insert()
		frappe.db.commit()
		base = f"http://127.0.0.1:{self.port}"
		with sync_playwright() as p:
			browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
			page = browser.new_page(viewport={"width": 1400, "height": 900})
			errors = self.logged_in(page, base, AGENT)

			page.goto(f"{base}/app/issue?customer={self.customer}")
			row = page.locator(f".list-row-container:has(a[data-name='{issue.name}'])")
			pill = row.locator(".sc-sla-pill")
			expect(pill).to_have_attribute("data-status", "On Track", timeout=30000)
			expect(pill).to_contain_text("due in")
			page.screenshot(path=f"{SHOTS}/issue-list.png")

			page.goto(f"{base}/app/issue/{issue.name}")
			headline = page.locator(".sc-clock-headline")
			expect(headline).to_contain_text("Action start due", timeout=30000)
			expect(headline).to_contain_text("of business time left")
			# ERPNext's Issue form reads Support Settings: an agent is not stopped by "No permission"
			expect(page.locator(".modal.show .msgprint")).to_have_count(0)
			page.screenshot(path=f"{SHOTS}/issue-form.png")
			browser.close()
		self.assertEqual(errors, [], "JavaScript errors on the Desk's Issue pages")

	def test_a_contact_approves_a_fix_and_an_agent_escalates_a_ticket_by_hand(self):
		"""docs/rules.md C2 and E5 where people click: the contact sees a fix that awaits their sign-off on
		the ticket page and approves it; an agent escalates an Issue from its form with a reason."""
		from playwright.sync_api import expect, sync_playwright

		tier = frappe.get_doc("Support Tier", self.tier)
		tier.update({"requires_client_signoff": 1, "signoff_timeout": 86400})
		tier.save()
		try:
			fixed = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "Sign-off in the browser test",
					"customer": self.customer,
					"priority": "P1",
				}
			).insert()
			fixed.status = "Resolved"
			fixed.save()
			stuck = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "Escalation in the browser test",
					"customer": self.customer,
					"priority": "P1",
				}
			).insert()
			frappe.db.commit()
			self.assertEqual(
				frappe.db.get_value("Issue", fixed.name, "sc_signoff_state"), "Awaiting Sign-off"
			)
			base = f"http://127.0.0.1:{self.port}"
			with sync_playwright() as p:
				browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
				page = browser.new_page()
				errors = self.logged_in(page, base, EMAIL)
				page.goto(f"{base}/support/tickets/{fixed.name}")
				expect(page.locator(".sc-signoff")).to_contain_text("Is it fixed?")
				page.screenshot(path=f"{SHOTS}/signoff.png", full_page=True)
				page.click("#sc-signoff-approve")
				expect(page.locator(".sc-signoff")).to_have_count(0, timeout=30000)

				agent = browser.new_page(viewport={"width": 1400, "height": 900})
				errors += self.logged_in(agent, base, AGENT)
				agent.goto(f"{base}/app/issue/{stuck.name}")
				agent.locator("button:has-text('Escalate')").first.click(timeout=30000)
				dialog = agent.locator(".modal.show")
				dialog.locator("[data-fieldname='reason'] textarea").fill("Needs a developer")
				dialog.locator(".btn-primary:has-text('Escalate')").click()
				expect(agent.locator(".modal.show")).to_have_count(0, timeout=30000)
				agent.screenshot(path=f"{SHOTS}/escalated.png")
				browser.close()
			frappe.db.rollback()
			self.assertEqual(frappe.db.get_value("Issue", fixed.name, "sc_signoff_state"), "Approved")
			self.assertEqual(
				frappe.db.get_value(
					"SLA Clock Event", {"issue": fixed.name, "event": "signoff_given"}, "source"
				),
				EMAIL,
			)
			self.assertEqual(frappe.db.get_value("Issue", stuck.name, "sc_escalation_level"), "Level 3")
			self.assertEqual(
				frappe.db.get_value(
					"SLA Clock Event", {"issue": stuck.name, "event": "escalated"}, ["note", "source"]
				),
				("Level 2 → Level 3: Needs a developer", AGENT),
			)
			self.assertEqual(errors, [], "JavaScript errors on the sign-off and escalation pages")
		finally:
			frappe.db.rollback()
			tier = frappe.get_doc("Support Tier", self.tier)
			tier.requires_client_signoff = 0
			tier.save()
			frappe.db.commit()
