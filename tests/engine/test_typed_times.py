"""Input leftovers (issue 29, point 6) on the engine's side: a typed wall time that a DST change skips or
repeats names no single instant (``engine/wallclock.dst_change``), so the CLI refuses it unless it carries a
UTC offset; and a pay scheme's holiday uplift is bounded (docs/rules.md C5)."""

import copy
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support_contracts import inputs
from support_contracts.cli import main
from support_contracts.engine.config import parse_pay_scheme
from support_contracts.engine.errors import ConfigError, InputError
from support_contracts.engine.wallclock import REPEATED, SKIPPED, dst_change, fmt_offset
from support_contracts.examples import load_firm

UTC = dt.timezone.utc
ZONES = ("Europe/Stockholm", "Europe/Oslo", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata", "UTC")


def offset(hours, minutes=0):
	sign = -1 if hours < 0 else 1
	return sign * dt.timedelta(hours=abs(hours), minutes=minutes)


# ---------------------------------------------------------------- the rule, on the changes we know
# The EU changes its clocks at 01:00 UTC on the last Sundays of March and October: in Stockholm 02:00 CET
# becomes 03:00 CEST on 29 March 2026, and 03:00 CEST becomes 02:00 CET on 25 October 2026.
@pytest.mark.parametrize(
	("wall", "kind"),
	[
		(dt.datetime(2026, 3, 29, 1, 59, 59), None),
		(dt.datetime(2026, 3, 29, 2, 0), SKIPPED),
		(dt.datetime(2026, 3, 29, 2, 30), SKIPPED),
		(dt.datetime(2026, 3, 29, 2, 59, 59, 999999), SKIPPED),
		(dt.datetime(2026, 3, 29, 3, 0), None),
		(dt.datetime(2026, 10, 25, 1, 59, 59), None),
		(dt.datetime(2026, 10, 25, 2, 0), REPEATED),
		(dt.datetime(2026, 10, 25, 2, 30), REPEATED),
		(dt.datetime(2026, 10, 25, 2, 59, 59, 999999), REPEATED),
		(dt.datetime(2026, 10, 25, 3, 0), None),
		(dt.datetime(2026, 6, 19, 2, 30), None),
	],
)
def test_the_dst_changes_of_2026_in_stockholm(wall, kind):
	change = dst_change(wall, "Europe/Stockholm")
	assert (change and change.kind) == kind
	if change is None:
		return
	assert change.wall_from == dt.datetime.combine(wall.date(), dt.time(2, 0))
	assert change.wall_to == dt.datetime.combine(wall.date(), dt.time(3, 0))
	assert change.at == dt.datetime.combine(wall.date(), dt.time(1, 0), UTC)
	if kind == SKIPPED:
		assert (change.before, change.after) == (offset(1), offset(2))
	else:
		assert (change.before, change.after) == (offset(2), offset(1))
		assert (fmt_offset(change.before), fmt_offset(change.after)) == ("+02:00", "+01:00")


def test_a_change_inside_a_utc_hour_and_one_of_half_an_hour():
	# St. John's, 8 March 2026: 02:00 NST (−03:30) becomes 03:00 NDT (−02:30), at 05:30 UTC
	c = dst_change(dt.datetime(2026, 3, 8, 2, 15), ZoneInfo("America/St_Johns"))
	assert (c.kind, c.at, c.wall_from.time(), c.wall_to.time()) == (
		SKIPPED,
		dt.datetime(2026, 3, 8, 5, 30, tzinfo=UTC),
		dt.time(2, 0),
		dt.time(3, 0),
	)
	assert (fmt_offset(c.before), fmt_offset(c.after)) == ("-03:30", "-02:30")
	# Lord Howe Island, 5 April 2026: 02:00 (+11:00) goes back half an hour to 01:30 (+10:30)
	c = dst_change(dt.datetime(2026, 4, 5, 1, 45), "Australia/Lord_Howe")
	assert (c.kind, c.wall_from.time(), c.wall_to.time()) == (REPEATED, dt.time(1, 30), dt.time(2, 0))
	assert (fmt_offset(c.before), fmt_offset(c.after)) == ("+11:00", "+10:30")
	assert dst_change(dt.datetime(2026, 4, 5, 2, 0), "Australia/Lord_Howe") is None


# ---------------------------------------------------------------- the rule, against zoneinfo's round trip
def _changes(zone: str) -> list[dt.datetime]:
	"""Every instant from 2020 to 2030 at which ``zone``'s offset changes (hour by hour, then to the
	second): the oracle the property test samples around."""
	tz = ZoneInfo(zone)
	out, t = [], dt.datetime(2020, 1, 1, tzinfo=UTC)
	while t.year < 2030:
		nxt = t + dt.timedelta(hours=1)
		if t.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
			lo = t
			while lo.astimezone(tz).utcoffset() == t.astimezone(tz).utcoffset():
				lo += dt.timedelta(seconds=60)
			out.append(lo)
		t = nxt
	return out


CHANGES = {zone: _changes(zone) for zone in ZONES}
near_changes = st.sampled_from([z for z in ZONES if CHANGES[z]]).flatmap(
	lambda z: st.tuples(
		st.just(z),
		st.sampled_from(CHANGES[z]),
		st.integers(min_value=-3 * 3600, max_value=3 * 3600),
	)
)


def _readings(wall: dt.datetime, tz: ZoneInfo) -> list[dt.datetime]:
	"""The instants whose wall time in ``tz`` is ``wall`` (both folds, round-tripped through UTC)."""
	got = set()
	for fold in (0, 1):
		u = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
		if u.astimezone(tz).replace(tzinfo=None) == wall:
			got.add(u)
	return sorted(got)


@settings(max_examples=500, deadline=None)
@given(near=near_changes)
def test_skipped_or_repeated_exactly_when_zoneinfo_finds_no_or_two_instants(near):
	zone, change_at, seconds = near
	tz = ZoneInfo(zone)
	# wall times around the change, counted on the clock as it read just before it (so through a gap too)
	just_before = (change_at - dt.timedelta(seconds=1)).astimezone(tz).replace(tzinfo=None)
	wall = just_before + dt.timedelta(seconds=1 + seconds)
	readings = _readings(wall, tz)
	change = dst_change(wall, tz)
	if len(readings) == 1:
		assert change is None
		return
	assert change.kind == (SKIPPED if not readings else REPEATED)
	assert change.wall_from <= wall < change.wall_to
	assert (change.at - dt.timedelta(seconds=1)).astimezone(tz).utcoffset() == change.before
	assert change.at.astimezone(tz).utcoffset() == change.after
	if readings:
		assert [r - wall.replace(tzinfo=UTC) for r in readings] == [-change.before, -change.after]


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(ZONES), wall=st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2060, 1, 1)))
def test_an_ordinary_wall_time_is_neither(zone, wall):
	assert (dst_change(wall, zone) is None) == (len(_readings(wall, ZoneInfo(zone))) == 1)


