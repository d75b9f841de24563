"""No way out of the SLA (issue 29 point 5, docs/rules.md B4): a new Issue dated before its customer's
contract began is refused, not saved without a clock; an Issue that comes under a contract after it was
opened has its clock count from the move, and the move is recorded."""

import frappe

from support_contracts.adapters.times import naive
from support_contracts.tests.factories import make_customer, make_issue
from support_contracts.tests.test_issue_sla import SLATestCase, at


class TestOpenedBeforeTheContract(SLATestCase):
	def test_a_new_issue_dated_before_the_contract_began_is_refused(self):
		"""The contract runs from 2026-01-01; an Issue typed in on 2026-06-18 as opened on 2025-12-31
		would be saved ungoverned."""
		self.now(at(2026, 6, 18, 10))
		with self.assertRaisesRegex(
			frappe.ValidationError, f"Opening Date and Time.*is before support contract {self.contract}"
		):
			make_issue(self.customer, at(2025, 12, 31, 16), "P1")
		self.assertFalse(frappe.db.exists("Issue", {"customer": self.customer}))

	def test_an_issue_from_before_the_contract_may_be_imported(self):
		self.now(at(2026, 6, 18, 10))
		frappe.flags.in_import = True
		try:
			doc = make_issue(self.customer, at(2025, 12, 31, 16), "P1")
		finally:
			frappe.flags.in_import = False
		self.assertIsNone(doc.sc_support_contract)

	def test_a_customer_without_a_contract_is_left_to_erpnext_whatever_the_date(self):
		self.now(at(2026, 6, 18, 10))
		doc = make_issue(make_customer("SC Test Walk-in"), at(2025, 12, 31, 16), "P1")
		self.assertIsNone(doc.sc_support_contract)


class TestMovedOntoAContract(SLATestCase):
	def test_the_clock_counts_from_the_move_and_the_move_is_recorded(self):
		"""Logged at 09:00 before the caller said who they were; at 09:40 the agent names the customer, whose
		contract governs it from then: action must start within an hour of business time after 09:40."""
		self.now(at(2026, 6, 16, 9))
		doc = make_issue(None, at(2026, 6, 16, 9), "P1", subject="Who is calling?")
		self.now(at(2026, 6, 16, 9, 40))
		doc.customer = self.customer
		doc.save()
		[created] = frappe.get_all(
			"SLA Clock Event", filters={"issue": doc.name, "event": "created"}, fields=["at", "note"]
		)
		self.assertEqual(created.at, naive(at(2026, 6, 16, 9, 40)))
		self.assertIn(f"Came under support contract {self.contract} at 2026-06-16 09:40:00", created.note)
		self.assertIn("opened 2026-06-16 09:00:00", created.note)
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Issue", "reference_name": doc.name, "comment_type": "Info"},
			pluck="content",
		)
		self.assertTrue([c for c in comments if "counts from the move" in c], comments)
		self.assertAt(doc.sc_action_start_due, at(2026, 6, 16, 10, 40))
