"""Maintenance windows (docs/rules.md E4): at most 30 minutes, at most once a quarter, outside support
hours — Pindena's support hours Mon–Fri 09:00–15:00."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from support_contracts.engine.calendar import CalendarSpec, Window, compile_calendar
from support_contracts.engine.errors import ConfigError, InputError
from support_contracts.engine.maintenance import MaintenanceRule, check_window

OSLO = ZoneInfo("Europe/Oslo")
H = 3600
CAL = compile_calendar(
	CalendarSpec("pindena", "Europe/Oslo", tuple(Window(d, 9 * H, 15 * H) for d in range(5)))
)


def t(*args):
	return dt.datetime(*args, tzinfo=OSLO)


def test_half_an_hour_on_a_tuesday_evening_is_fine():
	check_window(t(2026, 11, 24, 20), t(2026, 11, 24, 20, 30), CAL, [])


@pytest.mark.parametrize(
	("start", "end", "others", "field", "words"),
	[
		(t(2026, 11, 24, 20), t(2026, 11, 24, 20, 31), [], "end", "at most 30 minutes"),
		(t(2026, 11, 24, 20), t(2026, 11, 24, 20), [], "end", "after the start"),
		(t(2026, 11, 24, 14, 45), t(2026, 11, 24, 15, 10), [], "start", "inside support hours"),
		(
			t(2026, 12, 29, 20),
			t(2026, 12, 29, 20, 20),
			[(t(2026, 10, 6, 20), t(2026, 10, 6, 20, 20))],
			"start",
			"Q4 2026 already has 1",
		),
	],
)
def test_a_window_that_breaks_the_rule_is_refused_naming_the_field(start, end, others, field, words):
	with pytest.raises(InputError) as e:
		check_window(start, end, CAL, others)
	assert e.value.field == field
	assert words in e.value.problem


def test_the_next_quarter_and_a_looser_tier_allow_more():
	q4 = [(t(2026, 10, 6, 20), t(2026, 10, 6, 20, 20))]
	check_window(t(2027, 1, 5, 20), t(2027, 1, 5, 20, 20), CAL, q4)
	check_window(t(2026, 12, 29, 20), t(2026, 12, 29, 21), CAL, q4, MaintenanceRule(60, 2))


def test_limits_must_be_positive():
	with pytest.raises(ConfigError):
		MaintenanceRule(max_minutes=0)
	with pytest.raises(ConfigError):
		MaintenanceRule(per_quarter=0)


def test_a_window_across_the_change_to_summer_time_is_as_long_as_it_really_is():
	# Sunday 28 March 2027 the clocks go from 02:00 to 03:00 in Oslo: 01:50–03:10 on the clock is 20 minutes
	check_window(t(2027, 3, 28, 1, 50), t(2027, 3, 28, 3, 10), CAL, [])
	# and back on 31 October 2027: 02:50 (the first time) to 02:10 (the second) is 20 minutes, not negative
	check_window(t(2027, 10, 31, 2, 50), dt.datetime(2027, 10, 31, 2, 10, tzinfo=OSLO, fold=1), CAL, [])
	with pytest.raises(InputError, match="at most 30 minutes"):
		check_window(t(2027, 3, 28, 1, 50), t(2027, 3, 28, 3, 21), CAL, [])  # 31 minutes
