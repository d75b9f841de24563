"""SLA policies and clocks: cases worked out by hand from docs/rules.md A, B, C, E."""

import datetime as dt

import pytest

from support_contracts.engine.calendar import compile_calendar
from support_contracts.engine.errors import ConfigError, InputError
from support_contracts.engine.sla import (
	BREACHED,
	MET,
	NO_TARGET,
	ON_TRACK,
	PAUSED,
	WARNING,
	Clock,
	Event,
	Policy,
)
from support_contracts.engine.targets import Target
from support_contracts.examples import load_firm

from .conftest import OSLO, STHLM, at, hours, office_spec

MIN = dt.timedelta(minutes=1)


def clock(policy, *events):
	c = Clock(policy)
	for e in events:
		c.add(Event(*e))
	return c


@pytest.fixture
def trinax():
	return load_firm("trinax")


@pytest.fixture
def ezy():
	return load_firm("ezy").policy("standard")


class TestTargets:
	def test_trinax_alert_critical_one_business_hour(self, trinax):
		# docs/rules.md B: 1 h of 08–17. Thu 18 Jun 16:30: 30 min; Midsummer Eve + weekend; Mon 22 08:30.
		due = trinax.policy("alert").due("P1", at(2026, 6, 18, 16, 30))
		assert due["action_start"] == at(2026, 6, 22, 8, 30)
		assert due["first_response"] is None and due["resolution"] is None

	def test_trinax_tiers_eight_and_sixteen_hours(self, trinax):
		assert trinax.policy("attend").due("P3", at(2026, 6, 18, 14))["action_start"] == at(2026, 6, 22, 13)
		# 16 h from Wed 17 Jun 09:00: 8 h Wed (09–17), 8 h Thu (08–16).
		assert trinax.policy("access").due("P2", at(2026, 6, 17, 9))["action_start"] == at(2026, 6, 18, 16)

	def test_ezy_p1_wall_clock_hour_even_at_night(self, ezy):
		assert ezy.due("P1", at(2026, 11, 21, 23, 30))["first_response"] == at(2026, 11, 22, 0, 30)

	def test_ezy_p3_three_hours_from_next_opening(self, ezy):
		# docs/rules.md C: Fri 20 Nov 18:00 → office opens Mon 23 08:00 → 11:00.
		assert ezy.due("P3", at(2026, 11, 20, 18))["first_response"] == at(2026, 11, 23, 11)
		# during opening hours the clock starts at once
		assert ezy.due("P3", at(2026, 11, 23, 10))["first_response"] == at(2026, 11, 23, 13)

	def test_ezy_rollback_initiated_within_one_hour(self, ezy):
		due = ezy.due("Rollback", at(2026, 11, 21, 20))
		assert due["action_start"] == at(2026, 11, 21, 21)
		assert due["first_response"] == at(2026, 11, 23, 11)  # handled as P3

	def test_ballou_high_fifteen_and_sixty_minutes_in_on_call_time(self):
		high = load_firm("ballou").policy("high")
		sat = high.due("P1", at(2026, 11, 21, 10))
		assert (sat["first_response"], sat["action_start"]) == (
			at(2026, 11, 21, 10, 15),
			at(2026, 11, 21, 11),
		)
		# reported during office hours: the on-call clock starts at 17:00
		tue = high.due("P1", at(2026, 11, 24, 12))
		assert (tue["first_response"], tue["action_start"]) == (
			at(2026, 11, 24, 17, 15),
			at(2026, 11, 24, 18),
		)

	def test_pindena_ssa_l_categories(self):
		p = load_firm("pindena").policy("support_agreement")
		# Serious Fri 20 Nov 16:00 (after 15:00 close) → next working day Mon 23 Nov, at close 15:00.
		serious = p.due("Serious", dt.datetime(2026, 11, 20, 16, tzinfo=OSLO))
		assert serious["action_start"] == dt.datetime(2026, 11, 23, 15, tzinfo=OSLO)
		# Critical Mon 23 Nov 11:15: 15 min before lunch (11:30–12:00), 45 min after → 12:45.
		critical = p.due("Critical", dt.datetime(2026, 11, 23, 11, 15, tzinfo=OSLO))
		assert critical["action_start"] == dt.datetime(2026, 11, 23, 12, 45, tzinfo=OSLO)
		# Minor: in the next version — no due time.
		assert p.due("Minor", dt.datetime(2026, 11, 23, 11, 15, tzinfo=OSLO))["action_start"] is None

	def test_bad_targets(self):
		with pytest.raises(ConfigError, match="target.kind"):
			Target("weekly")
		with pytest.raises(ConfigError, match="needs a duration"):
			Target("wall")
		with pytest.raises(ConfigError, match="needs a calendar"):
			Target("business", duration=hours(1))
		with pytest.raises(InputError, match="must be positive"):
			Target("wall", duration=dt.timedelta(0))
		# a target beyond a year is a typing error (a tier saved with it could never compute a due time)
		with pytest.raises(ConfigError, match="longer than a year"):
			Target("wall", duration=dt.timedelta(days=367))
		assert Target("wall", duration=dt.timedelta(days=366)).duration.days == 366
		with pytest.raises(ConfigError, match="0 to 366"):
			Target("business_days", days=367, calendar=compile_calendar(office_spec()))


