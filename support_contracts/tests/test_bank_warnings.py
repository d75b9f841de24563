"""Hour banks that warn (docs/rules.md F2, issue 33): a tier warning at 75 % and 100 % of a 15 h quarter.
Logged work that reaches a percentage tells the contract's authorised callers and the customer's account
manager once, each in their language; the work beyond the bank is marked on its ticket before it is billed;
the contract's form and the portal show the bank's state in colour. Figures worked by hand: 75 % of 900 min
is 675 min, 100 % is 900."""

from email import message_from_string
from email.header import decode_header, make_header
from unittest import mock

import frappe
from frappe.tests.test_api import FrappeAPITestCase
from frappe.utils import add_to_date, get_datetime

from support_contracts.adapters import billing
from support_contracts.adapters.billing.unbilled import watch
from support_contracts.adapters.times import aware, naive
from support_contracts.tests.factories import (
	SCTestCase,
	company,
	delete_committed_issues,
	delete_ticket_records,
	in_threads,
	log_work,
	make_api_user,
	make_calendar,
	make_contact,
	make_contract,
	make_customer,
	make_issue,
	make_portal_contact,
	make_tier,
)
from support_contracts.tests.test_issue_sla import at

WARNING = "Hour Bank Warning"
CALLER = "sc-bank-caller@example.com"
MANAGER = "sc-bank-manager@example.com"


def user(email_: str, language: str, **kw) -> str:
	if not frappe.db.exists("User", email_):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email_,
				"first_name": email_.split("@")[0],
				"send_welcome_email": 0,
				**kw,
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("User", email_, "language", language)
	return email_


class BankCase(SCTestCase):
	def setUp(self):
		super().setUp()
		self.tier = make_tier(
			"SC Bank Tier",
			calendar=make_calendar("SC Bank Office"),
			hour_bank_hours=15,
			hour_bank_period="Quarter",
			hour_bank_warn_at="75, 100",
		)
		self.customer = make_customer("SC Bank Customer")
		# the customer's account manager reads Norwegian; the caller's own user reads Swedish
		frappe.db.set_value("Customer", self.customer, "account_manager", user(MANAGER, "nb"))
		contact = make_contact(self.customer, "Siri", CALLER)
		frappe.db.set_value("Contact", contact, "user", user(CALLER, "sv", user_type="Website User"))
		self.contract = make_contract(
			self.customer, self.tier, authorised_callers=[{"contact": contact, "full_name": "Siri"}]
		)
		self.now(2026, 5, 4, 8)
		self.issue = make_issue(self.customer, at(2026, 5, 4, 8), "P3", subject="Backups").name

	def now(self, *args):
		frappe.flags.current_time = naive(at(*args))

	def log(self, start, minutes: int, issue: str | None = None, submit: bool = True):
		"""``minutes`` of remote work from ``start`` on the Issue, on a Timesheet submitted (by default)."""
		self.now(2026, 5, 29, 18)
		return log_work(issue or self.issue, start, minutes, submit=submit)

	def warnings(self) -> list[tuple]:
		return [
			(w.period, w.percent, w.used_minutes, w.allotted_minutes, w.reached_by)
			for w in frappe.get_all(
				WARNING,
				filters={"support_contract": self.contract},
				fields=["period", "percent", "used_minutes", "allotted_minutes", "reached_by"],
				order_by="percent asc",
			)
		]

	def mails(self) -> dict[str, tuple[str, str]]:
		"""The queued warning mails of the contract: recipient → (subject, text), decoded."""
		out = {}
		for q in frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Support Contract", "reference_name": self.contract},
			fields=["name", "message"],
		):
			msg = message_from_string(q.message)
			subject = str(make_header(decode_header(msg["Subject"])))
			text = next(
				p.get_payload(decode=True).decode() for p in msg.walk() if p.get_content_type() == "text/html"
			)
			for r in frappe.get_all("Email Queue Recipient", filters={"parent": q.name}, pluck="recipient"):
				out[r] = (subject, text)
		return out

	def overage(self, issue: str | None = None) -> int:
		return frappe.db.get_value("Issue", issue or self.issue, "sc_overage_minutes")