# ---------------------------------------------------------------- the CLI
def due(capsys, start, *extra):
	argv = ["due", "--firm", "trinax", "--tier", "alert", "--priority", "P1", "--start", start, *extra]
	code = main(argv)
	out = capsys.readouterr()
	return code, out.out, out.err


def test_the_cli_refuses_a_start_the_clocks_skip(capsys):
	code, out, err = due(capsys, "2026-03-29T02:30", "--tz", "Europe/Stockholm")
	assert code == 2 and out == ""
	assert "--start" in err and "does not exist in Europe/Stockholm" in err and "2026-03-29T02:30" in err


def test_the_cli_refuses_a_start_the_clocks_repeat_and_asks_for_its_offset(capsys):
	code, out, err = due(capsys, "2026-10-25T02:30", "--tz", "Europe/Stockholm")
	assert code == 2 and out == ""
	assert "--start" in err and "occurs twice in Europe/Stockholm" in err
	assert "2026-10-25T02:30+02:00" in err and "2026-10-25T02:30+01:00" in err
	assert len(err.strip().splitlines()) == 1  # one line, as every bad argument


@pytest.mark.parametrize(("start", "shown"), [("+02:00", "02:30 CEST"), ("+01:00", "02:30 CET")])
def test_the_cli_takes_the_repeated_hour_with_its_offset(capsys, start, shown):
	code, out, _ = due(capsys, f"2026-10-25T02:30{start}", "--tz", "Europe/Stockholm")
	assert code == 0
	assert f"from Sun 2026-10-25 {shown}" in out


def test_an_input_file_time_the_clocks_repeat_is_refused_naming_record_and_field(tmp_path):
	p = tmp_path / "a.csv"
	p.write_text("id,employee,start,end\nA1,anna,2026-10-25T01:30,2026-10-25T02:30\n", encoding="utf-8")
	with pytest.raises(InputError, match=r"a.csv record 1: end.*occurs twice") as e:
		inputs.load_activations(str(p), "Europe/Stockholm")
	assert "2026-10-25T02:30" in str(e.value)
	p.write_text("id,employee,start,end\nA1,anna,2026-10-25T01:30,2026-10-25T02:30+01:00\n", encoding="utf-8")
	[a] = inputs.load_activations(str(p), "Europe/Stockholm")
	assert a.end - a.start == dt.timedelta(hours=2)  # 01:30 CEST to 02:30 CET


# ---------------------------------------------------------------- the uplift (docs/rules.md C5)
def scheme(percent):
	data = copy.deepcopy(dict(load_firm("ezy").data["pay_schemes"]["jour"]))
	data["uplift"] = {**data["uplift"], "percent": percent}
	return data


@pytest.mark.parametrize("percent", [1000, "100.01", 101])
def test_an_uplift_above_100_percent_is_refused_naming_it(percent):
	with pytest.raises(ConfigError, match=r"uplift\.percent: must be from 0 to 100 %") as e:
		parse_pay_scheme("jour", scheme(percent))
	assert e.value.value == percent


@pytest.mark.parametrize("percent", [0, 50, 100, "100.00"])
def test_an_uplift_from_0_to_100_percent_is_taken(percent):
	assert parse_pay_scheme("jour", scheme(percent)).uplift_percent == int(float(percent))
