import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from support_contracts.engine.calendar import DAY, CalendarSpec, HolidayRule, Window, compile_calendar

STHLM = ZoneInfo("Europe/Stockholm")
OSLO = ZoneInfo("Europe/Oslo")
H = 3600


def at(y, mo, d, h=0, mi=0, s=0, tz=STHLM):
	return dt.datetime(y, mo, d, h, mi, s, tzinfo=tz)


def hours(n):
	return dt.timedelta(hours=n)


def office_spec(**kw):
	"""Mon–Fri 08–17 in Stockholm, Swedish public + de-facto holidays closed (docs/rules.md B)."""
	return CalendarSpec(
		kw.pop("name", "office"),
		"Europe/Stockholm",
		tuple(Window(d, 8 * H, 17 * H) for d in range(5)),
		kw.pop("holidays", HolidayRule("SE")),
		**kw,
	)


def on_call_spec():
	"""Ballou on-call (docs/rules.md A): 17–08 weekdays, all of weekends and holidays."""
	windows = (
		*(Window(d, 17 * H, 8 * H) for d in range(4)),
		Window(4, 17 * H, DAY),
		Window(5, 0, DAY),
		Window(6, 0, DAY),
		Window(0, 0, 8 * H),
	)
	return CalendarSpec("on_call", "Europe/Stockholm", windows, HolidayRule("SE", effect="open"))


@pytest.fixture
def office():
	return compile_calendar(office_spec())


@pytest.fixture
def on_call():
	return compile_calendar(on_call_spec())


@pytest.fixture
def always():
	return compile_calendar(CalendarSpec.always_open("24/7", "Europe/Stockholm"))