class TestWarnings(BankCase):
	def test_logged_work_reaching_75_and_100_percent_tells_each_once_in_their_language(self):
		# 10 h of remote work in business hours: 600 of 900 min, below 75 % (675)
		self.log(at(2026, 5, 4, 8), 300)
		self.log(at(2026, 5, 5, 8), 300)
		self.assertEqual(self.warnings(), [])
		# 1 h 15 min more: 675 min, 75 % exactly — the caller and the account manager are told
		self.log(at(2026, 5, 6, 8), 75)
		self.assertEqual(self.warnings(), [("Q2 2026", 75, 675, 900, "Logged Work")])
		mails = self.mails()
		self.assertEqual(sorted(mails), [CALLER, MANAGER])
		self.assertEqual(mails[CALLER][0], "Timbank Q2 2026: 75 % av timmarna förbrukade")
		self.assertIn("11:15 h", mails[CALLER][1])
		self.assertIn("11:15 h", mails[MANAGER][1])
		self.assertEqual(mails[MANAGER][0], "Timebank Q2 2026: 75 % av timene brukt")
		# more work under 100 %: nobody is told again
		self.log(at(2026, 5, 7, 8), 60)
		self.assertEqual(len(self.warnings()), 1)
		self.assertEqual(len(frappe.get_all("Email Queue", {"reference_name": self.contract})), 2)
		# 3 h more: 735 → 915, past 900 — 100 % told; the last 15 min are beyond the bank, on the ticket
		self.log(at(2026, 5, 8, 8), 180)
		self.assertEqual([w[1] for w in self.warnings()], [75, 100])
		self.assertEqual(self.overage(), 15)
		self.assertEqual(len(frappe.get_all("Email Queue", {"reference_name": self.contract})), 4)

	def test_billing_what_was_logged_tells_nobody_again_and_the_billed_overage_leaves_the_ticket(self):
		self.log(at(2026, 5, 4, 8), 480)
		self.log(at(2026, 5, 5, 8), 480)  # 960 min: both percentages, 60 min beyond the bank
		self.assertEqual([w[1] for w in self.warnings()], [75, 100])
		self.assertEqual(self.overage(), 60)
		self.now(2026, 6, 1, 6)
		out = billing.bill_contract(self.contract, 2026, 6, company=company(), posting_date="2026-06-01")
		self.assertEqual(out["outcome"], billing.INVOICED)
		self.assertEqual(len(self.warnings()), 2)
		self.assertEqual(self.overage(), 0)  # billed now: on the invoice, at the hourly rate
		si = frappe.get_doc("Sales Invoice", out["sales_invoice"])
		self.assertEqual(sum(i.amount for i in si.items), 8000 + 850)  # June's fee + 1 h × 850

	def test_work_billed_before_the_tier_warned_is_told_as_billed_at_the_run(self):
		frappe.db.set_value("Support Tier", self.tier, "hour_bank_warn_at", None)
		self.log(at(2026, 5, 4, 8), 480)  # 480 of 900: 53 %
		self.log(at(2026, 5, 5, 8), 240)  # 720: 80 %, and nobody is told: the tier names no percentage
		self.assertEqual(self.warnings(), [])
		tier = frappe.get_doc("Support Tier", self.tier)
		tier.hour_bank_warn_at = "75"
		tier.save()
		self.now(2026, 6, 1, 6)
		billing.bill_contract(self.contract, 2026, 6, company=company(), posting_date="2026-06-01")
		self.assertEqual(self.warnings(), [("Q2 2026", 75, 720, 900, "Billed Work")])

	def test_a_site_without_outgoing_mail_still_takes_the_work_and_keeps_the_warning(self):
		# as Frappe answers where no outgoing e-mail account is set up
		refuse = mock.patch("frappe.sendmail", side_effect=frappe.OutgoingEmailError("no outgoing account"))
		with refuse:
			self.log(at(2026, 5, 4, 8), 720)  # 80 %: reached, but no mail can be queued
		self.assertEqual([w[1] for w in self.warnings()], [75])
		self.assertEqual(
			frappe.db.get_value(WARNING, {"support_contract": self.contract}, "recipients"), None
		)
		self.assertTrue(frappe.db.exists("Error Log", {"method": "support_contracts: mail not queued"}))

	def test_a_cancelled_timesheet_takes_its_overage_off_the_ticket(self):
		self.log(at(2026, 5, 4, 8), 480)
		late = self.log(at(2026, 5, 5, 8), 480)
		self.assertEqual(self.overage(), 60)
		late.cancel()
		self.assertEqual(self.overage(), 0)

	def test_after_hours_work_is_no_overage_where_the_bank_covers_business_hours(self):
		self.log(at(2026, 5, 4, 8), 900)  # the bank, all of it
		self.now(2026, 5, 9, 10)
		other = make_issue(self.customer, at(2026, 5, 9, 10), "P3", subject="Saturday").name
		self.log(at(2026, 5, 9, 10), 60, issue=other)  # a Saturday: billed at its rate, never from the bank
		self.assertEqual((self.overage(), self.overage(other)), (0, 0))
		self.log(at(2026, 5, 11, 9), 30, issue=other)  # a Monday: beyond the bank
		self.assertEqual(self.overage(other), 30)

	def approval(self):
		frappe.db.set_value("Support Tier", self.tier, "hour_bank_overage_approval", 1)

	def decision(self, issue=None) -> tuple:
		return tuple(
			frappe.db.get_value(
				"Issue", issue or self.issue, ["sc_overage_decision", "sc_overage_decided_minutes"]
			)
		)

	def decide(self, approved: int, issue=None):
		from support_contracts.adapters.portal.actions import _decide

		_decide(frappe.get_doc("Issue", issue or self.issue), "Approved" if approved else "Declined")

	def test_more_overage_after_a_decision_asks_again(self):
		self.approval()
		self.log(at(2026, 5, 4, 8), 930)  # 30 min beyond the 15 h
		self.assertEqual(self.decision(), ("Awaiting Approval", 0))
		self.decide(1)
		self.assertEqual(self.decision(), ("Approved", 30))
		self.log(at(2026, 5, 5, 8), 300)  # 5 h more beyond the bank: the approval was for 30 min
		self.assertEqual((self.overage(), self.decision()[0]), (330, "Awaiting Approval"))

	def test_a_tier_that_no_longer_asks_leaves_nothing_waiting(self):
		self.approval()
		self.log(at(2026, 5, 4, 8), 930)
		self.assertEqual(self.decision()[0], "Awaiting Approval")
		frappe.db.set_value("Support Tier", self.tier, "hour_bank_overage_approval", 0)
		watch(self.contract)
		self.assertEqual(self.decision()[0], None)

	def test_while_a_ticket_waits_later_work_waits_with_it_and_the_bank_keeps_time_order(self):
		# Monday 16 h on the first ticket: 1 h beyond the bank, awaiting. Tuesday 5 h on another ticket,
		# which would draw the bank first if the Monday waited alone. June's run bills neither; once the
		# first is approved, July's bills Monday's 1 h and Tuesday's 5 h beyond the bank: 6 × 850 = 5,100
		self.approval()
		self.log(at(2026, 5, 4, 8), 960)
		self.now(2026, 5, 5, 8)
		other = make_issue(self.customer, at(2026, 5, 5, 8), "P3", subject="Second").name
		self.log(at(2026, 5, 5, 8), 300, issue=other)
		self.assertEqual(self.decision(other)[0], "Awaiting Approval")  # its 5 h lie beyond the bank too
		self.decide(1, other)
		self.now(2026, 6, 1, 6)
		june = billing.bill_contract(self.contract, 2026, 6, company=company(), posting_date="2026-06-01")
		items = frappe.get_doc("Sales Invoice", june["sales_invoice"]).items
		self.assertEqual([i.item_code for i in items], ["SUPPORT-FEE"])  # only June's fee
		self.decide(1)
		self.now(2026, 7, 1, 6)
		july = billing.bill_contract(self.contract, 2026, 7, company=company(), posting_date="2026-07-01")
		work = [
			i.amount
			for i in frappe.get_doc("Sales Invoice", july["sales_invoice"]).items
			if i.item_code == "SUPPORT-REMOTE"
		]
		self.assertEqual(sum(work), 6 * 850)

	def test_two_workers_reaching_75_percent_at_once_tell_once(self):
		self.log(at(2026, 5, 4, 8), 720, submit=True)
		frappe.db.delete(WARNING, {"support_contract": self.contract})
		frappe.db.delete("Email Queue", {"reference_name": self.contract})
		frappe.db.commit()  # the threads read it on their own connections
		contract = self.contract
		try:
			results = in_threads(lambda i: watch(contract)["told"], 2)
			self.assertEqual(sorted(len(r) for r in results), [0, 1], results)
			self.assertEqual(frappe.db.count(WARNING, {"support_contract": contract}), 1)
			self.assertEqual(frappe.db.count("Email Queue", {"reference_name": contract}), 2)
		finally:
			self._remove_committed()

	def _remove_committed(self):
		"""The threads needed this test's data committed: remove it all, and start the test's savepoint anew."""
		frappe.db.rollback()
		for ts in frappe.get_all("Timesheet Detail", filters={"sc_issue": self.issue}, pluck="parent"):
			frappe.db.delete("Timesheet Detail", {"parent": ts})
			frappe.db.delete("Timesheet", {"name": ts})
		frappe.db.delete(WARNING, {"support_contract": self.contract})
		frappe.db.delete("Email Queue", {"reference_name": self.contract})
		delete_ticket_records([self.issue])
		for doctype, name in (
			("Issue", self.issue),
			("Support Contract", self.contract),
			("Support Tier", self.tier),
			("Support Calendar", "SC Bank Office"),
			("Contact", frappe.db.get_value("Contact", {"email_id": CALLER})),
			("Customer", self.customer),
			("User", CALLER),
			("User", MANAGER),
		):
			if name and frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()
		frappe.db.savepoint("sc_test")