class TestClock:
	def test_pause_during_open_hours_shifts_the_deadline(self, trinax):
		# Alert! P2 (4 h) Tue 16 Jun 15:30, paused 16:00–Wed 10:00: 30 min used, 3 h 30 left from 10:00.
		c = clock(
			trinax.policy("alert"),
			("created", at(2026, 6, 16, 15, 30), "P2"),
			("paused", at(2026, 6, 16, 16)),
		)
		r = c.report(at(2026, 6, 17, 9)).metrics["action_start"]
		assert r.status == PAUSED and r.due is None and r.remaining == hours(3.5)
		c.add(Event("resumed", at(2026, 6, 17, 10)))
		assert c.report(at(2026, 6, 17, 10)).metrics["action_start"].due == at(2026, 6, 17, 13, 30)

	def test_pause_during_closed_hours_costs_nothing(self, trinax):
		c = clock(
			trinax.policy("alert"),
			("created", at(2026, 6, 16, 15, 30), "P2"),
			("paused", at(2026, 6, 16, 17, 30)),
			("resumed", at(2026, 6, 17, 7)),
		)
		# 1 h 30 Tuesday, 2 h 30 from Wed 08:00 → 10:30, same as unpaused.
		assert c.report(at(2026, 6, 17, 8)).metrics["action_start"].due == at(2026, 6, 17, 10, 30)

	def test_wall_clock_pause(self, ezy):
		c = clock(
			ezy,
			("created", at(2026, 11, 21, 10), "P1"),
			("paused", at(2026, 11, 21, 10, 10)),
			("resumed", at(2026, 11, 21, 10, 40)),
		)
		r = c.report(at(2026, 11, 21, 10, 45))
		assert r.metrics["first_response"].due == at(2026, 11, 21, 11, 30)
		assert r.paused_time == 30 * MIN

	def test_paused_time_of_a_resolved_ticket_stops_growing(self, ezy):
		# paused 30 min, resolved at 11:00: a day later it is still 30 min (each save reports anew)
		c = clock(
			ezy,
			("created", at(2026, 11, 21, 10), "P1"),
			("paused", at(2026, 11, 21, 10, 10)),
			("resumed", at(2026, 11, 21, 10, 40)),
			("resolved", at(2026, 11, 21, 11)),
		)
		assert c.report(at(2026, 11, 21, 11)).paused_time == 30 * MIN
		assert c.report(at(2026, 11, 22, 11)).paused_time == 30 * MIN

	def test_resolved_while_paused_ends_the_pause(self, ezy):
		c = clock(
			ezy,
			("created", at(2026, 11, 21, 10), "P1"),
			("paused", at(2026, 11, 21, 10, 10)),
			("resolved", at(2026, 11, 21, 10, 25)),
		)
		assert c.report(at(2026, 11, 23, 9)).paused_time == 15 * MIN

	def test_time_resolved_counts_as_paused_once_reopened(self, ezy):
		c = clock(
			ezy,
			("created", at(2026, 11, 21, 10), "P1"),
			("resolved", at(2026, 11, 21, 10, 20)),
			("reopened", at(2026, 11, 21, 12, 20)),
		)
		assert c.report(at(2026, 11, 21, 13)).paused_time == 120 * MIN

	def test_priority_change_recomputes_from_creation(self, ezy):
		c = clock(
			ezy, ("created", at(2026, 6, 17, 13), "P3"), ("priority_changed", at(2026, 6, 17, 13, 20), "P1")
		)
		r = c.report(at(2026, 6, 17, 13, 30))
		assert r.priority == "P1" and r.metrics["first_response"].due == at(2026, 6, 17, 14)
		c.add(Event("responded", at(2026, 6, 17, 13, 50)))
		assert c.report(at(2026, 6, 17, 14)).metrics["first_response"].status == MET

	def test_met_metric_keeps_the_target_in_force_when_met(self, ezy):
		c = clock(
			ezy,
			("created", at(2026, 11, 23, 10), "P3"),
			("responded", at(2026, 11, 23, 12)),  # within P3's 3 h
			("priority_changed", at(2026, 11, 23, 12, 30), "P1"),
		)
		assert c.report(at(2026, 11, 23, 13)).metrics["first_response"].status == MET

	def test_late_response_is_breached_not_met(self, ezy):
		c = clock(ezy, ("created", at(2026, 11, 21, 10), "P1"), ("responded", at(2026, 11, 21, 11, 1)))
		r = c.report(at(2026, 11, 21, 12)).metrics["first_response"]
		assert r.status == BREACHED and r.met_at == at(2026, 11, 21, 11, 1)

	def test_statuses_on_track_warning_breached(self, trinax):
		c = clock(trinax.policy("attend"), ("created", at(2026, 11, 23, 8), "P1"))  # 8 h: due 16:00
		assert c.report(at(2026, 11, 23, 12)).metrics["action_start"].status == ON_TRACK  # 4/8 used
		w = c.report(at(2026, 11, 23, 14, 45)).metrics["action_start"]  # 6.75/8 ≥ 0.75
		assert (
			w.status == WARNING
			and w.remaining == hours(1.25)
			and w.elapsed_fraction == pytest.approx(6.75 / 8)
		)
		b = c.report(at(2026, 11, 24, 9)).metrics["action_start"]
		# overdue by Mon 16–17 and Tue 08–09: two business hours
		assert b.status == BREACHED and b.remaining == -hours(2)

	def test_action_started_counts_as_first_response(self):
		high = load_firm("ballou").policy("high")
		c = clock(high, ("created", at(2026, 11, 21, 10), "P1"), ("action_started", at(2026, 11, 21, 10, 10)))
		r = c.report(at(2026, 11, 21, 11))
		assert r.metrics["first_response"].status == MET and r.metrics["action_start"].status == MET

	def test_reopen_resumes_resolution_without_counting_resolved_time(self):
		office = compile_calendar(office_spec())
		pol = Policy("t", {"P1": {"resolution": Target("business", duration=hours(4), calendar=office)}})
		c = clock(pol, ("created", at(2026, 11, 23, 9), "P1"), ("resolved", at(2026, 11, 23, 10)))
		assert c.report(at(2026, 11, 23, 11)).metrics["resolution"].status == MET
		c.add(Event("reopened", at(2026, 11, 24, 9)))
		r = c.report(at(2026, 11, 24, 9))
		# 1 h used on Monday; the 7 resolved business hours do not count: 3 h from Tue 09:00.
		assert (
			r.metrics["resolution"].due == at(2026, 11, 24, 12) and r.metrics["resolution"].status == ON_TRACK
		)

	def test_no_target_metrics(self):
		p = load_firm("trinax").policy("no_contract")
		r = clock(p, ("created", at(2026, 11, 23, 9), "P1")).report(at(2026, 11, 30, 9))
		assert {m.status for m in r.metrics.values()} == {NO_TARGET}

	def test_worst_status(self, trinax):
		c = clock(trinax.policy("attend"), ("created", at(2026, 11, 23, 8), "P1"))
		assert c.report(at(2026, 11, 24, 9)).worst == BREACHED


