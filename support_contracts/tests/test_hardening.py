"""What an agent may not bend (issue 7): the app's SLA fields, the clock's inputs once it runs, the
append-only ledgers, write access through sharing, a stale form after enforcement, leftovers of an
uninstall, incident fees of another Issue, and activations the clock on the wall never showed."""

import frappe

from support_contracts.adapters import enforcement
from support_contracts.adapters.issue import ALERT, alert_rank, alert_state
from support_contracts.adapters.times import naive
from support_contracts.engine.escalation import BREACHED, ESCALATED, NO_ALERT
from support_contracts.setup.install import clear_leftover_issue_fields
from support_contracts.support_contracts.doctype.jour_activation.test_jour_activation import make_activation
from support_contracts.support_contracts.doctype.jour_week.test_jour_week import make_week
from support_contracts.tests.factories import (
	make_employee,
	make_issue,
	make_pay_scheme,
)
from support_contracts.tests.test_enforcement import transitions
from support_contracts.tests.test_issue_sla import SLATestCase, at

test_ignore = ["Employee", "Issue", "Customer", "Support Contract", "Sales Invoice"]


class TestAppOwnedFields(SLATestCase):
	def test_input_for_sla_state_fields_is_ignored(self):
		# an agent tries to silence a breach: the stored values stay and enforcement still escalates
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.now(at(2026, 11, 23, 9, 10))
		issue.update(
			{
				ALERT: alert_rank(ESCALATED),
				"sc_manager_escalation_at": "2099-01-01 00:00:00",
				"sc_escalation_level": "Support Manager",
				"sc_action_start_due": "2099-01-01 00:00:00",
				"sc_support_contract": None,
				"sc_on_call": 1,
			}
		)
		issue.save()
		stored = frappe.db.get_value(
			"Issue",
			issue.name,
			[ALERT, "sc_manager_escalation_at", "sc_escalation_level", "sc_support_contract"],
			as_dict=True,
		)
		self.assertEqual(alert_state(stored[ALERT]), NO_ALERT)
		# the app's own instant (breach 10:00 + the tier's 4 h), not the 2099 typed in
		self.assertEqual(stored.sc_manager_escalation_at, naive(at(2026, 11, 23, 14)))
		self.assertEqual(stored.sc_escalation_level, "Level 2")
		self.assertEqual(stored.sc_support_contract, self.contract)
		self.assertAt(issue.sc_action_start_due, at(2026, 11, 23, 10))
		self.assertEqual(issue.sc_on_call, 0)
		frappe.flags.current_time = naive(at(2026, 11, 23, 10, 5))
		enforcement.enforce()
		self.assertEqual(alert_state(frappe.db.get_value("Issue", issue.name, ALERT)), BREACHED)

	def test_a_form_loaded_before_enforcement_cannot_undo_it(self):
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		stale = frappe.get_doc("Issue", issue.name)
		frappe.flags.current_time = naive(at(2026, 11, 23, 10, 5))
		enforcement.enforce()
		self.assertEqual(transitions(issue.name), ["Breached"])
		stale.description = "typed while enforcement ran"
		with self.assertRaises(frappe.TimestampMismatchError):
			stale.save()
		# even a save that skips the stale check keeps the escalation (the fields are the app's)
		stale.reload()
		stale.set(ALERT, alert_rank(NO_ALERT))
		stale.sc_escalation_level = "Level 2"
		stale.save()
		rank, level = frappe.db.get_value("Issue", issue.name, [ALERT, "sc_escalation_level"])
		self.assertEqual((alert_state(rank), level), (BREACHED, "Level 3"))
		enforcement.enforce()
		self.assertEqual(transitions(issue.name), ["Breached"])  # not a second time


