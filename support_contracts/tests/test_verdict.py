"""The customer's verdict (docs/rules.md F4) over HTTP, as a contact gives it on the portal: a resolved ticket
rated once, 1 to 5 with a comment, kept on the ticket where the agents see it; a rating of 2 or less opens a
follow-up for the managers; bad input refused naming the field, nothing stored; another customer's ticket
answers as one that does not exist; the weekly report and SLA Compliance sum the ratings. Committed data
(the requests are served apart from the test's transaction), removed afterwards."""

import hashlib
import re
from email import message_from_string

import frappe
from frappe.tests.test_api import FrappeAPITestCase

from support_contracts.adapters import reporting
from support_contracts.tests.factories import (
	delete_committed_issues,
	in_threads,
	make_api_user,
	make_calendar,
	make_contract,
	make_customer,
	make_issue,
	make_tier,
)

CONTACTS = {"alpha": "sc-verdict-alpha@example.com", "beta": "sc-verdict-beta@example.com"}
MANAGER = "sc-verdict-manager@example.com"


class TestVerdict(FrappeAPITestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.calendar = make_calendar("SC Verdict Office")
		cls.tier = make_tier("SC Verdict Tier", cls.calendar)
		cls.customers, cls.contracts, cls.headers, cls.issues = {}, [], {}, {}
		for who, email in CONTACTS.items():
			customer = make_customer(f"SC Verdict {who.title()}")
			cls.customers[who] = customer
			cls.contracts.append(make_contract(customer, cls.tier))
			cls.headers[who] = make_api_user(email, ("Customer",), website_user=True)
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": who.title(),
					"user": email,
					"email_ids": [{"email_id": email, "is_primary": 1}],
					"links": [{"link_doctype": "Customer", "link_name": customer}],
				}
			).insert(ignore_permissions=True)
			resolved = make_issue(customer, None, "P1", subject=f"Printer down ({who})")
			resolved.status = "Resolved"
			resolved.save()
			cls.issues[who] = resolved.name
		cls.open_issue = make_issue(cls.customers["alpha"], None, "P1", subject="Still open").name
		make_api_user(MANAGER, ("Support Manager",))
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		frappe.db.delete("ToDo", {"reference_type": "Issue", "allocated_to": MANAGER})
		delete_committed_issues(list(cls.customers.values()))
		for contract in cls.contracts:
			frappe.delete_doc("Support Contract", contract, force=True, ignore_permissions=True)
		for email in (*CONTACTS.values(), MANAGER):
			for contact in frappe.get_all("Contact", filters={"user": email}, pluck="name"):
				frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
		for who in CONTACTS:
			frappe.cache.delete_value(f"rl:support_contracts.api.portal.rate:{CONTACTS[who]}")
		frappe.delete_doc("Support Tier", cls.tier, force=True, ignore_permissions=True)
		frappe.delete_doc("Support Calendar", cls.calendar, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def rate(self, who, issue, rating, comment=""):
		return self.post(
			self.method("support_contracts.api.portal.rate"),
			{"issue": issue, "rating": rating, "comment": comment},
			headers=self.headers[who],
		)

	def stored(self, issue):
		frappe.db.rollback()  # read what the requests committed
		return frappe.db.get_value(
			"Issue", issue, ["sc_rating", "sc_rating_comment", "sc_rated_by"], as_dict=True
		)

	def test_a_contact_rates_a_resolved_ticket_once_and_the_page_shows_it(self):
		issue = self.issues["alpha"]
		page = self.get(f"/support/tickets/{issue}", headers=self.headers["alpha"])
		self.assertIn('id="sc-rate"', page.get_data(as_text=True))
		r = self.rate("alpha", issue, 4, "Quick and <b>friendly</b>")
		self.assertEqual(r.status_code, 200, r.text)
		got = self.stored(issue)
		self.assertEqual(
			(got.sc_rating, got.sc_rating_comment, got.sc_rated_by),
			(4, "Quick and friendly", CONTACTS["alpha"]),
		)
		again = self.rate("alpha", issue, 5)
		self.assertEqual(again.status_code, 417)
		self.assertIn("rated already", again.text)
		self.assertEqual(self.stored(issue).sc_rating, 4)
		page = self.get(f"/support/tickets/{issue}", headers=self.headers["alpha"]).get_data(as_text=True)
		self.assertIn('data-rating="4"', page)
		self.assertNotIn('id="sc-rate"', page)
		# the agents' form keeps it whatever a save brings in
		doc = frappe.get_doc("Issue", issue)
		doc.sc_rating = 1
		doc.save()
		self.assertEqual(frappe.db.get_value("Issue", issue, "sc_rating"), 4)
		frappe.db.rollback()

	def test_a_comment_is_kept_as_text_never_as_html(self):
		# a tag left unclosed passes strip_html; the Desk's Small Text would close it at the line break
		issue = make_issue(self.customers["beta"], None, "P1", subject="Comment as text")
		issue.status = "Resolved"
		issue.save()
		frappe.db.commit()
		r = self.rate("beta", issue.name, 3, "<img src=x onerror=alert(1) \nthanks")
		self.assertEqual(r.status_code, 200, r.text)
		comment = self.stored(issue.name).sc_rating_comment
		self.assertNotIn("<", comment)
		self.assertIn("&lt;img", comment)
		page = self.get(f"/support/tickets/{issue.name}", headers=self.headers["beta"]).get_data(as_text=True)
		self.assertIn("&lt;img src=x", page)
		self.assertNotIn("&amp;lt;", page)  # escaped once

	def test_a_low_rating_opens_a_follow_up_for_the_managers(self):
		issue = self.issues["beta"]
		self.assertEqual(self.rate("beta", issue, 2, "Took three days").status_code, 200)
		frappe.db.rollback()
		todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Issue", "reference_name": issue, "allocated_to": MANAGER},
			pluck="description",
		)
		self.assertEqual(len(todos), 1)
		self.assertIn("rated ticket", todos[0])
		self.assertIn("2 of 5", todos[0])

	def test_what_cannot_be_rated_is_refused_and_nothing_is_stored(self):
		for rating in (0, 6, "abc", "3.5", ""):
			with self.subTest(rating=rating):
				r = self.rate("alpha", self.open_issue, rating)
				self.assertEqual(r.status_code, 417, r.text)
				self.assertIn("Rating", r.text)
		r = self.rate("alpha", self.open_issue, 5)
		self.assertEqual(r.status_code, 417)
		self.assertIn("not resolved yet", r.text)
		# another customer's ticket answers as one that does not exist, and keeps its rating
		other = self.rate("alpha", self.issues["beta"], 1)
		self.assertIn(other.status_code, (403, 404))
		self.assertFalse(self.stored(self.open_issue).sc_rating)  # 0: not rated

	def test_the_weekly_report_and_sla_compliance_sum_the_ratings(self):
		from support_contracts.support_contracts.report.sla_compliance import sla_compliance

		issue = self.issues["alpha"]
		if not self.stored(issue).sc_rating:
			self.assertEqual(self.rate("alpha", issue, 4).status_code, 200)
			frappe.db.rollback()
		month = frappe.utils.getdate(frappe.db.get_value("Issue", issue, "opening_date"))
		summary = sla_compliance.execute(
			{
				"from_month": f"{month:%Y-%m}",
				"to_month": f"{month:%Y-%m}",
				"customer": self.customers["alpha"],
			}
		)[4]
		self.assertEqual(summary[-1]["value"], "4.0 of 5 (1 rated)")
		rated_on = frappe.utils.getdate(frappe.db.get_value("Issue", issue, "sc_rated_at"))
		week = reporting.weekly_summary(rated_on - frappe.utils.datetime.timedelta(days=rated_on.weekday()))
		self.assertGreaterEqual(week["rated"], 1)
		self.assertIsNotNone(week["rating"])