class TestClockErrors:
	def test_unknown_priority(self, ezy):
		with pytest.raises(InputError, match="priority.*P9"):
			clock(ezy, ("created", at(2026, 11, 23, 9), "P9"))
		with pytest.raises(InputError, match="priority"):
			ezy.due("P9", at(2026, 11, 23, 9))

	def test_events_out_of_order(self, ezy):
		c = clock(ezy, ("created", at(2026, 11, 23, 9), "P1"))
		with pytest.raises(InputError, match="out of order"):
			c.add(Event("responded", at(2026, 11, 23, 8)))

	@pytest.mark.parametrize(
		"events,problem",
		[
			([("responded", at(2026, 11, 23, 9))], "first event must be 'created'"),
			([("created", at(2026, 11, 23, 9), "P1"), ("resumed", at(2026, 11, 23, 10))], "not paused"),
			(
				[
					("created", at(2026, 11, 23, 9), "P1"),
					("paused", at(2026, 11, 23, 10)),
					("paused", at(2026, 11, 23, 11)),
				],
				"already paused",
			),
			([("created", at(2026, 11, 23, 9), "P1"), ("reopened", at(2026, 11, 23, 10))], "not resolved"),
			(
				[("created", at(2026, 11, 23, 9), "P1"), ("created", at(2026, 11, 23, 10), "P1")],
				"already created",
			),
			([("created", at(2026, 11, 23, 9), "P1"), ("exploded", at(2026, 11, 23, 10))], "unknown event"),
		],
	)
	def test_impossible_sequences(self, ezy, events, problem):
		with pytest.raises(InputError, match=problem):
			clock(ezy, *events)

	def test_naive_event_time_and_now(self, ezy):
		with pytest.raises(InputError, match="naive"):
			clock(ezy, ("created", dt.datetime(2026, 11, 23, 9), "P1"))
		c = clock(ezy, ("created", at(2026, 11, 23, 9), "P1"))
		with pytest.raises(InputError, match="now.*naive"):
			c.report(dt.datetime(2026, 11, 23, 10))
		with pytest.raises(InputError, match="before the last event"):
			c.report(at(2026, 11, 23, 8))

	def test_instants_in_microseconds_are_the_same_instants(self, ezy):
		# an adapter hands events their epoch microseconds and stores what the report gives in microseconds:
		# the same instants as the datetimes. P1 at Mon 23 Nov 09:00 Oslo: first response 10:00 (wall, 1 h).
		created = at(2026, 11, 23, 9)
		utc_9 = int(dt.datetime(2026, 11, 23, 8, tzinfo=dt.timezone.utc).timestamp()) * 1_000_000
		assert Event("created", created, "P1").us == utc_9
		c = Clock(ezy).add(Event("created", created, "P1", us=utc_9))
		r = c.report(at(2026, 11, 23, 9, 15)).metrics["first_response"]
		assert r.due_us == utc_9 + 3_600_000_000
		assert r.due == at(2026, 11, 23, 10) and r.due.tzinfo is STHLM  # the zone `now` was given in
		assert r.warn_us == utc_9 + 2_700_000_000  # 75 % of the hour
		assert r.met_us is None and r.met_at is None

	def test_rejected_event_is_not_stored(self, ezy):
		c = clock(ezy, ("created", at(2026, 11, 23, 9), "P1"))
		with pytest.raises(InputError):
			c.add(Event("resumed", at(2026, 11, 23, 10)))
		assert [e.kind for e in c.events] == ["created"]


