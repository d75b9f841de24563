"""The rules that left the adapters for the engine (issue 8): a ticket's priority and the rollback rule
(docs/rules.md C3, E1), a week's stipend and an activation's amounts (C5, C6), the escalation table (E5),
and the one duration formatter. Expected values worked out by hand."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from support_contracts.engine import escalation as esc
from support_contracts.engine.calendar import to_us
from support_contracts.engine.config import parse_pay_scheme, parse_policy
from support_contracts.engine.durations import fmt_duration
from support_contracts.engine.errors import ConfigError, InputError
from support_contracts.engine.on_call import Activation, OnCallWeek, activation_pay, week_stipend
from support_contracts.engine.sla import clock_priority
from support_contracts.engine.targets import ROLLBACK, ticket_priority
from support_contracts.examples import load_firm, read_data

from .conftest import at

D = Decimal
KNOWN = ("P1", "P2", "P3", "P4", "Critical", "Serious", "Minor")


class TestTicketPriority:
	def test_rollback_is_p3_whatever_was_chosen(self):
		assert ticket_priority("P1", rollback=True, known=KNOWN) == "P3"

	def test_error_category_is_the_priority(self):
		assert ticket_priority("P4", error_category="Serious", known=KNOWN) == "Serious"

	def test_unknown_category_keeps_the_choice_and_default_fills_none(self):
		assert ticket_priority("P2", error_category="Blocker", known=KNOWN) == "P2"
		assert ticket_priority(None, default="P3", known=KNOWN) == "P3"
		assert ticket_priority(None, known=KNOWN) is None

	def test_rollback_needs_p3_to_exist(self):
		assert ticket_priority("P1", rollback=True, known=("P1",)) == "P1"


class TestRollbackRule:
	def test_every_policy_with_p3_handles_rollbacks_within_an_hour(self):
		trinax = load_firm("trinax").policy("alert")
		assert ROLLBACK in trinax.targets
		# Sat 21 Nov 20:00 + 1 wall hour
		assert trinax.due(ROLLBACK, at(2026, 11, 21, 20))["action_start"] == at(2026, 11, 21, 21)

	def test_configured_time_and_p3_first_response(self):
		data = read_data("ezy")
		sla = {**data["tiers"]["standard"]["sla"], "rollback_start_within": "30m"}
		cals = load_firm("ezy").calendar_specs
		due = parse_policy("x", sla, cals).due(ROLLBACK, at(2026, 11, 21, 20))
		assert due["action_start"] == at(2026, 11, 21, 20, 30)
		assert due["first_response"] == at(2026, 11, 23, 11)  # P3: 3 h from Monday's 08:00 opening

	def test_rollback_is_not_a_priority_of_its_own(self):
		sla = {"priorities": {"P3": {"first_response": "1h wall"}, "Rollback": {"action_start": "1h wall"}}}
		with pytest.raises(ConfigError, match="rollback_start_within"):
			parse_policy("x", sla, {})

	def test_no_p3_no_rollback(self):
		pindena = load_firm("pindena").policy("support_agreement")
		assert ROLLBACK not in pindena.targets
		assert clock_priority("Serious", True, pindena) == "Serious"
		assert clock_priority("P3", True, load_firm("ezy").policy("standard")) == ROLLBACK


@pytest.fixture(scope="module")
def scheme():
	return load_firm("ezy").pay_scheme()


class TestOnCallRules:
	def test_week_stipend_plain_and_uplifted(self, scheme):
		plain = week_stipend(OnCallWeek("anna", 2026, 24, "Jour 2"), scheme)
		assert (plain.amount, plain.uplift_reason) == (D("4500.00"), None)
		midsummer = week_stipend(OnCallWeek("anna", 2026, 25, "Jour 2"), scheme)  # 15–21 June 2026
		assert midsummer.amount == D("6750.00")
		assert "Midsummer Eve 2026-06-19" in midsummer.uplift_reason

	def test_week_of_another_level_is_refused(self, scheme):
		with pytest.raises(InputError, match="pays Jour 2"):
			week_stipend(OnCallWeek("anna", 2026, 24, "Jour 1"), scheme)

	def test_activation_pay_rounds_rows_but_sums_exactly(self, scheme):
		# Tue 24 Nov 2026 21:59:50–22:00:10: 10 s band 1 (290/h = 0.8055…) + 10 s band 3 (600/h = 1.6666…)
		pay = activation_pay(
			Activation("A", "anna", at(2026, 11, 24, 21, 59, 50), at(2026, 11, 24, 22, 0, 10)), scheme
		)
		assert [s.band.name for s in pay.segments] == ["Band 1", "Band 3"]
		assert pay.amounts == (D("0.81"), D("1.67"))
		assert pay.total == D("2.47")  # 2.4722…, not 0.81 + 1.67 = 2.48

	def test_scheme_pays_one_level_and_needs_a_country(self):
		base = {
			"timezone": "Europe/Stockholm",
			"level": "Jour 2",
			"stipend": 4500,
			"holidays": {"country": "SE"},
		}
		bands = [
			{"name": "Day", "rate": 100, "days": "all", "from": "06:00", "to": "22:00"},
			{"name": "Night", "rate": 200, "days": "all", "from": "22:00", "to": "06:00"},
		]
		assert parse_pay_scheme("j", {**base, "bands": bands}).stipend == D(4500)
		with pytest.raises(ConfigError, match="one level"):
			parse_pay_scheme("j", {**base, "bands": bands, "stipends": {"Jour 2": 4500}})
		with pytest.raises(ConfigError, match="holidays.country"):
			parse_pay_scheme("j", {**base, "holidays": {}, "bands": bands})


class TestEscalationTable:
	T0 = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone.utc)

	def instants(self, warn, breach, manager=None):
		h = dt.timedelta(hours=1)
		return {
			esc.WARNING_AT: self.T0 + warn * h,
			esc.BREACH_AT: self.T0 + breach * h,
			esc.MANAGER_AT: None if manager is None else self.T0 + manager * h,
		}

	def test_warning_then_breach_then_manager(self):
		t = esc.next_transition(esc.NO_ALERT, self.instants(-1, 1), self.T0)
		assert (t.state, t.level, t.notify) == (esc.WARNING, None, esc.ASSIGNEES)
		t = esc.next_transition(esc.WARNING, self.instants(-2, -1), self.T0)
		assert (t.state, t.level, t.notify) == (esc.BREACHED, esc.LEVEL_3, esc.ASSIGNEES)
		t = esc.next_transition(esc.BREACHED, self.instants(-3, -2, 0), self.T0)
		assert (t.state, t.level, t.notify) == (esc.ESCALATED, esc.SUPPORT_MANAGER, esc.MANAGERS)

	def test_the_manager_is_told_the_tiers_grace_after_the_breach_in_elapsed_time(self):
		stockholm = ZoneInfo("Europe/Stockholm")
		breach = dt.datetime(2026, 11, 23, 10, tzinfo=stockholm)
		assert esc.manager_escalation_us(to_us(breach), 4 * 3600) == to_us(breach + dt.timedelta(hours=4))
		assert esc.manager_escalation_us(to_us(breach), 0) == to_us(breach)  # at the breach itself
		# no grace on the tier: the default, four hours
		assert esc.manager_escalation_us(to_us(breach), None) == to_us(
			dt.datetime(2026, 11, 23, 14, tzinfo=stockholm)
		)
		assert esc.manager_escalation_us(None, 3600) is None
		# breached at 00:30 summer time on the night the clocks go back (03:00 CEST → 02:00 CET): four hours
		# later the wall clock shows 03:30, not 04:30
		night = dt.datetime(2026, 10, 25, 0, 30, tzinfo=stockholm)
		later = esc.manager_escalation_us(to_us(night), 4 * 3600)
		assert later == to_us(dt.datetime(2026, 10, 25, 3, 30, tzinfo=stockholm))
		assert later - to_us(night) == 4 * 3600 * 10**6

	def test_no_warning_once_the_breach_is_past_and_nothing_twice(self):
		assert esc.next_transition(esc.NO_ALERT, self.instants(-2, -1), self.T0).state == esc.BREACHED
		assert esc.next_transition(esc.BREACHED, self.instants(-2, -1, 1), self.T0) is None
		assert esc.next_transition(esc.ESCALATED, self.instants(-3, -2, -1), self.T0) is None

	def test_states_are_named_once(self):
		assert [t.state for t in esc.TRANSITIONS] == ["Warning", "Breached", "Escalated to Manager"]
		assert set(esc.ALERT_STATES) == {esc.NO_ALERT, *(t.state for t in esc.TRANSITIONS)}


@pytest.mark.parametrize(
	("seconds", "style", "text"),
	[
		(5400, "clock", "1:30"),
		(-300, "clock", "-0:05"),
		(28805, "clock", "8:00:05"),
		(28800, "time", "08:00"),
		(63015, "time", "17:30:15"),
		(28800, "hms", "08:00:00"),
		(5400, "hours", "1:30 h"),
		(5400, "words", "1 h 30 min"),
		(45, "words", "45 s"),
		(0, "words", "0 s"),
		(14400, "compact", "4h"),
		(16200, "compact", "4h30m"),
	],
)
def test_one_duration_formatter(seconds, style, text):
	assert fmt_duration(seconds, style) == text
	assert fmt_duration(dt.timedelta(seconds=seconds), style) == text


class TestBillingMonth:
	"""The invoice of a billing month: the fee in advance for the month, the usage of the month before."""

	def firm(self):
		return load_firm("trinax")

	def entry(self):
		from support_contracts.engine.work import TimeEntry

		# Tue 12 May 2026 10:00–12:00 remote: 2 h of business hours at Alert!'s 850/h = 1,700
		return TimeEntry("E1", at(2026, 5, 12, 10), "remote", end=at(2026, 5, 12, 12))

	def test_june_fee_in_advance_and_may_usage_in_arrears(self):
		from support_contracts.engine.rating import rate_billing_month

		firm = self.firm()
		inv = rate_billing_month(
			firm.contract("TRX-001"), firm.rating_tiers, 2026, 6, [self.entry()], bank_used_before=15 * 60
		)
		assert inv.month == "2026-06"
		assert inv.lines[0].description == "Alert! — monthly fee 2026-06"
		assert inv.lines[0].amount == D("8000.00")
		assert [line.amount for line in inv.lines[1:] if line.amount] == [D("1700.00")]
		assert inv.total == D("9700.00")
		assert inv.bank.period == "Q2 2026"  # the usage month's bank period

	def test_fee_in_arrears_is_the_usage_months(self):
		from support_contracts.engine.rating import rate_billing_month

		firm = self.firm()
		# Sjöberg Bygg (Attend!, 3,000 a month) starts Tue 12 May: May's fee is 20 of 31 days = 1,935.48
		inv = rate_billing_month(firm.contract("TRX-002"), firm.rating_tiers, 2026, 6, fee_in_advance=False)
		assert [line.amount for line in inv.lines if line.amount] == [D("1935.48")]

	def test_usage_outside_the_month_before_is_refused(self):
		from support_contracts.engine.rating import rate_billing_month
		from support_contracts.engine.work import TimeEntry

		firm = self.firm()
		june = TimeEntry("E2", at(2026, 6, 2, 10), "remote", minutes=60)
		with pytest.raises(InputError, match="E2"):
			rate_billing_month(firm.contract("TRX-001"), firm.rating_tiers, 2026, 6, [june])
