"""Properties of calendars that must hold for every start and duration (hypothesis), and a check of
``between`` against an independent, deliberately naive oracle that walks minute by minute."""

import datetime as dt

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from support_contracts.engine.calendar import ONE_US, compile_calendar

from .conftest import STHLM, office_spec, on_call_spec

OFFICE = compile_calendar(office_spec())
ON_CALL = compile_calendar(on_call_spec())
CALENDARS = st.sampled_from([OFFICE, ON_CALL])

# instants from 2025 to 2028, including DST days and holidays, to the second
instants = st.integers(
	min_value=int(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc).timestamp()),
	max_value=int(dt.datetime(2028, 12, 1, tzinfo=dt.timezone.utc).timestamp()),
).map(lambda s: dt.datetime.fromtimestamp(s, STHLM))
durations = st.integers(min_value=1, max_value=400 * 3600).map(lambda s: dt.timedelta(seconds=s))


@settings(max_examples=300, deadline=None)
@given(CALENDARS, instants, durations)
def test_between_inverts_add(cal, start, d):
	assert cal.between(start, cal.add(start, d)) == d


@settings(max_examples=200, deadline=None)
@given(CALENDARS, instants, durations, durations)
def test_add_is_monotonic_in_duration(cal, start, d1, d2):
	a, b = sorted((d1, d2))
	assert cal.add(start, a) <= cal.add(start, b)


@settings(max_examples=200, deadline=None)
@given(CALENDARS, instants, instants, durations)
def test_add_is_monotonic_in_start(cal, s1, s2, d):
	a, b = sorted((s1, s2))
	assert cal.add(a, d) <= cal.add(b, d)


@settings(max_examples=300, deadline=None)
@given(CALENDARS, instants, durations)
def test_a_deadline_never_falls_inside_a_closed_period(cal, start, d):
	due = cal.add(start, d)
	# the instant just before the deadline is open time: the clock was running up to it. "Just before" is
	# taken in real time (UTC): a same-zone subtraction reads the wall clock, and in the hour the clocks
	# repeat (fold=1) it would step back an hour (2028-10-29 02:01+01:00 - 1 s is 02:00:59+02:00)
	before = due.astimezone(dt.timezone.utc)
	assert cal.is_open(before - ONE_US)
	assert cal.between(before - dt.timedelta(seconds=1), due) == dt.timedelta(seconds=1)


def _naive_office_open(t: dt.datetime, hol) -> bool:
	"""Independent oracle for docs/rules.md B's 08–17 office with Swedish holidays and de-facto eves."""
	local = t.astimezone(STHLM)
	d = local.date()
	eves = {dt.date(d.year, 12, 24), dt.date(d.year, 12, 31)}
	midsummer_eve = next(dt.date(d.year, 6, x) for x in range(19, 26) if dt.date(d.year, 6, x).weekday() == 4)
	return (
		local.weekday() < 5
		and 8 <= local.hour < 17
		and (d not in hol or hol.get(d) == "Sunday")
		and d not in eves
		and d != midsummer_eve
	)


def test_a_deadline_in_the_repeated_hour_has_open_time_just_before_it():
	# the example hypothesis found: on call round the clock, due in the second 02:01 of 2028-10-29
	start = dt.datetime(2028, 10, 29, 0, 30, tzinfo=dt.timezone.utc)
	due = ON_CALL.add(start, dt.timedelta(minutes=31))
	assert (due.fold, due.astimezone(dt.timezone.utc)) == (
		1,
		dt.datetime(2028, 10, 29, 1, 1, tzinfo=dt.timezone.utc),
	)
	# the wall-clock trap the property fell into: a second back on the wall clock is an hour and a second
	assert ON_CALL.between(due - dt.timedelta(seconds=1), due) == dt.timedelta(hours=1, seconds=1)
	before = due.astimezone(dt.timezone.utc) - dt.timedelta(seconds=1)
	assert ON_CALL.between(before, due) == dt.timedelta(seconds=1)


@settings(max_examples=25, deadline=None)
@given(instants, st.integers(min_value=1, max_value=14 * 24 * 60))
def test_between_matches_a_minute_by_minute_walk(start, minutes):
	start = start.replace(second=0)
	hol = holidays.country_holidays("SE", years=range(start.year - 1, start.year + 2))
	expected = sum(60 for i in range(minutes) if _naive_office_open(start + dt.timedelta(minutes=i), hol))
	end = start + dt.timedelta(minutes=minutes)
	assert OFFICE.between(start, end) == dt.timedelta(seconds=expected)