class TestNextDue:
	"""What a ticket's clock shows a customer: the unmet target due first (the portal's "what the clock
	is doing")."""

	@pytest.fixture
	def policy(self):
		office = compile_calendar(office_spec())
		return Policy(
			"p",
			{
				"P1": {
					"action_start": Target("business", hours(1), calendar=office),
					"resolution": Target("business", hours(4), calendar=office),
				}
			},
		)

	def test_the_earliest_unmet_target_then_the_next_once_it_is_met(self, policy):
		from support_contracts.engine.sla import next_due

		# P1 at Mon 22 Jun 2026 10:00 on 08–17: action start 11:00, resolution 14:00
		c = clock(policy, ("created", at(2026, 6, 22, 10), "P1"))
		first = next_due(c.report(at(2026, 6, 22, 10, 30)))
		assert first.metric == "action_start"
		assert first.due == at(2026, 6, 22, 11)
		assert first.remaining == dt.timedelta(minutes=30)
		c.add(Event("action_started", at(2026, 6, 22, 10, 45)))
		after = next_due(c.report(at(2026, 6, 22, 11)))
		assert (after.metric, after.due) == ("resolution", at(2026, 6, 22, 14))

	def test_a_paused_clock_shows_its_paused_target_and_a_resolved_one_nothing(self, policy):
		from support_contracts.engine.sla import next_due

		c = clock(
			policy,
			("created", at(2026, 6, 22, 10), "P1"),
			("action_started", at(2026, 6, 22, 10, 30)),
			("paused", at(2026, 6, 22, 11)),
		)
		held = next_due(c.report(at(2026, 6, 22, 12)))
		assert (held.metric, held.status, held.due) == ("resolution", PAUSED, None)
		assert held.remaining == hours(3)  # 4 h budget, 1 h used before the pause
		assert held.used == hours(1)
		c.add(Event("resumed", at(2026, 6, 22, 13)))
		c.add(Event("resolved", at(2026, 6, 22, 14)))
		done = c.report(at(2026, 6, 22, 15))
		assert next_due(done) is None
		# the business time each target took, kept for reporting: 10:00–10:30; 10:00–11:00 + 13:00–14:00
		assert done.metrics["action_start"].used == dt.timedelta(minutes=30)
		assert done.metrics["resolution"].used == hours(2)