class TestClockInputs(SLATestCase):
	def governed(self):
		self.now(at(2026, 11, 23, 9))
		return make_issue(self.customer, at(2026, 11, 23, 9), "P1")

	def assertRefused(self, issue, field, value, words):
		issue.reload()
		issue.set(field, value)
		with self.assertRaises(frappe.ValidationError) as ctx:
			issue.save()
		self.assertIn(words, str(ctx.exception))

	def test_customer_and_opening_time_are_fixed_once_the_clock_runs(self):
		issue = self.governed()
		other = (
			frappe.get_doc(
				{
					"doctype": "Customer",
					"customer_name": "SC Test No Contract",
					"customer_group": "All Customer Groups",
					"territory": "All Territories",
				}
			)
			.insert()
			.name
		)
		self.assertRefused(issue, "customer", other, "Customer</strong> cannot be changed")
		self.assertRefused(issue, "opening_date", "2019-01-01", "Opening Date</strong> cannot be changed")
		self.assertRefused(issue, "opening_time", "02:00:00", "Opening Time</strong> cannot be changed")
		# the same time typed differently is no change
		issue.reload()
		issue.opening_time = "09:00"
		issue.save()
		self.assertEqual(self.events(issue.name), ["created"])

	def test_action_started_is_recorded_once_and_never_in_the_future(self):
		issue = self.governed()
		self.now(at(2026, 11, 23, 9, 30))
		self.assertRefused(issue, "sc_action_started_on", "2030-01-01 10:00:00", "is in the future")
		self.assertRefused(issue, "sc_action_started_on", "2026-02-30 10:00:00", "Action Started On")
		issue.reload()
		issue.sc_action_started_on = "2026-11-23 09:20:00"
		issue.save()
		self.assertRefused(
			issue, "sc_action_started_on", "2026-11-23 09:25:00", "cannot be changed or cleared"
		)
		self.assertRefused(issue, "sc_action_started_on", None, "cannot be changed or cleared")
		self.assertEqual(self.events(issue.name), ["created", "action_started"])

	def test_a_new_issue_opens_neither_in_the_future_nor_too_far_back(self):
		self.now(at(2026, 11, 23, 9))
		for opened, words in (
			(at(2099, 1, 1, 9), "is in the future"),
			(at(2026, 11, 19, 8, 59), "is more than 72 hours ago"),
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				make_issue(self.customer, opened, "P1")
			self.assertIn(words, str(ctx.exception))
		self.assertEqual(
			make_issue(self.customer, at(2026, 11, 20, 9, 1), "P1").sc_support_contract, self.contract
		)

	def test_impossible_dates_and_times_are_a_clear_refusal(self):
		self.now(at(2026, 11, 23, 9))
		for values, words in (
			({"opening_date": "2026-02-30"}, "Opening Date</strong> is not a valid date"),
			({"opening_date": "2026-11-23", "opening_time": "25:99"}, "Opening Time</strong> is not a time"),
		):
			doc = frappe.get_doc(
				{"doctype": "Issue", "subject": "x", "customer": self.customer, "priority": "P1", **values}
			)
			with self.assertRaises(frappe.ValidationError) as ctx:
				doc.insert()
			self.assertIn(words, str(ctx.exception))

	def test_paused_time_of_a_resolved_issue_does_not_grow(self):
		issue = self.governed()
		self.now(at(2026, 11, 23, 9, 10))
		issue.status = "On Hold"
		issue.save()
		self.now(at(2026, 11, 23, 9, 40))
		issue.status = "Resolved"
		issue.save()
		self.assertEqual(issue.sc_paused_time, 30 * 60)
		self.now(at(2026, 11, 25, 12))
		issue.description = "a note after resolution"
		issue.save()
		self.assertEqual(issue.sc_paused_time, 30 * 60)


class TestLedgersAndSharing(SLATestCase):
	def test_ledgers_are_append_only_even_for_the_administrator(self):
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		event = frappe.get_doc("SLA Clock Event", {"issue": issue.name})
		event.at = "2026-11-23 12:00:00"
		with self.assertRaises(frappe.PermissionError):
			event.save()
		with self.assertRaises(frappe.PermissionError):
			event.delete()
		frappe.flags.current_time = naive(at(2026, 11, 23, 10, 5))
		enforcement.enforce()
		transition = frappe.get_doc("SLA Transition", {"issue": issue.name})
		with self.assertRaises(frappe.PermissionError):
			transition.delete()

	def test_nobody_adds_clock_events_by_hand_not_even_the_administrator(self):
		# an event before the Issue's creation would leave a ledger no clock can replay, for good
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		forged = frappe.get_doc(
			{
				"doctype": "SLA Clock Event",
				"issue": issue.name,
				"event": "outside_area",
				"at": "2026-11-23 08:00:00",
			}
		)
		with self.assertRaises(frappe.PermissionError):
			forged.insert(ignore_permissions=True)
		self.assertEqual(
			frappe.get_all("SLA Clock Event", filters={"issue": issue.name}, pluck="event"), ["created"]
		)
		issue.reload()
		issue.description = "still saves"
		issue.save()

	def test_sharing_grants_read_only(self):
		for doctype, name in (("Support Tier", self.tier), ("Support Contract", self.contract)):
			with self.assertRaises(frappe.PermissionError):
				frappe.share.add(doctype, name, "Guest", write=1)
			with self.assertRaises(frappe.PermissionError):
				frappe.share.add(doctype, name, "Guest", share=1)
			share = frappe.share.add(doctype, name, "Guest", read=1)
			self.assertEqual((share.read, share.write, share.share), (1, 0, 0))


class TestReinstall(SLATestCase):
	def test_issues_of_a_removed_contract_save_again(self):
		# after uninstall + install the sc_* columns still name a contract whose table was dropped
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		frappe.db.set_value(
			"Issue", issue.name, {"sc_support_contract": "SC-GONE-0001", "sc_support_tier": "Gone Tier"}
		)
		clear_leftover_issue_fields()
		values = frappe.db.get_value(
			"Issue",
			issue.name,
			["sc_support_contract", "sc_support_tier", "sc_action_start_due", "sc_on_call"],
		)
		self.assertEqual(values, (None, None, None, 0))
		self.now(at(2026, 11, 23, 9, 30))
		doc = frappe.get_doc("Issue", issue.name)
		doc.description = "saved after reinstall"
		doc.save()  # governed again from now: a new clock
		self.assertEqual(doc.sc_support_contract, self.contract)


class TestIncidentFeeBelongsToItsIssue(SLATestCase):
	def test_customer_contract_and_billed_status_are_checked(self):
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name
		other = (
			frappe.get_doc(
				{
					"doctype": "Customer",
					"customer_name": "SC Test Other Payer",
					"customer_group": "All Customer Groups",
					"territory": "All Territories",
				}
			)
			.insert()
			.name
		)
		fee = {
			"doctype": "Incident Fee",
			"issue": issue,
			"customer": self.customer,
			"support_contract": self.contract,
			"called_at": "2026-11-23 09:00:00",
			"fee": 1750,
		}
		for change, words in (
			({"customer": other}, "Customer</strong> SC Test Other Payer is not the one of Issue"),
			({"support_contract": None}, "Support Contract</strong> (none) is not the one of Issue"),
			({"status": "Billed"}, "names no <strong>Sales Invoice"),
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				frappe.get_doc({**fee, **change}).insert()
			self.assertIn(words, str(ctx.exception))
		self.assertEqual(frappe.get_doc(fee).insert().status, "Unbilled")


class TestActivationsAsTheClockShowedThem(SLATestCase):
	def setUp(self):
		super().setUp()
		self.scheme = make_pay_scheme()
		self.anna = make_employee("Anna")
		make_week(self.anna, 13, self.scheme)  # 23–29 March 2026: DST starts Sunday 29 March 02:00

	def test_a_time_the_dst_change_skips_is_refused(self):
		for start, end, field in (
			("2026-03-29 02:30:00", "2026-03-29 03:30:00", "From"),
			("2026-03-29 01:10:00", "2026-03-29 02:50:00", "To"),
		):
			with self.assertRaises(frappe.ValidationError) as ctx:
				make_activation(self.anna, start, end)
			self.assertIn(
				f"{field}</strong> <strong>{start if field == 'From' else end}</strong> does not exist",
				str(ctx.exception),
			)
		# across the gap: 01:30 → 03:30 is one real hour
		a = make_activation(self.anna, "2026-03-29 01:30:00", "2026-03-29 03:30:00")
		self.assertEqual(sum(s.minutes for s in a.splits), 60)

	def test_one_row_lasts_at_most_the_longest_activation(self):
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_activation(self.anna, "2026-03-23 08:00:00", "2026-03-24 08:30:00")
		self.assertIn("one activation may last at most 24 hours", str(ctx.exception))
		frappe.db.set_single_value("Support Contract Settings", "max_activation_hours", 48)
		self.assertEqual(
			make_activation(self.anna, "2026-03-23 08:00:00", "2026-03-24 08:30:00").employee, self.anna
		)


class TestFoundByTheAdversarialPass(SLATestCase):
	def test_a_form_that_sends_back_the_opening_time_with_microseconds_saves(self):
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		frappe.db.set_value(
			"Issue", issue.name, "opening_time", "09:00:00.165496"
		)  # as an API insert stores it
		issue.reload()
		issue.opening_time = "09:00:00.165496"
		issue.description = "sent back as read"
		issue.save()
		self.assertEqual(self.events(issue.name), ["created"])

	def test_action_started_given_at_creation_is_checked_and_recorded(self):
		self.now(at(2026, 11, 23, 9, 30))
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_issue(self.customer, at(2026, 11, 23, 9), "P1", sc_action_started_on="2030-01-01 00:00:00")
		self.assertIn("is in the future", str(ctx.exception))
		issue = make_issue(
			self.customer, at(2026, 11, 23, 9), "P1", sc_action_started_on="2026-11-23 09:20:00"
		)
		self.assertEqual(self.events(issue.name), ["created", "action_started"])

	def test_a_padded_status_still_moves_the_clock(self):
		self.now(at(2026, 11, 23, 9))
		issue = make_issue(self.customer, at(2026, 11, 23, 9), "P1")
		self.now(at(2026, 11, 23, 9, 30))
		issue.status = " Resolved"
		issue.save()
		self.assertEqual(self.events(issue.name), ["created", "resolved"])
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "status"), "Resolved")

	def test_ledger_rows_cannot_be_renamed_nor_governed_issues_merged(self):
		self.now(at(2026, 11, 23, 9))
		a = make_issue(self.customer, at(2026, 11, 23, 9), "P1").name
		b = make_issue(self.customer, at(2026, 11, 23, 9), "P1", subject="Second").name
		event = frappe.db.get_value("SLA Clock Event", {"issue": a})
		with self.assertRaises(frappe.PermissionError):
			frappe.rename_doc("SLA Clock Event", event, f"x{event}", force=True)
		with self.assertRaises(frappe.ValidationError) as ctx:
			frappe.rename_doc("Issue", a, b, merge=True)
		self.assertIn("cannot be merged", str(ctx.exception))
		self.assertEqual(self.events(a), ["created"])
		self.assertEqual(self.events(b), ["created"])


class TestActivationLengthInRealTime(SLATestCase):
	def test_the_night_the_clocks_go_back_counts_its_25_hours(self):
		scheme = make_pay_scheme()
		anna = make_employee("Anna")
		make_week(anna, 43, scheme)  # 19–25 October 2026: DST ends Sunday 25 October 03:00 → 02:00
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_activation(anna, "2026-10-25 00:00:00", "2026-10-26 00:00:00")
		self.assertIn("lasts 25 hours", str(ctx.exception))
		a = make_activation(anna, "2026-10-25 00:00:00", "2026-10-25 23:00:00")  # 23 clock hours, 24 real
		self.assertEqual(sum(s.minutes for s in a.splits), 24 * 60)
