"""The cheap wall clock (engine/wallclock.py) reads and writes times exactly as zoneinfo does, in zones with
DST, without, with half-hour offsets and across the DST changes themselves."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_contracts.engine.wallclock import WallClock, wall_clock

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = dt.timedelta(microseconds=1)
ZONES = ("Europe/Stockholm", "Europe/Oslo", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata", "UTC")
instants = st.integers(
	min_value=(dt.datetime(1990, 1, 1, tzinfo=UTC) - EPOCH) // ONE_US,
	max_value=(dt.datetime(2060, 1, 1, tzinfo=UTC) - EPOCH) // ONE_US,
)
walls = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 1, 1))


@settings(max_examples=400, deadline=None)
@given(zone=st.sampled_from(ZONES), u=instants)
def test_an_instant_reads_as_zoneinfo_reads_it(zone, u):
	expected = (EPOCH + ONE_US * u).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
	assert wall_clock(zone).wall(u) == expected


@settings(max_examples=400, deadline=None)
@given(zone=st.sampled_from(ZONES), t=walls)
def test_a_wall_time_is_the_instant_zoneinfo_gives_it(zone, t):
	expected = (t.replace(tzinfo=ZoneInfo(zone)) - EPOCH) // ONE_US
	clock = wall_clock(zone)
	assert clock.to_us(t) == expected
	assert clock.aware(t) == t.replace(tzinfo=ZoneInfo(zone))
	assert clock.aware(t).utcoffset() == t.replace(tzinfo=ZoneInfo(zone)).utcoffset()
	at, us = clock.reading(t)  # both at once, for a stored time read into a clock event
	assert (at, us) == (t.replace(tzinfo=ZoneInfo(zone)), expected)
	assert at.utcoffset() == t.replace(tzinfo=ZoneInfo(zone)).utcoffset()


@pytest.mark.parametrize(
	("utc", "wall"),
	[
		# Stockholm, 29 March 2026: 02:00 CET becomes 03:00 CEST at 01:00 UTC
		(dt.datetime(2026, 3, 29, 0, 59, 59, 999999), dt.datetime(2026, 3, 29, 1, 59, 59, 999999)),
		(dt.datetime(2026, 3, 29, 1, 0), dt.datetime(2026, 3, 29, 3, 0)),
		# 25 October 2026: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice
		(dt.datetime(2026, 10, 25, 0, 30), dt.datetime(2026, 10, 25, 2, 30)),
		(dt.datetime(2026, 10, 25, 1, 30), dt.datetime(2026, 10, 25, 2, 30)),
	],
)
def test_the_dst_changes_of_2026_in_stockholm(utc, wall):
	clock = WallClock("Europe/Stockholm")
	u = (utc.replace(tzinfo=UTC) - EPOCH) // ONE_US
	assert clock.wall(u) == wall
	clock.wall(u)  # the second read comes from the cache of the hour
	assert clock.wall(u) == wall


@pytest.mark.parametrize(
	("utc", "wall"),
	[
		# St. John's, 8 March 2026: 02:00 NST (−03:30) becomes 03:00 NDT at 05:30 UTC, inside a UTC hour
		(dt.datetime(2026, 3, 8, 5, 0), dt.datetime(2026, 3, 8, 1, 30)),
		(dt.datetime(2026, 3, 8, 5, 29, 59), dt.datetime(2026, 3, 8, 1, 59, 59)),
		(dt.datetime(2026, 3, 8, 5, 30), dt.datetime(2026, 3, 8, 3, 0)),
		(dt.datetime(2026, 3, 8, 5, 59), dt.datetime(2026, 3, 8, 3, 29)),
	],
)
def test_an_offset_that_changes_inside_a_utc_hour(utc, wall):
	clock = WallClock("America/St_Johns")
	clock.wall((utc.replace(tzinfo=UTC) - EPOCH) // ONE_US - 1)  # the hour is read before
	assert clock.wall((utc.replace(tzinfo=UTC) - EPOCH) // ONE_US) == wall


def test_a_repeated_wall_time_is_its_first_occurrence_and_a_skipped_one_keeps_the_old_offset():
	clock = WallClock("Europe/Stockholm")
	repeated = clock.to_us(dt.datetime(2026, 10, 25, 2, 30))
	assert EPOCH + ONE_US * repeated == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # CEST, +02:00
	skipped = clock.to_us(dt.datetime(2026, 3, 29, 2, 30))
	assert EPOCH + ONE_US * skipped == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # read at +01:00