class TestCompliance:
	"""The SLA Compliance report's sums (docs/rules.md B4): worked out by hand."""

	def test_met_breached_pending_percent_and_percentiles(self):
		from support_contracts.engine.compliance import compliance

		# 7 met in time (1..7 h), 2 met late (9 h, 10 h), 1 overdue and unmet, 2 not yet due
		taken = [h * 3600 for h in (1, 2, 3, 4, 5, 6, 7, 9, 10)]
		c = compliance(7, 3, 2, taken)
		assert (c.tickets, c.met, c.breached, c.pending) == (12, 7, 3, 2)
		assert c.percent == 70.0  # 7 of the 10 decided
		# nine fulfilled: median the 5th (5 h), 90th percentile the 9th (10 h), whatever their order
		assert (c.median, c.p90) == (5 * 3600, 10 * 3600)
		assert compliance(7, 3, 2, reversed(taken)) == c

	def test_nothing_decided_yet(self):
		from support_contracts.engine.compliance import compliance

		c = compliance(0, 0, 1, [])
		assert (c.tickets, c.percent, c.median, c.p90) == (1, None, None, None)


def test_an_event_made_from_both_readings_of_its_instant_is_the_event_made_from_one():
	t = at(2026, 10, 25, 2, 30)  # the repeated hour in Stockholm
	made = Event("created", t, "P1")
	assert Event.known("created", t, "P1", made.us) == made
	assert made.us == (t - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(microseconds=1)
