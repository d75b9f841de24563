"""Contract terms on the SLA clock, worked out by hand: a fault outside the provider's area (docs/rules.md
A3, D3), the client's sign-off (C2), support levels raised by hand (E5) and maintenance windows (E4)."""

import datetime as dt

import pytest

from support_contracts.engine.errors import InputError
from support_contracts.engine.sla import (
	BREACHED,
	MET,
	ON_TRACK,
	PAUSED,
	WAIVED,
	Clock,
	Event,
	Policy,
	next_due,
)
from support_contracts.engine.targets import Target

from .conftest import at

MIN = dt.timedelta(minutes=1)


@pytest.fixture
def high():
	"""Ballou High (docs/rules.md A3): call back in 15 min, action started in 60 min, wall clock; and a
	resolution in 4 wall hours for the sign-off cases."""
	return Policy(
		"high",
		{
			"P1": {
				"first_response": Target("wall", dt.timedelta(minutes=15)),
				"action_start": Target("wall", dt.timedelta(minutes=60)),
				"resolution": Target("wall", dt.timedelta(hours=4)),
			}
		},
	)


def run(policy, *events, excluded=()):
	c = Clock(policy, excluded=tuple(excluded))
	for e in events:
		c.add(Event(*e))
	return c


T0 = at(2026, 11, 21, 23, 0)  # a Saturday night call-in


class TestOutsideOurArea:
	def test_an_unmet_action_start_is_waived_not_breached(self, high):
		c = run(high, ("created", T0, "P1"), ("responded", T0 + 10 * MIN), ("outside_area", T0 + 20 * MIN))
		r = c.report(T0 + 150 * MIN)  # 90 minutes after the 60-minute promise
		assert r.metrics["action_start"].status == WAIVED
		assert r.metrics["action_start"].due is None
		assert r.metrics["first_response"].status == MET
		assert r.metrics["resolution"].status == ON_TRACK  # 4 h: 23:00 → 03:00
		assert r.worst == ON_TRACK

	def test_an_action_start_met_before_the_mark_stays_met(self, high):
		c = run(
			high, ("created", T0, "P1"), ("action_started", T0 + 30 * MIN), ("outside_area", T0 + 40 * MIN)
		)
		assert c.report(T0 + 50 * MIN).metrics["action_start"].status == MET

	def test_taking_the_mark_back_restores_the_promise_and_its_breach(self, high):
		c = run(
			high,
			("created", T0, "P1"),
			("outside_area", T0 + 5 * MIN),
			("inside_area", T0 + 70 * MIN),
		)
		m = c.report(T0 + 80 * MIN).metrics["action_start"]
		assert m.status == BREACHED and m.due == T0 + 60 * MIN

	def test_an_action_start_overdue_before_the_mark_stays_breached(self, high):
		# promised by 00:00; at 00:05 the fault is found to be the customer's own firewall: broken already
		c = run(high, ("created", T0, "P1"), ("outside_area", T0 + 65 * MIN))
		m = c.report(T0 + 90 * MIN).metrics["action_start"]
		assert (m.status, m.due) == (BREACHED, T0 + 60 * MIN)
		# marked one minute before the due time, the promise is waived
		c = run(high, ("created", T0, "P1"), ("outside_area", T0 + 59 * MIN))
		assert c.report(T0 + 90 * MIN).metrics["action_start"].status == WAIVED

	def test_marking_twice_is_refused(self, high):
		c = run(high, ("created", T0, "P1"), ("outside_area", T0 + MIN))
		with pytest.raises(InputError, match="already marked"):
			c.add(Event("outside_area", T0 + 2 * MIN))
		with pytest.raises(InputError, match="not marked"):
			run(high, ("created", T0, "P1")).add(Event("inside_area", T0 + MIN))

	def test_next_due_skips_a_waived_target(self, high):
		c = run(high, ("created", T0, "P1"), ("responded", T0 + MIN), ("outside_area", T0 + 2 * MIN))
		assert next_due(c.report(T0 + 3 * MIN)).metric == "resolution"


class TestClientSignOff:
	def test_the_wait_for_the_client_does_not_count(self, high):
		# fix handed over at 01:00 (2 h used), approved 10 h later at 11:00: resolution met, 2 h used
		c = run(
			high,
			("created", T0, "P1"),
			("signoff_requested", T0 + 120 * MIN),
			("signoff_given", T0 + 720 * MIN),
		)
		r = c.report(T0 + 721 * MIN)
		res = r.metrics["resolution"]
		assert res.status == MET and res.met_at == T0 + 720 * MIN
		assert res.used == dt.timedelta(hours=2)
		assert r.metrics["action_start"].met_at == T0 + 120 * MIN  # the fix is the action, late: 60 min
		assert r.metrics["action_start"].status == BREACHED
		assert r.resolved and not r.awaiting_signoff

	def test_while_waiting_the_resolution_is_paused_not_met(self, high):
		c = run(high, ("created", T0, "P1"), ("signoff_requested", T0 + 30 * MIN))
		r = c.report(T0 + 600 * MIN)  # far past the 4 h
		assert r.awaiting_signoff and not r.resolved
		assert r.metrics["resolution"].status == PAUSED and r.metrics["resolution"].met_at is None
		assert r.metrics["action_start"].status == MET

	def test_a_refused_fix_lets_the_clock_run_on_from_where_it_stood(self, high):
		# 1 h used before the fix; refused 5 h later; 3 h left → due 3 h after the refusal
		refused = T0 + 360 * MIN
		c = run(
			high,
			("created", T0, "P1"),
			("signoff_requested", T0 + 60 * MIN),
			("signoff_refused", refused),
		)
		res = c.report(refused + MIN).metrics["resolution"]
		assert res.status == ON_TRACK and res.due == refused + 180 * MIN

	def test_a_fix_handed_over_after_the_due_time_is_late_whatever_the_client_says(self, high):
		c = run(
			high,
			("created", T0, "P1"),
			("signoff_requested", T0 + 300 * MIN),
			("signoff_given", T0 + 310 * MIN),
		)
		res = c.report(T0 + 311 * MIN).metrics["resolution"]
		assert res.status == BREACHED and res.due == T0 + 240 * MIN

	def test_only_the_client_word_follows_a_fix_handed_over(self, high):
		c = run(high, ("created", T0, "P1"), ("signoff_requested", T0 + MIN))
		with pytest.raises(InputError, match="sign-off"):
			c.add(Event("resolved", T0 + 2 * MIN))
		with pytest.raises(InputError, match="no fix awaits"):
			run(high, ("created", T0, "P1")).add(Event("signoff_given", T0 + MIN))

	def test_a_pause_ends_when_the_fix_is_handed_over(self, high):
		c = run(
			high,
			("created", T0, "P1"),
			("paused", T0 + 10 * MIN),
			("signoff_requested", T0 + 50 * MIN),
			("signoff_given", T0 + 60 * MIN),
		)
		r = c.report(T0 + 61 * MIN)
		assert not r.paused and r.metrics["resolution"].used == dt.timedelta(minutes=10)


