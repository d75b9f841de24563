"""Work is as long as it lasted in real time (docs/rules.md A: started minutes of the work done), also on the
nights the clocks change: Python subtracts two times of one zone on the wall clock, which would bill the
autumn night's extra hour as nothing and the spring night's missing hour as worked."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from support_contracts.engine.errors import InputError
from support_contracts.engine.work import TimeEntry

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(*args, fold=0):
	return dt.datetime(*args, tzinfo=STOCKHOLM, fold=fold)


def test_the_autumn_night_has_an_hour_more():
	"""Sunday 25 October 2026: at 03:00 summer time the clocks go back to 02:00. 01:30–03:30 on the wall
	is 01:30 CEST (23:30 UTC) to 03:30 CET (02:30 UTC): 180 minutes."""
	entry = TimeEntry("night", local(2026, 10, 25, 1, 30), "remote", end=local(2026, 10, 25, 3, 30))
	assert entry.minutes == 180


def test_the_spring_night_has_an_hour_less():
	"""Sunday 29 March 2026: at 02:00 winter time the clocks go forward to 03:00. 01:30 CET (00:30 UTC) to
	03:30 CEST (01:30 UTC): 60 minutes."""
	entry = TimeEntry("night", local(2026, 3, 29, 1, 30), "remote", end=local(2026, 3, 29, 3, 30))
	assert entry.minutes == 60


def test_the_repeated_hour_read_both_ways():
	"""02:40 in summer time (fold 0) to 02:20 in winter time (fold 1) on 25 October 2026: 40 minutes, though
	the wall clock went backwards; and the other way round is an end before the start."""
	first, second = local(2026, 10, 25, 2, 40), local(2026, 10, 25, 2, 20, fold=1)
	assert TimeEntry("repeat", first, "remote", end=second).minutes == 40
	with pytest.raises(InputError, match="must be after the start"):
		TimeEntry("backwards", second.replace(fold=1, minute=40), "remote", end=first.replace(minute=20))


def test_a_stated_length_that_disagrees_with_real_time_is_refused():
	with pytest.raises(InputError, match="disagrees with start–end \\(180 min\\)"):
		TimeEntry("night", local(2026, 10, 25, 1, 30), "remote", minutes=120, end=local(2026, 10, 25, 3, 30))