class TestBankInput(BankCase):
	def test_a_tier_warning_at_what_is_not_a_percentage_is_refused_naming_the_field(self):
		for bad, shown in (("75, lots", "lots"), ("120", "120"), ("100, 75", "100, 75")):
			tier = frappe.get_doc("Support Tier", self.tier)
			tier.hour_bank_warn_at = bad
			with self.assertRaisesRegex(frappe.ValidationError, rf"Warn at \(% Used\).*{shown}"):
				tier.save()
		self.assertEqual(frappe.db.get_value("Support Tier", self.tier, "hour_bank_warn_at"), "75, 100")

	def test_the_form_shows_the_bank_orange_from_the_tiers_lowest_percentage(self):
		frappe.db.set_value("Support Tier", self.tier, "hour_bank_warn_at", "50, 100")
		self.log(at(2026, 5, 4, 8), 480)  # 480 of 900: 53 %, past 50 %
		self.now(2026, 6, 1, 6)
		billing.bill_contract(self.contract, 2026, 6, company=company(), posting_date="2026-06-01")
		self.now(2026, 6, 15, 12)
		doc = frappe.get_doc("Support Contract", self.contract)
		doc.run_method("onload")
		self.assertEqual(doc.get_onload()["glance"]["hour_bank"]["color"], "orange")


