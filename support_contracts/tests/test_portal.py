"""The customer portal over HTTP (Frappe's WSGI app, token-authenticated website users), and in-process
where time must be pinned.

Three contacts: Alpha's, Beta's, and one linked to both Alpha and Gamma. Each reads its own customers'
contracts, tickets and hour bank on every page and is answered 404 (or 403) for everyone else's — pages,
REST resources, Frappe's side doors (counts, values, link checks) and the portal's own methods — and
nothing another customer owns is changed or created. Requests run on their own database connection, so
this class commits its documents and removes them afterwards."""

import datetime as dt
from zoneinfo import ZoneInfo

import frappe
from frappe.tests.test_api import FrappeAPITestCase, get_test_client, make_request

from support_contracts.adapters import access, billing, firm, portal
from support_contracts.adapters.issue import clock_report
from support_contracts.tests.factories import (
	delete_committed_issues,
	make_api_user,
	make_calendar,
	make_contract,
	make_customer,
	make_tier,
)

PREFIX = "sc-portal-"
USERS = {
	"alpha": ("sc-portal-alpha@example.com", ("SC Portal Alpha",)),
	"beta": ("sc-portal-beta@example.com", ("SC Portal Beta",)),
	"both": ("sc-portal-both@example.com", ("SC Portal Alpha", "SC Portal Gamma")),
	"delta": ("sc-portal-delta@example.com", ("SC Portal Delta",)),
}
STHLM = ZoneInfo("Europe/Stockholm")