class TestEscalatedByHand:
	def test_is_recorded_and_moves_nothing(self, high):
		plain = run(high, ("created", T0, "P1")).report(T0 + 30 * MIN)
		raised = run(high, ("created", T0, "P1"), ("escalated", T0 + 10 * MIN)).report(T0 + 30 * MIN)
		assert raised.metrics == plain.metrics


class TestMaintenanceWindows:
	def test_a_window_shifts_a_wall_clock_target_by_its_overlap(self, high):
		# window 23:10–23:40 inside the hour: the action start is due 30 min later, 00:30
		window = (T0 + 10 * MIN, T0 + 40 * MIN)
		r = run(high, ("created", T0, "P1"), excluded=[window]).report(T0 + 11 * MIN)
		assert r.metrics["action_start"].due == T0 + 90 * MIN
		assert r.metrics["first_response"].due == T0 + 45 * MIN  # 15 min: 10 before, 5 after 23:40

	def test_a_window_inside_a_pause_costs_nothing_twice(self, high):
		window = (T0 + 20 * MIN, T0 + 30 * MIN)
		c = run(
			high,
			("created", T0, "P1"),
			("paused", T0 + 10 * MIN),
			("resumed", T0 + 40 * MIN),
			excluded=[window],
		)
		assert c.report(T0 + 41 * MIN).metrics["action_start"].due == T0 + 90 * MIN

	def test_a_window_before_the_ticket_changes_nothing(self, high):
		window = (T0 - 60 * MIN, T0 - 30 * MIN)
		r = run(high, ("created", T0, "P1"), excluded=[window]).report(T0)
		assert r.metrics["action_start"].due == T0 + 60 * MIN


class TestSupportLevels:
	def test_by_hand_one_level_up_to_management_and_no_further(self):
		from support_contracts.engine.escalation import raised_level

		assert raised_level("Level 1") == "Level 2"
		assert raised_level("Level 2") == "Level 3"
		assert raised_level("Level 3") == "Support Manager"
		assert raised_level("Level 1", "Level 3") == "Level 3"
		with pytest.raises(InputError, match="escalation_level.*top level"):
			raised_level("Support Manager")

	@pytest.mark.parametrize("to, problem", [("Level 9", "no such level"), ("Level 2", "not above")])
	def test_a_level_that_does_not_exist_or_is_not_above_is_refused(self, to, problem):
		from support_contracts.engine.escalation import raised_level

		with pytest.raises(InputError, match=problem):
			raised_level("Level 2", to)

	def test_senior_priorities_go_to_the_senior_team_of_their_level(self):
		from support_contracts.engine.escalation import is_senior, team_for

		teams = [("Level 2", False, "Support"), ("Level 2", True, "Seniors"), ("Level 3", False, "Dev")]
		assert is_senior("Critical", ["Serious", "Critical"]) and not is_senior("Minor", ["Serious"])
		assert team_for("Level 2", True, teams) == "Seniors"
		assert team_for("Level 2", False, teams) == "Support"
		assert team_for("Level 3", True, teams) == "Dev"  # no senior team there: the level's own
		assert team_for("Level 1", False, teams) is None


class TestNextEnforcementInstant:
	def test_the_earliest_due_instant_of_the_transitions_that_leave_the_state(self):
		from support_contracts.engine.escalation import (
			BREACH_AT,
			BREACHED,
			ESCALATED,
			MANAGER_AT,
			NO_ALERT,
			WARNING,
			WARNING_AT,
			next_instant,
		)

		w, b, m = T0, T0 + 15 * MIN, T0 + 4 * 60 * MIN
		instants = {WARNING_AT: w, BREACH_AT: b, MANAGER_AT: m}
		assert next_instant(NO_ALERT, instants) == w
		assert next_instant(NO_ALERT, {**instants, WARNING_AT: b + MIN}) == b  # a warning after the breach
		assert next_instant(NO_ALERT, {**instants, WARNING_AT: None}) == b
		assert next_instant(WARNING, instants) == b
		assert next_instant(BREACHED, instants) == m
		assert next_instant(BREACHED, {**instants, MANAGER_AT: None}) is None
		assert next_instant(ESCALATED, instants) is None