CONTACTS = {"alpha": "sc-overage-alpha@example.com", "beta": "sc-overage-beta@example.com"}
SUPPORT_MANAGER_USER = "sc-overage-manager@example.com"


class TestOverageApprovalOverHTTP(FrappeAPITestCase):
	"""A tier with a 15 h bank a year covering all work, warning at 75 % and 100 %, whose overage needs the
	customer's approval. Each of two customers has 16 h logged from 1 January of this year: 60 min beyond
	the bank, awaiting their decision. Over HTTP as each contact: the contract page in red with both
	warnings, the ticket page asking; alpha declines, beta approves; neither reaches the other's. Committed
	(the requests are served apart from the test's transaction), removed afterwards."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.calendar = make_calendar("SC Overage Office")
		cls.tier = make_tier(
			"SC Overage Tier",
			calendar=cls.calendar,
			hour_bank_hours=15,
			hour_bank_period="Year",
			hour_bank_covers="All Work",
			hour_bank_warn_at="75, 100",
			hour_bank_overage_approval=1,
			holiday_factor=1,
		)
		make_api_user(SUPPORT_MANAGER_USER, ("Support Manager",))
		year = frappe.utils.getdate().year
		start = get_datetime(f"{year}-01-01 00:00:00")
		cls.customers, cls.contracts, cls.headers, cls.issues = {}, {}, {}, {}
		for who, email in CONTACTS.items():
			customer = make_customer(f"SC Overage {who.title()}")
			cls.customers[who] = customer
			cls.headers[who] = make_api_user(email, ("Customer",), website_user=True)
			contact = make_portal_contact(customer, email, who.title())
			cls.contracts[who] = make_contract(
				customer, cls.tier, authorised_callers=[{"contact": contact, "full_name": who}]
			)
			frappe.flags.current_time = start
			cls.issues[who] = make_issue(customer, aware(start), "P3", subject=f"Migration ({who})").name
			frappe.flags.current_time = None
			ts = frappe.get_doc(
				{
					"doctype": "Timesheet",
					"company": company(),
					"time_logs": [
						{
							"from_time": add_to_date(start, hours=h),
							"to_time": add_to_date(start, hours=h + 8),
							"hours": 8,
							"sc_issue": cls.issues[who],
							"sc_work_kind": "Remote",
						}
						for h in (0, 8)
					],
				}
			).insert(ignore_permissions=True)
			ts.submit()
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		frappe.db.delete(
			"Notification Log", {"document_type": "Issue", "document_name": ("in", list(cls.issues.values()))}
		)
		for contract in cls.contracts.values():
			frappe.db.delete(WARNING, {"support_contract": contract})
			frappe.db.delete("Email Queue", {"reference_name": contract})
		for ts in frappe.get_all(
			"Timesheet Detail", filters={"sc_issue": ("in", list(cls.issues.values()))}, pluck="parent"
		):
			frappe.db.delete("Timesheet Detail", {"parent": ts})
			frappe.db.delete("Timesheet", {"name": ts})
		delete_committed_issues(list(cls.customers.values()))
		for contract in cls.contracts.values():
			frappe.delete_doc("Support Contract", contract, force=True, ignore_permissions=True)
		for email in (*CONTACTS.values(), SUPPORT_MANAGER_USER):
			for contact in frappe.get_all("Contact", filters={"user": email}, pluck="name"):
				frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
			frappe.cache.delete_value(f"rl:support_contracts.api.portal.decide_overage:{email}")
		frappe.delete_doc("Support Tier", cls.tier, force=True, ignore_permissions=True)
		frappe.delete_doc("Support Calendar", cls.calendar, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def page(self, path, who):
		return self.get(path, headers=self.headers[who])

	def decide(self, who, issue, approved):
		return self.post(
			self.method("support_contracts.api.portal.decide_overage"),
			{"issue": issue, "approved": approved},
			headers=self.headers[who],
		)

	def stored(self, issue):
		frappe.db.rollback()  # read what the requests committed
		return frappe.db.get_value(
			"Issue",
			issue,
			["sc_overage_minutes", "sc_overage_decision", "sc_overage_decided_by", "sc_overage_decided_at"],
			as_dict=True,
		)

	def bill(self, who):
		today = frappe.utils.getdate()
		year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
		return billing.bill_contract(self.contracts[who], year, month, company=company(), posting_date=today)

	def test_the_bank_and_the_ticket_then_awaiting_held_declined_unbilled_approved_billed(self):
		"""One story, in order: what each contact sees, then the run and the decisions."""
		self.look()
		# awaiting the decision, the run holds the ticket's time: nothing but the fee is billed
		out = self.bill("alpha")
		si = frappe.get_doc("Sales Invoice", out["sales_invoice"])
		self.assertEqual([i.description for i in si.items if "Remote" in i.description], [])
		frappe.db.rollback()
		# bad input and another customer's ticket change nothing
		self.assertEqual(self.decide("alpha", self.issues["alpha"], "maybe").status_code, 417)
		self.assertIn("Approved", self.decide("alpha", self.issues["alpha"], "maybe").json["exception"])
		self.assertIn(self.decide("beta", self.issues["alpha"], 0).status_code, (403, 404))
		self.assertEqual(self.stored(self.issues["alpha"]).sc_overage_decision, "Awaiting Approval")
		# alpha declines: kept with who and when; the Support Managers are told (nobody is assigned)
		self.assertEqual(self.decide("alpha", self.issues["alpha"], 0).status_code, 200)
		got = self.stored(self.issues["alpha"])
		self.assertEqual(
			(got.sc_overage_decision, got.sc_overage_decided_by), ("Declined", CONTACTS["alpha"])
		)
		self.assertTrue(got.sc_overage_decided_at)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log", {"for_user": SUPPORT_MANAGER_USER, "document_name": self.issues["alpha"]}
			)
		)
		self.assertEqual(self.decide("alpha", self.issues["alpha"], 1).status_code, 417)  # decided once
		# beta approves
		self.assertEqual(self.decide("beta", self.issues["beta"], 1).status_code, 200)
		self.assertEqual(self.stored(self.issues["beta"]).sc_overage_decision, "Approved")
		# billed: alpha's 15 h from the bank, the declined hour at 0; beta's hour beyond it at 850
		alpha = frappe.get_doc("Sales Invoice", self.bill("alpha")["sales_invoice"])
		declined = [i for i in alpha.items if "Overage declined (not billed)" in i.description]
		self.assertEqual([(i.qty, i.amount) for i in declined], [(1, 0)])
		beta = frappe.get_doc("Sales Invoice", self.bill("beta")["sales_invoice"])
		work = [
			i for i in beta.items if "Remote support" in i.description and "Hour bank" not in i.description
		]
		self.assertEqual([(i.qty, i.amount) for i in work], [(1, 850)])
		frappe.db.rollback()

	def look(self):
		"""The contract page in red with both warnings and what is logged; the ticket asking; only its own
		customer's contact reaching either; each caller told of 75 % and 100 %, once."""
		page = self.page(f"/support/contracts/{self.contracts['alpha']}", "alpha")
		self.assertEqual(page.status_code, 200)
		self.assertIn('data-state="exhausted"', page.text)  # 960 of 900 min: nothing left
		self.assertEqual(page.text.count("sc-bank-warning"), 2)  # 75 % and 100 % reached
		# 16 h logged, not yet invoiced: 15 h from the bank, 1 h beyond it
		logged = page.text.split('class="sc-bank-logged"')[1].split("</p>")[0]
		self.assertIn("15:00 h", logged)
		self.assertIn('class="sc-bank-over">1:00 h', logged)
		self.assertEqual(self.page(f"/support/contracts/{self.contracts['alpha']}", "beta").status_code, 404)
		ticket = self.page(f"/support/tickets/{self.issues['alpha']}", "alpha")
		self.assertIn('id="sc-overage-approve"', ticket.text)
		self.assertIn('data-minutes="60"', ticket.text)
		self.assertEqual(self.page(f"/support/tickets/{self.issues['alpha']}", "beta").status_code, 404)
		# the mails: each customer's caller told of 75 % and of 100 %, once
		frappe.db.rollback()
		for contract in self.contracts.values():
			self.assertEqual(
				sorted(frappe.get_all(WARNING, {"support_contract": contract}, pluck="percent")), [75, 100]
			)
			self.assertEqual(frappe.db.count("Email Queue", {"reference_name": contract}), 2)

	def test_two_answers_at_once_decide_once(self):
		"""After the story above: 3 h more on alpha's ticket ask again; two answers at the same moment —
		one approving, one declining — decide once, and only the one that decided is kept."""
		from support_contracts.adapters import portal

		issue = self.issues["alpha"]
		start = get_datetime(f"{frappe.utils.getdate().year}-01-02 00:00:00")
		log_work(issue, start, 180)
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("Issue", issue, "sc_overage_decision"), "Awaiting Approval")

		def answer(i):
			frappe.set_user(CONTACTS["alpha"])
			return portal.decide_overage(issue, i % 2)

		results = in_threads(answer, 2)
		decided = [r for r in results if isinstance(r, dict)]
		self.assertEqual(len(decided), 1, results)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Issue", issue, "sc_overage_decision"), decided[0]["decision"])