class TestRatingLink(FrappeAPITestCase):
	"""The resolution e-mail's rating link (docs/rules.md F4), over HTTP as the contact who opens it without
	logging in: one e-mail per resolution; the page shows the form for a good link and nothing of the
	ticket for a bad one; the rating is stored once; a used, expired, foreign or superseded link is
	refused alike, and so is a bad rating, with nothing stored. Committed, removed afterwards."""

	EMAIL = "sc-link-contact@example.com"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.calendar = make_calendar("SC Link Office")
		cls.tier = make_tier("SC Link Tier", cls.calendar)
		cls.customer = make_customer("SC Link Customer")
		cls.contract = make_contract(cls.customer, cls.tier)
		make_api_user(cls.EMAIL, ("Customer",), website_user=True)
		make_api_user(MANAGER, ("Support Manager",))
		frappe.db.set_single_value("Support Contract Settings", "rating_links", 1)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		frappe.db.set_single_value("Support Contract Settings", "rating_links", 0)
		issues = frappe.get_all("Issue", filters={"customer": cls.customer}, pluck="name") or [""]
		frappe.db.delete("Email Queue", {"reference_doctype": "Issue", "reference_name": ("in", issues)})
		delete_committed_issues([cls.customer])
		frappe.delete_doc("Support Contract", cls.contract, force=True, ignore_permissions=True)
		frappe.delete_doc("User", cls.EMAIL, force=True, ignore_permissions=True)
		frappe.cache.delete_value("rl:support_contracts.api.portal.rate_by_link:127.0.0.1")
		frappe.delete_doc("Support Tier", cls.tier, force=True, ignore_permissions=True)
		frappe.delete_doc("Support Calendar", cls.calendar, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		super().setUp()
		frappe.cache.delete_value("rl:support_contracts.api.portal.rate_by_link:127.0.0.1")

	def resolved(self, subject: str) -> tuple[str, str]:
		"""A governed Issue from the contact, resolved (committed): its name and the token of its e-mail."""
		issue = make_issue(self.customer, None, "P3", subject=subject, raised_by=self.EMAIL)
		issue.status = "Resolved"
		issue.save()
		frappe.db.commit()
		return issue.name, self.token_mailed(issue.name)

	def token_mailed(self, issue: str, nth: int = -1) -> str:
		mails = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Issue", "reference_name": issue},
			fields=["message"],
			order_by="creation asc",
		)
		msg = message_from_string(mails[nth].message)
		html = next(
			p.get_payload(decode=True).decode() for p in msg.walk() if p.get_content_type() == "text/html"
		)
		return re.search(r"token=([A-Za-z0-9_\-]+)", html).group(1)

	def rate(self, ticket, token, rating, comment=""):
		return self.post(
			self.method("support_contracts.api.portal.rate_by_link"),
			{"ticket": ticket, "token": token, "rating": rating, "comment": comment},
		)

	def stored(self, issue):
		frappe.db.rollback()
		return frappe.db.get_value(
			"Issue",
			issue,
			["sc_rating", "sc_rated_by", "sc_rated_by_email", "sc_rating_token", "sc_rating_link_expires"],
			as_dict=True,
		)

	def test_the_link_rates_once_without_logging_in(self):
		issue, token = self.resolved("Mail stuck")
		queued = frappe.get_all("Email Queue", filters={"reference_name": issue}, pluck="name")
		self.assertEqual(len(queued), 1)
		recipients = frappe.get_all("Email Queue Recipient", filters={"parent": queued[0]}, pluck="recipient")
		self.assertEqual(recipients, [self.EMAIL])
		got = self.stored(issue)
		self.assertEqual(got.sc_rating_token, hashlib.sha256(token.encode()).hexdigest())  # never the secret
		days = (got.sc_rating_link_expires - frappe.utils.now_datetime()).total_seconds() / 86400
		self.assertAlmostEqual(days, 14, delta=0.01)
		page = self.get(f"/support/rate?ticket={issue}&token={token}").get_data(as_text=True)
		self.assertIn("sc-rate-by-link", page)
		self.assertIn("Mail stuck", page)
		wrong = self.get(f"/support/rate?ticket={issue}&token=x{token[1:]}").get_data(as_text=True)
		self.assertIn("sc-link-not-good", wrong)
		self.assertNotIn("Mail stuck", wrong)
		# a bad rating is refused naming the field, and the link still works
		for rating in (0, 6, "abc"):
			r = self.rate(issue, token, rating)
			self.assertEqual(r.status_code, 417, r.text)
			self.assertIn("Rating", r.text)
		self.assertFalse(self.stored(issue).sc_rating)
		r = self.rate(issue, token, 5, "Fixed within the hour")
		self.assertEqual(r.status_code, 200, r.text)
		got = self.stored(issue)
		self.assertEqual(
			(got.sc_rating, got.sc_rated_by, got.sc_rated_by_email, got.sc_rating_token),
			(5, self.EMAIL, self.EMAIL, None),
		)
		used = self.rate(issue, token, 1)
		self.assertEqual(used.status_code, 403)
		self.assertIn("does not work", used.text)
		self.assertEqual(self.stored(issue).sc_rating, 5)

	def test_an_expired_foreign_or_superseded_link_is_refused_alike(self):
		first, first_token = self.resolved("Printer offline")
		second, second_token = self.resolved("VPN down")
		# another ticket's secret opens nothing
		self.assertEqual(self.rate(first, second_token, 4).status_code, 403)
		# expired
		frappe.db.set_value(
			"Issue", first, "sc_rating_link_expires", frappe.utils.add_days(frappe.utils.now_datetime(), -1)
		)
		frappe.db.commit()
		self.assertEqual(self.rate(first, first_token, 4).status_code, 403)
		self.assertFalse(self.stored(first).sc_rating)
		# reopened and resolved again: a new e-mail, and the first link of it stops working
		doc = frappe.get_doc("Issue", second)
		doc.status = "Open"
		doc.save()
		doc.status = "Resolved"
		doc.save()
		frappe.db.commit()
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": second}), 2)
		self.assertEqual(self.rate(second, second_token, 4).status_code, 403)
		r = self.rate(second, self.token_mailed(second), 2, "Down again the next day")
		self.assertEqual(r.status_code, 200, r.text)
		frappe.db.rollback()  # a low rating's follow-up, as from the portal
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": second, "allocated_to": MANAGER}))

	def test_two_uses_of_one_link_at_once_rate_once(self):
		from support_contracts.adapters import portal

		issue, token = self.resolved("Switch rebooting")
		results = in_threads(lambda i: portal.rate_by_link(issue, token, 4 + i % 2), 2)
		self.assertEqual(sum(isinstance(r, dict) for r in results), 1, results)
		frappe.db.rollback()
		self.assertIn(frappe.db.get_value("Issue", issue, "sc_rating"), (4, 5))

	def test_a_link_of_a_reopened_ticket_does_not_offer_its_form(self):
		issue, token = self.resolved("Reopened")
		doc = frappe.get_doc("Issue", issue)
		doc.status = "Open"
		doc.save()
		frappe.db.commit()
		page = self.get(f"/support/rate?ticket={issue}&token={token}").get_data(as_text=True)
		self.assertIn("sc-link-not-good", page)
		r = self.rate(issue, token, 4)
		self.assertEqual(r.status_code, 403)
		self.assertIn("does not work", r.text)

	def test_no_link_is_mailed_when_the_settings_do_not_ask(self):
		frappe.db.set_single_value("Support Contract Settings", "rating_links", 0)
		frappe.db.commit()
		try:
			issue = make_issue(self.customer, None, "P3", subject="Quiet", raised_by=self.EMAIL)
			issue.status = "Resolved"
			issue.save()
			frappe.db.commit()
			self.assertEqual(frappe.db.count("Email Queue", {"reference_name": issue.name}), 0)
			self.assertFalse(frappe.db.get_value("Issue", issue.name, "sc_rating_token"))
		finally:
			frappe.db.set_single_value("Support Contract Settings", "rating_links", 1)
			frappe.db.commit()
