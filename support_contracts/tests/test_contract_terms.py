# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""Contract terms where the agent works (docs/rules.md A5, E6): the first line is told of each new
request once, and the contract's written instructions stand at the top of its Issues, with the actions
taken under them logged on the Issue. (Maintenance windows, E4: beside their doctype.)"""

import frappe

from support_contracts.adapters import issue as issue_adapter
from support_contracts.adapters.times import naive
from support_contracts.tests.factories import (
	SCTestCase,
	make_contract,
	make_customer,
	make_issue,
	make_tier,
)
from support_contracts.tests.test_issue_sla import at

AGENT = "sc-first-line@example.com"
OUTSIDER = "sc-terms-outsider@example.com"


def make_user(email: str, *roles: str) -> str:
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles(*roles)
	return email


def told(issue: str) -> list[tuple[str, str]]:
	return [
		(n.for_user, n.subject)
		for n in frappe.get_all(
			"Notification Log",
			filters={"document_type": "Issue", "document_name": issue},
			fields=["for_user", "subject"],
			order_by="for_user asc",
		)
	]


class TestFirstLine(SCTestCase):
	def setUp(self):
		super().setUp()
		make_user(AGENT, "Support Agent")
		self.tier = make_tier("SC Terms Tier", first_line_role="Support Agent")
		self.customer = make_customer("SC Terms Customer")
		make_contract(self.customer, self.tier)

	def test_each_new_request_is_told_to_the_first_line_once(self):
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		doc = make_issue(self.customer, at(2026, 11, 23, 9), "P1", subject="Web shop <down>")
		notes = told(doc.name)
		stored = frappe.db.get_value("Issue", doc.name, "subject")  # as Frappe sanitised it on save
		self.assertIn(
			(AGENT, f"New request {doc.name} from SC Terms Customer: {frappe.utils.escape_html(stored)}"),
			notes,
		)
		self.assertNotIn("Guest", [u for u, _s in notes])
		doc.description = "More detail"
		doc.save()
		self.assertEqual(told(doc.name), notes)  # once

	def test_nobody_is_told_without_a_first_line_or_a_contract(self):
		frappe.db.set_value("Support Tier", self.tier, "first_line_role", None)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		governed = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.assertEqual(told(governed.name), [])
		walk_in = make_issue(make_customer("SC Terms Walk-in"), at(2026, 11, 23, 9), "P1")
		self.assertEqual(told(walk_in.name), [])


class TestProactiveInstructions(SCTestCase):
	def setUp(self):
		super().setUp()
		self.tier = make_tier("SC Terms Tier")
		self.customer = make_customer("SC Terms Customer")
		self.contract = make_contract(
			self.customer,
			self.tier,
			proactive_instructions="<p>Restart the <b>queue</b> service.</p><script>alert(1)</script>",
		)
		frappe.flags.current_time = naive(at(2026, 11, 23, 9))
		self.issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name

	def test_the_instructions_stand_at_the_top_of_the_issue(self):
		summary = issue_adapter.clock_summary(self.issue)
		self.assertIn("Restart the <b>queue</b> service.", summary["instructions"])
		self.assertNotIn("<script", summary["instructions"])  # only as escaped text

	def test_an_action_under_them_is_logged_on_the_issue(self):
		name = issue_adapter.log_proactive_action(self.issue, "Restarted the <queue> service at 02:10")
		comment = frappe.get_doc("Comment", name)
		self.assertEqual((comment.reference_doctype, comment.reference_name), ("Issue", self.issue))
		self.assertEqual(
			comment.content,
			"Proactive action under the contract's written instructions: "
			"Restarted the &lt;queue&gt; service at 02:10",
		)

	def test_no_action_without_text_instructions_or_write_permission(self):
		before = frappe.db.count("Comment", {"reference_name": self.issue})
		with self.assertRaises(frappe.ValidationError):
			issue_adapter.log_proactive_action(self.issue, "   ")
		frappe.db.set_value("Support Contract", self.contract, "proactive_instructions", "<p></p>")
		with self.assertRaises(frappe.ValidationError):
			issue_adapter.log_proactive_action(self.issue, "Restarted it")
		frappe.db.set_value("Support Contract", self.contract, "proactive_instructions", "Restart it")
		make_user(OUTSIDER, "Customer")
		frappe.set_user(OUTSIDER)
		try:
			with self.assertRaises(frappe.PermissionError):
				issue_adapter.log_proactive_action(self.issue, "Restarted it")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Comment", {"reference_name": self.issue}), before)
