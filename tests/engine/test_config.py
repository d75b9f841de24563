"""The config parser: every shipped firm loads; bad data gets an error that names field and value."""

import datetime as dt

import pytest

from support_contracts.engine.config import (
	Firm,
	parse_calendar,
	parse_duration,
	parse_policy,
	parse_target,
	parse_windows,
)
from support_contracts.engine.errors import ConfigError
from support_contracts.examples import firm_names, load_firm

from .conftest import H


def test_all_five_firms_ship_and_load():
	assert firm_names() == ["ballou", "ezy", "pindena", "trinax", "vmi"]
	for name in firm_names():
		firm = load_firm(name)
		assert firm.policies and firm.calendar_specs


@pytest.mark.parametrize(
	"text,expected",
	[
		("8h", dt.timedelta(hours=8)),
		("15m", dt.timedelta(minutes=15)),
		("1h30m", dt.timedelta(minutes=90)),
		("45s", dt.timedelta(seconds=45)),
	],
)
def test_durations(text, expected):
	assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["", "8", "eight hours", "0h", "-1h", None])
def test_bad_durations(bad):
	with pytest.raises(ConfigError, match="duration"):
		parse_duration(bad)


def test_windows_ranges_and_midnight():
	ws = parse_windows(
		{"Mon-Fri": ["08:00-12:00", "13:00-17:00"], "Sat": "17:00-08:00", "Sun": "00:00-24:00"}
	)
	assert len(ws) == 12
	sat = next(w for w in ws if w.weekday == 5)
	assert sat.crosses_midnight and sat.length == 15 * H


@pytest.mark.parametrize(
	"windows,match",
	[
		({"Mon": ["08:00-08:00"]}, "end equals the start"),
		({"Mon": ["08:00-12:00", "11:00-13:00"]}, "overlap"),
		({"Funday": ["08:00-12:00"]}, "weekday"),
		({"Fri-Mon": ["08:00-12:00"]}, "run forward"),
		({"Mon": ["8-12"]}, "time of day"),
		({"Mon": ["25:00-26:00"]}, "time of day"),
	],
)
def test_bad_windows(windows, match):
	with pytest.raises(ConfigError, match=match):
		parse_calendar("c", {"timezone": "UTC", "windows": windows})


def test_calendar_needs_timezone_and_known_zone():
	with pytest.raises(ConfigError, match="timezone"):
		parse_calendar("c", {"windows": {"Mon": "08:00-17:00"}})
	with pytest.raises(ConfigError, match="unknown time zone"):
		parse_calendar("c", {"timezone": "Mars/Olympus", "windows": {"Mon": "08:00-17:00"}})


def test_targets_shorthand():
	cals = {"office": parse_calendar("office", {"timezone": "UTC", "windows": {"Mon-Fri": "08:00-17:00"}})}
	assert parse_target("8h business", cals, "office", "t").kind == "business"
	assert parse_target("1h wall", cals, None, "t").kind == "wall"
	assert parse_target("3h from next opening on office", cals, None, "t").kind == "from_next_opening"
	t = parse_target("end of business day 1", cals, "office", "t")
	assert (t.kind, t.days) == ("business_days", 1)
	assert parse_target("same business day", cals, "office", "t").days == 0
	assert parse_target("none", cals, None, "t").kind == "none"
	with pytest.raises(ConfigError, match="unknown calendar"):
		parse_target("8h business on shop", cals, None, "t")
	with pytest.raises(ConfigError, match="not a target"):
		parse_target("soon", cals, None, "t")


def test_policy_rejects_unknown_metric_and_empty():
	with pytest.raises(ConfigError, match="unknown metric"):
		parse_policy("p", {"priorities": {"P1": {"fix_time": "1h wall"}}}, {})
	with pytest.raises(ConfigError, match="priorities"):
		parse_policy("p", {"priorities": {}}, {})


def test_firm_unknown_tier_and_calendar():
	firm = Firm({"firm": "f", "calendars": {}, "tiers": {"t": {"sla": {"priorities": {"P1": {}}}}}})
	with pytest.raises(ConfigError, match="tier"):
		firm.policy("gold")
	with pytest.raises(ConfigError, match="calendar"):
		firm.calendar("office")


def test_unknown_example_firm():
	with pytest.raises(ConfigError, match="no such example firm"):
		load_firm("acme")
