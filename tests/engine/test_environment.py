"""The engine answers the same whatever the process's locale or time zone (issue 15): the holidays package
picks its names' language from the environment, and a bench worker may run under any LANG or TZ."""

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import datetime as dt, json
from zoneinfo import ZoneInfo
from support_contracts.engine.calendar import CalendarSpec, HolidayRule, Window, compile_calendar
S = ZoneInfo("Europe/Stockholm")
spec = CalendarSpec("office", "Europe/Stockholm", tuple(Window(d, 8 * 3600, 17 * 3600) for d in range(5)),
                    HolidayRule("SE", kinds=frozenset({"public", "de_facto"}), early_closing=True))
cal = compile_calendar(spec)
walpurgis = cal.between(dt.datetime(2026, 4, 30, tzinfo=S), dt.datetime(2026, 5, 1, tzinfo=S))
due = cal.add(dt.datetime(2026, 6, 18, 16, 30, tzinfo=S), dt.timedelta(hours=1))
print(json.dumps({"walpurgis_hours": walpurgis.total_seconds() / 3600, "due": due.isoformat()}))
"""

ENVIRONMENTS = {
	"C": {"LANG": "C", "LC_ALL": "C"},
	"Swedish": {"LANG": "sv_SE.UTF-8", "LC_ALL": "sv_SE.UTF-8", "LANGUAGE": "sv"},
	"Norwegian": {"LANG": "nb_NO.UTF-8", "LC_ALL": "nb_NO.UTF-8", "LANGUAGE": "nb"},
	"English, another time zone": {"LANG": "en_US.UTF-8", "TZ": "America/New_York"},
}


@pytest.mark.parametrize("name", ENVIRONMENTS)
def test_the_calendar_does_not_depend_on_locale_or_process_time_zone(name):
	env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
	env.update(ENVIRONMENTS[name])
	out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
	# Walpurgis Night 2026 closes at 14:00 (6 open hours); so does the day before Midsummer Eve, so a
	# 1-hour target from Thu 18 June 16:30 runs from Mon 22 June 08:00 (Midsummer Eve, weekend closed)
	assert json.loads(out.stdout) == {"walpurgis_hours": 6.0, "due": "2026-06-22T09:00:00+02:00"}


def test_no_locale_dependent_date_names_in_the_engine_or_cli():
	"""``%a``, ``%b``, ``%c``, ``%x``, ``%p`` and their long forms follow LC_TIME as soon as anything in the
	process calls ``setlocale`` (a bench worker may): an invoice line would read "01 maj" on one worker and
	"01 May" on another. The engine and the CLI write names from their own tables (``durations.fmt_day``)."""
	import re
	from pathlib import Path

	app = Path(__file__).resolve().parents[2] / "support_contracts"
	sources = [*sorted((app / "engine").glob("*.py")), app / "cli.py", app / "inputs.py"]
	directive = re.compile(r"%[aAbBcxXp]")
	found = [
		f"{path.name}:{n}"
		for path in sources
		for n, line in enumerate(path.read_text().splitlines(), 1)
		if ("strftime" in line or re.search(r"\{[^}]*:[^}]*%", line)) and directive.search(line)
	]
	assert not found, found


def test_month_and_weekday_names_are_the_firms():
	import datetime as dt

	from support_contracts.engine.durations import fmt_day

	assert fmt_day(dt.date(2026, 5, 1)) == "01 May 2026"
	assert fmt_day(dt.date(2026, 5, 1), with_year=False) == "01 May"
	assert fmt_day(dt.date(2026, 5, 1), with_weekday=True) == "Fri 01 May 2026"