class TestPortal(FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.settings = frappe.db.get_single_value("Support Contract Settings", "issue_backdating_hours")
		frappe.db.set_single_value("Support Contract Settings", "issue_backdating_hours", 0)
		office = make_calendar("SC Portal Office")
		always = make_calendar(
			"SC Portal Always",
			[
				(d, "all day", "all day")
				for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
			],
			close_public_holidays=0,
			close_de_facto_holidays=0,
		)
		cls.tier = make_tier(
			"SC Portal Tier",
			office,
			hour_bank_hours=15,
			hour_bank_period="Quarter",
			has_incident_model=1,
			incident_model_name="Call-in",
			incident_fee=1750,
			incident_included_minutes=60,
			term_months=12,
			renewal="Automatic",
			pause_on_replied=1,
		)
		cls.customers = {
			n: make_customer(n)
			for n in ("SC Portal Alpha", "SC Portal Beta", "SC Portal Gamma", "SC Portal Delta")
		}
		# an SSA-L tier (docs/rules.md E): error categories instead of priorities
		cls.ssa_tier = make_tier(
			"SC Portal SSA",
			office,
			targets=[
				("Critical", "Action Start", "Business Time", 4 * 3600),
				("Serious", "Action Start", "Business Days", 1),
				("Minor", "Action Start", "None", None),
			],
			default_priority="Minor",
		)
		cls.headers, cls.contacts = {}, {}
		for who, (email, customers) in USERS.items():
			cls.headers[who] = make_api_user(email, ("Customer",), website_user=True)
			contact = frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": who.title(),
					"email_ids": [{"email_id": email, "is_primary": 1}],
					"user": email,
					"links": [{"link_doctype": "Customer", "link_name": c} for c in customers],
				}
			).insert(ignore_permissions=True)
			frappe.db.set_value("Contact", contact.name, "user", email)
			cls.contacts[who] = contact.name
		# ERPNext 15 shows a customer's invoices to the users on its Portal Users table
		alpha = frappe.get_doc("Customer", "SC Portal Alpha")
		alpha.append("portal_users", {"user": USERS["alpha"][0]})
		alpha.save(ignore_permissions=True)
		cls.contracts = {
			"SC Portal Alpha": make_contract(
				"SC Portal Alpha",
				cls.tier,
				on_call=1,
				on_call_calendar=always,
				proactive_instructions="<p>Restart the <b>queue</b> service first.</p><script>alert(1)</script>",
				authorised_callers=[
					{"contact": cls.contacts["alpha"], "full_name": "Alva Alpha", "phone": "+46 8 123 45"}
				],
			),
			"SC Portal Beta": make_contract("SC Portal Beta", cls.tier),
			"SC Portal Gamma": make_contract("SC Portal Gamma", cls.tier),
			"SC Portal Delta": make_contract("SC Portal Delta", cls.ssa_tier),
		}
		cls.issues = {}
		for customer in cls.customers:
			issue = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": f"<img src=x onerror=alert(1)> {customer} web shop down",
					"customer": customer,
					"priority": "Critical" if customer == "SC Portal Delta" else "P1",
				}
			).insert()
			cls.issues[customer] = issue.name
		alpha_issue = cls.issues["SC Portal Alpha"]
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "We are on it",
				"content": "We are looking at the web shop now.",
				"sender": "agent@example.com",
				"reference_doctype": "Issue",
				"reference_name": alpha_issue,
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Comment",
				"reference_doctype": "Issue",
				"reference_name": alpha_issue,
				"content": "INTERNAL: this customer never reads the manual",
			}
		).insert(ignore_permissions=True)
		# the hour bank as the invoicing run writes it: 2 h of remote work on Alpha's ticket in November
		# 2026, billed by the December invoice (usage in arrears) and taken from Q4's 15 h
		company = frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
		ts = frappe.get_doc(
			{
				"doctype": "Timesheet",
				"company": company,
				"time_logs": [
					{
						"from_time": "2026-11-02 09:00:00",
						"to_time": "2026-11-02 11:00:00",
						"hours": 2,
						"sc_issue": alpha_issue,
						"sc_work_kind": "Remote",
					}
				],
			}
		).insert(ignore_permissions=True)
		ts.submit()
		cls.timesheet = ts.name
		made = billing.bill_contract(
			cls.contracts["SC Portal Alpha"], 2026, 12, company=company, posting_date="2026-12-01"
		)
		cls.invoice = made["sales_invoice"]
		frappe.get_doc("Sales Invoice", cls.invoice).submit()
		cls.period = "Q4 2026"
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for doctype, name in (("Sales Invoice", cls.invoice), ("Timesheet", cls.timesheet)):
			doc = frappe.get_doc(doctype, name)
			if doc.docstatus == 1:
				doc.cancel()
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		delete_committed_issues(list(cls.customers))
		for doctype, filters in (
			("Hour Bank Ledger Entry", {"customer": ("in", list(cls.customers))}),
			("Support Contract", {"customer": ("in", list(cls.customers))}),
		):
			frappe.db.delete(doctype, filters)
		frappe.db.delete("Portal User", {"parenttype": "Customer", "parent": ("in", list(cls.customers))})
		for email, _customers in USERS.values():
			for contact in frappe.get_all("Contact", filters={"user": email}, pluck="name"):
				frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
			frappe.cache.delete_value(f"rl:support_contracts.api.portal.report_incident:{email}")
		for tier in (cls.tier, cls.ssa_tier):
			frappe.delete_doc("Support Tier", tier, force=True)
		for cal in ("SC Portal Office", "SC Portal Always"):
			frappe.delete_doc("Support Calendar", cal, force=True)
		frappe.db.set_single_value("Support Contract Settings", "issue_backdating_hours", cls.settings)
		frappe.db.set_single_value("Support Contract Settings", "portal_tickets_per_hour", 10)
		frappe.db.commit()
		super().tearDownClass()

	# ---------------------------------------------------------------- helpers
	@staticmethod
	def session_of(email) -> str:
		"""A logged-in session of ``email`` (as a browser holds it after logging in): its sid."""
		from frappe.auth import CookieManager, LoginManager
		from frappe.utils import set_request

		request, lang = getattr(frappe.local, "request", None), frappe.local.lang
		set_request(path="/")
		frappe.local.cookie_manager = CookieManager()
		frappe.local.login_manager = LoginManager()
		frappe.local.login_manager.login_as(email)
		sid = frappe.session.sid
		frappe.db.commit()
		frappe.set_user("Administrator")
		frappe.local.request, frappe.local.lang = request, lang  # this process is no request of the user's
		return sid

	def seen(self, needle, text):
		self.assertTrue(needle in text, f"{needle!r} is not on the page")

	def unseen(self, needle, text):
		self.assertFalse(needle in text, f"{needle!r} is on the page")

	def page(self, path, who=None):
		return self.get(path, headers=self.headers[who] if who else None)

	def call(self, method, who, data=None):
		return self.post(
			self.method(f"support_contracts.api.portal.{method}"),
			data or {},
			headers=self.headers[who] if who else None,
		)

	def own(self, who):
		customers = USERS[who][1]
		return [self.contracts[c] for c in customers], [self.issues[c] for c in customers]

	def others(self, who):
		customers = [c for c in self.customers if c not in USERS[who][1]]
		return [self.contracts[c] for c in customers], [self.issues[c] for c in customers]

	# ---------------------------------------------------------------- isolation
	def test_each_contact_reads_its_own_customers_and_nothing_else(self):
		for who in USERS:
			with self.subTest(who=who):
				own_contracts, own_issues = self.own(who)
				other_contracts, other_issues = self.others(who)
				home = self.page("/support", who)
				self.assertEqual(home.status_code, 200)
				tickets = self.page("/support/tickets", who)
				self.assertEqual(tickets.status_code, 200)
				for name in own_contracts:
					self.seen(name, home.text)
					self.assertEqual(self.page(f"/support/contracts/{name}", who).status_code, 200)
				for name in own_issues:
					self.seen(name, tickets.text)
					self.assertEqual(self.page(f"/support/tickets/{name}", who).status_code, 200)
				for name in other_contracts:
					self.unseen(name, home.text)
					self.assertEqual(self.page(f"/support/contracts/{name}", who).status_code, 404)
				for name in other_issues:
					self.unseen(name, tickets.text)
					self.unseen(name, home.text)
					self.assertEqual(self.page(f"/support/tickets/{name}", who).status_code, 404)
				# a name that exists and one that does not answer alike
				self.assertEqual(self.page("/support/contracts/SC-NO-SUCH", who).status_code, 404)

	def test_rest_resources_and_side_doors_give_a_contact_nothing_of_others(self):
		for who in ("alpha", "both"):
			other_contracts, other_issues = self.others(who)
			own_contracts, own_issues = self.own(who)
			h = self.headers[who]
			for doctype, names in (
				("Support Contract", other_contracts + own_contracts),
				("Issue", other_issues + own_issues),
				("Support Tier", [self.tier]),
			):
				for name in names:
					with self.subTest(who=who, doctype=doctype, name=name):
						# the portal pages are a contact's door; REST gives website users no documents
						self.assertIn(
							self.get(self.resource(doctype, name), headers=h).status_code, (403, 404)
						)
				with self.subTest(who=who, doctype=doctype, what="list"):
					r = self.get(
						self.resource(doctype),
						{"filters": frappe.as_json({"name": ("in", names)})},
						headers=h,
					)
					self.assertIn(r.status_code, (403, 404))
			for doctype in ("Hour Bank Ledger Entry", "Incident Fee", "SLA Clock Event"):
				with self.subTest(who=who, doctype=doctype):
					self.assertIn(self.get(self.resource(doctype), headers=h).status_code, (403, 404))
			# Frappe lists a user's own Communications (sent to or by them): never another customer's
			r = self.get(
				self.resource("Communication"),
				{"fields": frappe.as_json(["reference_name", "content"]), "limit_page_length": 1000},
				headers=h,
			)
			if r.status_code == 200:
				seen = {row.get("reference_name") for row in r.json["data"]}
				self.assertFalse(seen & set(other_issues + own_issues), seen)
			beta = other_issues[0]
			customer = frappe.db.get_value("Issue", beta, "customer")
			count = self.post(
				self.method("frappe.client.get_count"),
				{"doctype": "Issue", "filters": frappe.as_json({"customer": customer})},
				headers=h,
			)
			self.assertTrue(count.status_code == 403 or count.json["message"] == 0, count.text)
			value = self.post(
				self.method("frappe.client.get_value"),
				{"doctype": "Issue", "filters": beta, "fieldname": "subject"},
				headers=h,
			)
			self.assertNotEqual(value.status_code, 200)
			for path in (
				f"/printview?doctype=Support%20Contract&name={other_contracts[0]}",
				f"/printview?doctype=Issue&name={beta}",
				f"/issues/{beta}",
			):
				with self.subTest(who=who, path=path):
					r = self.page(path, who)
					self.assertNotEqual(r.status_code, 200, path)
					self.unseen("web shop down", r.text)

	def test_a_contact_cannot_act_for_another_customer(self):
		beta = self.issues["SC Portal Beta"]
		before = frappe.db.count("Issue", {"customer": "SC Portal Beta"})
		r = self.call(
			"report_incident",
			"alpha",
			{
				"customer": "SC Portal Beta",
				"subject": "x",
				"description": "y",
				"priority": "P1",
				"confirm_fee": 1,
			},
		)
		self.assertEqual(r.status_code, 417)
		self.assertIn("Customer", r.json["exception"])
		self.assertEqual(
			self.call("promise_for", "alpha", {"customer": "SC Portal Beta", "priority": "P1"}).status_code,
			417,
		)
		r = self.call("reply", "alpha", {"issue": beta, "message": "let me in"})
		self.assertEqual(r.status_code, 404)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Issue", {"customer": "SC Portal Beta"}), before)
		self.assertFalse(
			frappe.db.exists("Communication", {"reference_name": beta, "content": ("like", "%let me in%")})
		)
		# nor by asking the agent's method for a ticket's clock
		r = self.post(
			self.method("support_contracts.api.desk.clock_summary"),
			{"issue": beta},
			headers=self.headers["alpha"],
		)
		self.assertEqual(r.status_code, 403)

	def test_a_contact_of_two_customers_sees_both(self):
		home = self.page("/support", "both").text
		for c in ("SC Portal Alpha", "SC Portal Gamma"):
			self.seen(self.contracts[c], home)
			self.seen(self.issues[c], home)
		self.unseen(self.contracts["SC Portal Beta"], home)
		# with two customers a ticket must say for which
		r = self.call("promise_for", "both", {"priority": "P1"})
		self.assertEqual(r.status_code, 417)
		self.assertIn("Customer", r.json["exception"])
		self.assertEqual(
			self.call("promise_for", "both", {"priority": "P1", "customer": "SC Portal Gamma"}).status_code,
			200,
		)

	def test_a_guest_sees_nothing(self):
		for path in (
			"/support",
			"/support/tickets",
			"/support/new",
			f"/support/contracts/{self.contracts['SC Portal Alpha']}",
			f"/support/tickets/{self.issues['SC Portal Alpha']}",
		):
			with self.subTest(path=path):
				r = self.page(path)
				self.assertEqual(r.status_code, 403)
				self.unseen("SC Portal Alpha", r.text)
		for method in ("promise_for", "report_incident", "reply"):
			self.assertEqual(
				self.call(
					method,
					None,
					{
						"priority": "P1",
						"issue": self.issues["SC Portal Alpha"],
						"subject": "s",
						"description": "d",
						"message": "m",
					},
				).status_code,
				403,
			)

	def test_pages_escape_what_customers_and_staff_typed(self):
		text = self.page(f"/support/tickets/{self.issues['SC Portal Alpha']}", "alpha").text
		self.unseen("<img src", text)  # a subject is text: its markup is not shown, nor run
		self.seen("SC Portal Alpha web shop down", text)
		contract = self.page(f"/support/contracts/{self.contracts['SC Portal Alpha']}", "alpha").text
		self.seen("<b>queue</b>", contract)
		self.unseen("<script>alert(1)</script>", contract)

	# ---------------------------------------------------------------- what a contact reads
	def test_the_contract_page_tells_terms_coverage_service_levels_and_hour_bank(self):
		text = self.page(f"/support/contracts/{self.contracts['SC Portal Alpha']}", "alpha").text
		# docs/rules.md B: Mon–Fri 08–17, Swedish public and de-facto holidays closed
		self.seen(
			"Mon–Fri 08:00–17:00; closed on public holidays in Sweden, Midsummer Eve, Christmas Eve, New Year&#39;s Eve",
			text,
		)
		self.seen("1 h business time (SC Portal Office)", text)  # P1 action start
		self.seen("4 h business time (SC Portal Office)", text)  # P1 resolution
		self.seen("8 h business time (SC Portal Office)", text)  # P3 action start
		self.seen("around the clock, every day", text)  # the on-call window
		self.seen("1,750.00", text)  # the call-in fee
		self.seen('<ul class="sc-callers"><li>Alpha</li></ul>', text)  # the caller's Contact
		# contract from 2026-01-01, 12-month terms: the term that holds today ends on 31 December
		today = frappe.utils.getdate()
		self.seen(frappe.utils.formatdate(dt.date(today.year, 12, 31)), text)
		# the bank as the run recorded it: Q4 2026, 2 h of remote work on Alpha's ticket on 2 November
		self.seen(self.period, text)
		self.seen("2:00 h", text)
		self.seen("Mon 2 Nov 2026 09:00", text)
		self.seen(f'<a href="/support/tickets/{self.issues["SC Portal Alpha"]}">', text)
		self.seen("<td>Remote</td>", text)
		# the December invoice with each line's explanation in full (ERPNext's /invoices cuts at 140)
		self.seen(f'data-invoice="{self.invoice}"', text)
		self.seen("consumed in time order by business-hours work", text)

	def test_the_hour_bank_this_period_from_the_ledger(self):
		"""On 23 November 2026 (pinned): Q4's 15 h allocated by the December invoice, 2 h used, 13 h left,
		expiring on 31 December (the tier carries nothing over)."""
		frappe.flags.current_time = dt.datetime(2026, 11, 23, 12, 0)
		try:
			doc = frappe.get_doc("Support Contract", self.contracts["SC Portal Alpha"])
			bank = portal.hour_bank(doc, firm.rating_tier(self.tier))
		finally:
			frappe.flags.current_time = None
		this = bank["this"]
		self.assertEqual(bank["current"], "Q4 2026")
		self.assertEqual((this["allocated"], this["used"], this["left"]), (900, 120, 780))
		self.assertEqual(
			(this["allocated_text"], this["used_text"], this["left_text"]), ("15:00 h", "2:00 h", "13:00 h")
		)
		self.assertEqual(bank["expires"], dt.date(2026, 12, 31))
		self.assertEqual(
			[(e["issue"], e["kind"], e["minutes"]) for e in this["entries"]],
			[(self.issues["SC Portal Alpha"], "Remote", "2:00 h")],
		)

	def test_another_customers_invoice_is_not_shown(self):
		text = self.page(f"/support/contracts/{self.contracts['SC Portal Beta']}", "beta").text
		self.unseen(self.invoice, text)
		self.assertNotEqual(self.page(f"/invoices/{self.invoice}", "beta").status_code, 200)
		self.assertEqual(self.page(f"/invoices/{self.invoice}", "alpha").status_code, 200)

	def test_a_ticket_shows_its_clock_and_messages_but_no_internal_comment(self):
		text = self.page(f"/support/tickets/{self.issues['SC Portal Alpha']}", "alpha").text
		self.seen("We are looking at the web shop now.", text)
		self.unseen("INTERNAL", text)
		self.seen("Action start", text)
		self.seen("Resolution", text)

	def test_a_reply_resumes_a_clock_paused_on_replied(self):
		name = self.issues["SC Portal Gamma"]
		issue = frappe.get_doc("Issue", name)
		issue.status = "Replied"
		issue.save()
		frappe.db.commit()
		self.assertEqual(
			frappe.db.get_value("SLA Clock Event", {"issue": name, "event": "paused"}, "event"), "paused"
		)
		r = self.call("reply", "both", {"issue": name, "message": "It works again <b>now</b>"})
		self.assertEqual(r.status_code, 200, r.text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Issue", name, "status"), "Open")
		self.assertTrue(frappe.db.exists("SLA Clock Event", {"issue": name, "event": "resumed"}))
		comm = frappe.get_all(
			"Communication",
			filters={"reference_name": name, "sent_or_received": "Received"},
			fields=["content", "sender"],
		)
		self.assertEqual(comm[0].sender, USERS["both"][0])
		self.assertIn("&lt;b&gt;now&lt;/b&gt;", comm[0].content)

	# ---------------------------------------------------------------- reporting an incident
	def test_reporting_shows_the_promised_due_times_and_asks_to_confirm_the_fee(self):
		"""In-process, with time pinned: Thu 18 Jun 2026 16:30 (the eve of Midsummer Eve). P1: action
		start 1 h of 08–17 → Mon 22 Jun 08:30; resolution 4 h → Mon 22 Jun 11:30 (docs/rules.md B).
		The on-call add-on's window is open at all hours: the call-in costs 1,750.00 (docs/rules.md A6)."""
		frappe.set_user(USERS["alpha"][0])
		frappe.flags.current_time = dt.datetime(2026, 6, 18, 16, 30)
		try:
			p = portal.promise_for("P1")
			self.assertEqual(
				[(d["label"], d["due"]) for d in p["due"]],
				[("Action start", "Mon 22 Jun 2026 08:30"), ("Resolution", "Mon 22 Jun 2026 11:30")],
			)
			self.assertTrue(p["on_call"])
			self.assertIn("1,750.00", p["fee"])
			with self.assertRaises(frappe.ValidationError) as refused:
				portal.report_incident("Orders stopped", "Nothing comes through", "P1")
			self.assertIn("Confirm Fee", str(refused.exception))
			made = portal.report_incident(
				"Orders stopped", "Nothing comes through\nsince 16:00", "P1", confirm_fee=1
			)
		finally:
			frappe.flags.current_time = None
			frappe.set_user("Administrator")
		issue = frappe.get_doc("Issue", made["name"])
		self.assertEqual(
			(issue.customer, issue.raised_by, issue.sc_support_contract),
			("SC Portal Alpha", USERS["alpha"][0], self.contracts["SC Portal Alpha"]),
		)
		self.assertEqual(str(issue.sc_action_start_due), "2026-06-22 08:30:00")
		self.assertEqual(frappe.db.get_value("Incident Fee", {"issue": issue.name}, "fee"), 1750)
		self.assertEqual(made["clock"]["targets"][0]["label"], "Action start")
		self.assertIn("Mon 22 Jun 2026 08:30", made["clock"]["targets"][0]["state"])
		self.assertEqual(made["route"], f"/support/tickets/{issue.name}")

	def test_bad_input_names_the_field_and_stores_nothing(self):
		before = frappe.db.count("Issue", {"customer": "SC Portal Gamma"})
		cases = (
			({"subject": " ", "description": "d", "priority": "P1"}, "Subject"),
			({"subject": "s", "description": "", "priority": "P1"}, "Description"),
			({"subject": "x" * 141, "description": "d", "priority": "P1"}, "Subject"),
			({"subject": "s", "description": "d", "priority": "P9"}, "Priority"),
			(
				{"subject": "s", "description": "d", "priority": "P1", "error_category": "Critical"},
				"Error Category",
			),
		)
		for data, field in cases:
			with self.subTest(field=field, data=data):
				r = self.call("report_incident", "both", {"customer": "SC Portal Gamma", **data})
				self.assertEqual(r.status_code, 417, r.text)
				self.assertIn(field, r.json["exception"])
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Issue", {"customer": "SC Portal Gamma"}), before)

	def test_ticket_creation_is_rate_limited_per_user(self):
		frappe.db.set_single_value("Support Contract Settings", "portal_tickets_per_hour", 2)
		frappe.db.commit()
		for email, _customers in USERS.values():
			frappe.cache.delete_value(f"rl:support_contracts.api.portal.report_incident:{email}")
		data = {"subject": "Slow", "description": "The shop is slow", "priority": "P3"}
		codes = [self.call("report_incident", "beta", data).status_code for _ in range(3)]
		self.assertEqual(codes, [200, 200, 429])
		# another user is not limited by beta's tickets
		self.assertEqual(self.call("report_incident", "alpha", {**data, "confirm_fee": 1}).status_code, 200)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Issue", {"customer": "SC Portal Beta", "subject": "Slow"}), 2)

	# ---------------------------------------------------------------- the agent's side
	def test_an_agent_sees_the_next_due_target_at_the_top_of_the_issue(self):
		from support_contracts.api.desk import clock_summary

		summary = clock_summary(self.issues["SC Portal Beta"])
		self.assertEqual(summary["issue"], self.issues["SC Portal Beta"])
		self.assertEqual([t["metric"] for t in summary["targets"]], ["action_start", "resolution"])
		self.assertTrue(summary["headline"].startswith("Action start"), summary["headline"])

	# ---------------------------------------------------------------- the user's language
	def test_pages_speak_the_users_language(self):
		"""User › Language sv or no (Frappe's Norsk, served the app's Bokmål catalogue): the contract page's
		words, dates and the coverage sentence in that language."""
		email = USERS["beta"][0]
		path = f"/support/contracts/{self.contracts['SC Portal Beta']}"
		expected = {
			"sv": (
				"Vad som ingår",
				"mån–fre 08:00–17:00; stängt på allmänna helgdagar i Sverige, Midsommarafton, Julafton, Nyårsafton",
				"Timbank",
			),
			"no": (
				"Hva som dekkes",
				"man–fre 08:00–17:00; stengt på offentlige helligdager i Sverige, Midtsommeraften, Julaften, Nyttårsaften",
				"Timebank",
			),
		}
		try:
			for lang, words in expected.items():
				frappe.db.set_value("User", email, "language", lang)
				frappe.db.commit()
				frappe.clear_cache(user=email)
				# a browser's session: Frappe picks the user's language when the session names the user
				# its own client: the shared one would keep the session's cookie for the other tests
				client = get_test_client()
				text = make_request(
					target=client.get, args=(path,), kwargs={"json": {"sid": self.session_of(email)}}
				).text
				for w in words:
					with self.subTest(lang=lang, words=w):
						self.seen(w, text)
		finally:
			frappe.db.set_value("User", email, "language", None)
			frappe.db.commit()
			frappe.clear_cache(user=email)

	def test_a_portal_user_listed_on_the_customer_acts_for_it_too(self):
		"""ERPNext 15 gives invoices to Customer › Portal Users: a user listed there (and on no Contact of
		it) acts for that customer here too, and for nothing else."""
		gamma = frappe.get_doc("Customer", "SC Portal Gamma")
		gamma.append("portal_users", {"user": USERS["beta"][0]})
		gamma.save(ignore_permissions=True)
		frappe.db.commit()
		try:
			self.assertEqual(access.customers_of(USERS["beta"][0]), ["SC Portal Beta", "SC Portal Gamma"])
			self.assertEqual(
				self.page(f"/support/contracts/{self.contracts['SC Portal Gamma']}", "beta").status_code, 200
			)
			self.assertEqual(
				self.page(f"/support/contracts/{self.contracts['SC Portal Alpha']}", "beta").status_code, 404
			)
		finally:
			frappe.db.delete("Portal User", {"parent": "SC Portal Gamma", "user": USERS["beta"][0]})
			frappe.db.commit()

	def test_an_ssa_l_contact_reports_by_error_category(self):
		"""An SSA-L tier asks for the error category (docs/rules.md E), which is the ticket's priority; its
		meaning is shown; a priority instead of a category is refused, naming the field."""
		frappe.set_user(USERS["delta"][0])
		try:
			options = portal.form_options("SC Portal Delta")
			self.assertTrue(options["error_category"])
			self.assertEqual([p["name"] for p in options["priorities"]], ["Critical", "Serious", "Minor"])
			self.assertTrue(options["priorities"][1]["meaning"].startswith("SSA-L Serious error"))
			with self.assertRaises(frappe.ValidationError) as refused:
				portal.report_incident("Reports fail", "The export stops", "P1")
			self.assertIn("Error Category", str(refused.exception))
			made = portal.report_incident("Reports fail", "The export stops", error_category="Serious")
		finally:
			frappe.set_user("Administrator")
		issue = frappe.get_doc("Issue", made["name"])
		self.assertEqual((issue.priority, issue.sc_error_category), ("Serious", "Serious"))
		self.assertEqual(issue.sc_support_tier, self.ssa_tier)

	def test_a_tickets_clock_in_words_paused_resumed_met_and_missed(self):
		"""Gamma's P1 opened Mon 22 Jun 2026 10:00 (08–17): action start due 11:00, resolution 14:00.
		Replied 10:30–11:30 pauses both by 1 h (the tier pauses on Replied): action start 12:00, resolution
		15:00. Started 11:45 (met), resolved 16:00 (missed by an hour)."""
		at = lambda h, m=0: dt.datetime(2026, 6, 22, h, m)  # noqa: E731
		frappe.flags.current_time = at(10)
		try:
			issue = frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "Clock in words",
					"customer": "SC Portal Gamma",
					"priority": "P1",
					"opening_date": "2026-06-22",
					"opening_time": "10:00:00",
				}
			).insert()
			frappe.flags.current_time = at(10, 30)
			issue.status = "Replied"
			issue.save()
			view = portal.clock_view(issue, clock_report(issue))
			self.assertEqual(view["headline"], "Action start: paused (waiting for your reply), 30 min left")
			frappe.flags.current_time = at(11, 30)
			issue.status = "Open"
			issue.save()
			view = portal.clock_view(issue, clock_report(issue))
			self.assertEqual(
				view["headline"], "Action start due Mon 22 Jun 2026 12:00 — 30 min of business time left"
			)
			frappe.flags.current_time = at(11, 50)
			issue.sc_action_started_on = "2026-06-22 11:45:00"
			issue.save()
			frappe.flags.current_time = at(16)
			issue.status = "Resolved"
			issue.save()
			view = portal.clock_view(issue, clock_report(issue))
		finally:
			frappe.flags.current_time = None
		self.assertEqual(
			[(t["label"], t["state"]) for t in view["targets"]],
			[
				("Action start", "met Mon 22 Jun 2026 11:45"),
				("Resolution", "missed: due Mon 22 Jun 2026 15:00, done Mon 22 Jun 2026 16:00"),
			],
		)
		self.assertEqual(view["headline"], "Resolved")

	# ---------------------------------------------------------------- what an adversarial pass found
	def test_links_a_website_user_writes_never_make_them_a_contact(self):
		"""Frappe lets every user create Contacts and insert link rows, even into another's Contact:
		only what a Desk user recorded counts."""
		h = self.headers["beta"]
		r = self.post(
			self.resource("Contact"),
			{
				"first_name": "Mallory",
				"user": USERS["beta"][0],
				"links": [{"link_doctype": "Customer", "link_name": "SC Portal Alpha"}],
			},
			headers=h,
		)
		made = r.json.get("data", {}).get("name") if r.status_code == 200 else None
		r2 = self.post(
			self.resource("Dynamic Link"),
			{
				"parenttype": "Contact",
				"parent": self.contacts["beta"],
				"parentfield": "links",
				"link_doctype": "Customer",
				"link_name": "SC Portal Gamma",
			},
			headers=h,
		)
		try:
			frappe.db.rollback()
			self.assertEqual(access.customers_of(USERS["beta"][0]), ["SC Portal Beta"])
			for c in ("SC Portal Alpha", "SC Portal Gamma"):
				self.assertEqual(
					self.page(f"/support/contracts/{self.contracts[c]}", "beta").status_code, 404
				)
			r = self.call(
				"report_incident",
				"beta",
				{
					"customer": "SC Portal Alpha",
					"subject": "s",
					"description": "d",
					"priority": "P1",
					"confirm_fee": 1,
				},
			)
			self.assertEqual(r.status_code, 417)
		finally:
			if made:
				frappe.delete_doc("Contact", made, force=True, ignore_permissions=True)
			if r2.status_code == 200:
				frappe.db.delete("Dynamic Link", {"name": r2.json["data"]["name"]})
			frappe.db.commit()

	def test_erpnexts_issue_web_form_cannot_open_tickets_for_others_nor_skip_the_portal(self):
		h = self.headers["alpha"]
		before = frappe.db.count("Issue", {"customer": ("in", ["SC Portal Beta", "SC Portal Alpha"])})
		for customer in ("SC Portal Beta", "SC Portal Alpha"):
			with self.subTest(customer=customer):
				r = self.post(
					self.method("frappe.website.doctype.web_form.web_form.accept"),
					{
						"web_form": "issues",
						"data": frappe.as_json(
							{
								"subject": "by web form",
								"description": "x",
								"priority": "P1",
								"customer": customer,
							}
						),
					},
					headers=h,
				)
				self.assertEqual(r.status_code, 403, r.text[:300])
		# nor change the priority or status of a governed ticket of their own
		own = self.issues["SC Portal Alpha"]
		r = self.post(
			self.method("frappe.website.doctype.web_form.web_form.accept"),
			{
				"web_form": "issues",
				"data": frappe.as_json({"name": own, "subject": "x", "priority": "P3", "status": "On Hold"}),
			},
			headers=h,
		)
		self.assertNotEqual(r.status_code, 200)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.count("Issue", {"customer": ("in", ["SC Portal Beta", "SC Portal Alpha"])}), before
		)
		self.assertEqual(frappe.db.get_value("Issue", own, ["priority", "status"]), ("P1", "Open"))

	def test_the_ticket_limit_is_one_counter_per_user_whatever_the_route_and_counts_only_tickets_opened(self):
		frappe.db.set_single_value("Support Contract Settings", "portal_tickets_per_hour", 2)
		frappe.db.commit()
		for email, _customers in USERS.values():
			frappe.cache.delete_value(f"rl:support_contracts.api.portal.report_incident:{email}")
		bad = {"subject": "Slow again", "description": "x", "priority": "P9"}
		good = {"subject": "Slow again", "description": "The shop is slow", "priority": "P3"}
		h = self.headers["beta"]
		codes = [
			self.call("report_incident", "beta", bad).status_code for _ in range(3)
		]  # typos: not counted
		codes.append(self.call("report_incident", "beta", good).status_code)
		v2 = self.post("/api/v2/method/support_contracts.api.portal.report_incident", good, headers=h)
		codes.append(v2.status_code)
		codes.append(self.call("report_incident", "beta", good).status_code)
		self.assertEqual(codes, [417, 417, 417, 200, 200, 429])

	def test_tag_links_and_other_contacts_rows_are_not_listed_to_contacts(self):
		h = self.headers["alpha"]
		r = self.get(
			self.resource("Tag Link"), {"fields": frappe.as_json(["document_name", "title"])}, headers=h
		)
		self.assertTrue(r.status_code in (403, 404) or r.json["data"] == [], r.text[:300])
		# the app's labels do not carry the subject (Frappe lets Desk users read every Tag Link)
		titles = frappe.get_all(
			"Tag Link", filters={"document_name": self.issues["SC Portal Alpha"]}, pluck="title"
		)
		self.assertTrue(titles and set(titles) == {self.issues["SC Portal Alpha"]}, titles)
		for child in ("Dynamic Link", "Contact Email"):
			with self.subTest(child=child):
				r = self.post(
					self.method("frappe.client.get_list"),
					{
						"doctype": child,
						"parent": "Contact",
						"fields": frappe.as_json(["parent"]),
						"limit_page_length": 0,
					},
					headers=h,
				)
				if r.status_code == 200:
					own = set(frappe.get_all("Contact", filters={"user": USERS["alpha"][0]}, pluck="name"))
					self.assertEqual({row["parent"] for row in r.json["message"]} - own, set())

	def test_a_contact_comments_only_on_their_own_tickets(self):
		r = self.post(
			self.method("frappe.templates.includes.comments.comments.add_comment"),
			{
				"comment": "probe",
				"comment_email": "admin@example.com",
				"comment_by": "Admin",
				"reference_doctype": "Issue",
				"reference_name": self.issues["SC Portal Beta"],
				"route": "x",
			},
			headers=self.headers["alpha"],
		)
		self.assertNotEqual(r.status_code, 200)
		frappe.db.rollback()
		self.assertFalse(
			frappe.db.exists(
				"Comment", {"reference_name": self.issues["SC Portal Beta"], "content": ("like", "%probe%")}
			)
		)

	def test_a_closed_ticket_or_one_of_an_ended_contract_takes_no_reply(self):
		issue = frappe.get_doc(
			{"doctype": "Issue", "subject": "Closed one", "customer": "SC Portal Gamma", "priority": "P1"}
		).insert()
		issue.status = "Closed"
		issue.save()
		frappe.db.commit()
		r = self.call("reply", "both", {"issue": issue.name, "message": "still broken"})
		self.assertEqual(r.status_code, 417)
		self.assertIn("closed", r.json["exception"])
		# an e-mail on the ticket of an ended contract does not restart its clock
		frappe.db.set_value("Support Contract", self.contracts["SC Portal Gamma"], "status", "Terminated")
		frappe.db.commit()
		try:
			frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Received",
					"subject": "Re: Closed one",
					"content": "hello?",
					"sender": USERS["both"][0],
					"reference_doctype": "Issue",
					"reference_name": issue.name,
				}
			).insert(ignore_permissions=True)
			self.assertFalse(frappe.db.exists("SLA Clock Event", {"issue": issue.name, "event": "reopened"}))
			r = self.call("reply", "both", {"issue": self.issues["SC Portal Gamma"], "message": "hello?"})
			self.assertEqual(r.status_code, 417)
			self.assertIn("ended", r.json["exception"])
		finally:
			frappe.db.rollback()
			frappe.db.set_value("Support Contract", self.contracts["SC Portal Gamma"], "status", "Active")
			frappe.db.commit()

	def test_odd_input_is_a_clear_refusal_not_a_server_error(self):
		r = self.post(
			self.method("support_contracts.api.portal.report_incident"),
			{"subject": ["x"], "description": "d", "priority": "P3"},
			headers=self.headers["beta"],
		)
		self.assertEqual(r.status_code, 417)
		self.assertIn("Subject", r.json["exception"])
		self.assertEqual(self.call("reply", "beta", {}).status_code, 404)
		self.assertEqual(self.call("promise_for", "beta", {}).status_code, 417)
		r = self.post(
			self.method("frappe.client.get_count"),
			{"doctype": "Issue", "filters": "not json"},
			headers=self.headers["beta"],
		)
		self.assertEqual(r.status_code, 417)
		self.assertEqual(self.get(self.method("support_contracts.api.on_call.feed")).status_code, 403)
		# a subject is stored as text: markup and control characters go, entities are text
		frappe.set_user(USERS["beta"][0])
		try:
			made = portal.report_incident("<b>Tom</b> & Jerry\u202e 5 < 6", "d", "P3")
		finally:
			frappe.set_user("Administrator")
		subject = portal.subject_text(frappe.db.get_value("Issue", made["name"], "subject"))
		self.assertEqual(subject, "Tom & Jerry 5 < 6")
