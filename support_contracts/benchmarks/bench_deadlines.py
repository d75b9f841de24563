"""Deadlines per second: this app next to ERPNext 15's ``get_expected_time_for`` on the same calendar
(Mon–Fri 08–17, the Swedish holidays of 2026–2027 in a Holiday List) and the same targets, in one run:

- engine: the calendar alone, aware datetimes in and out;
- the Issue save's path: a stored (naive, system time zone) start read as a ledger row is read
  (``times.event``: to epoch microseconds once), the calendar in microseconds, and ``times.stored`` back
  to what Frappe stores — the conversions a governed Issue's save makes around its SLA clock;
- ``times.deadline``: naive in, naive out, for callers with no clock;
- through aware datetimes (``times.aware`` → engine → ``times.naive``), the path a save took before, for
  comparison.

Each figure is the best of five rounds that take turns with the others (``seconds`` per figure in all).

Also checks that ERPNext and every path give the same deadline for each start (they share the calendar).

    bench --site SITE execute support_contracts.benchmarks.bench_deadlines.run
"""

import datetime as dt
import random
import time

import frappe

from erpnext.support.doctype.service_level_agreement.service_level_agreement import get_expected_time_for

from support_contracts.adapters.times import aware, deadline, event, naive, stored
from support_contracts.engine.calendar import CalendarSpec, HolidayRule, Window, compile_calendar
from support_contracts.engine.public_holidays import holidays_for

H = 3600


def _rate(fn, starts, seconds: float) -> float:
	n, t0 = 0, time.perf_counter()
	while time.perf_counter() - t0 < seconds:
		for s in starts:
			fn(s)
		n += len(starts)
	return n / (time.perf_counter() - t0)


def _best_rates(ways: dict, seconds: float, rounds: int = 5) -> dict:
	"""Each way's (function, its starts) best rate over ``rounds`` rounds that take turns (so a busy
	moment of the machine falls on every way alike), ``seconds`` each in all."""
	rates = {name: 0.0 for name in ways}
	for _ in range(rounds):
		for name, (fn, starts) in ways.items():
			rates[name] = max(rates[name], _rate(fn, starts, seconds / rounds))
	return rates


def run(seconds: float = 5.0):
	seconds = float(seconds)
	frappe.db.savepoint("sc_bench")
	try:
		hol = holidays_for("SE", None, (2026, 2027), frozenset({"public", "de_facto"}))
		hl = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "SC Bench Sweden",
				"from_date": "2026-01-01",
				"to_date": "2027-12-31",
				"holidays": [{"holiday_date": d, "description": n} for d, n in sorted(hol.items())],
			}
		).insert()
		days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
		support = [
			frappe._dict(workday=d, start_time=dt.timedelta(hours=8), end_time=dt.timedelta(hours=17))
			for d in days
		]
		cal = compile_calendar(
			CalendarSpec(
				"bench",
				frappe.utils.get_system_timezone(),
				tuple(Window(i, 8 * H, 17 * H) for i in range(5)),
				HolidayRule("SE"),
			)
		)
		rng = random.Random(2026)
		# starts inside opening hours on working days (ERPNext's loop assumes the start is in a support day)
		starts = []
		while len(starts) < 300:
			t = dt.datetime(2026, 1, 1, 8) + dt.timedelta(
				days=rng.randrange(330), minutes=rng.randrange(9 * 60)
			)
			if t.weekday() < 5 and t.date() not in hol:
				starts.append(t)
		aware_starts = [aware(s) for s in starts]
		print(
			f"{'target':>7}  {'ERPNext/s':>10}  {'engine/s':>16}  {'save path/s':>16}  "
			f"{'times.deadline/s':>16}  {'via aware/s':>16}  same deadline"
		)
		for hours in (1, 8, 40):
			sl = frappe._dict(resolution_time=hours * H, support_and_resolution=support, holiday_list=hl.name)
			d = dt.timedelta(hours=hours)
			d_us = d // dt.timedelta(microseconds=1)

			def save_path(s, d_us=d_us):
				return stored(cal.add_us(event("created", s).us, d_us))

			rates = _best_rates(
				{
					"erp": (lambda s, sl=sl: get_expected_time_for("resolution", sl, s), starts),
					"engine": (lambda s, d=d: cal.add(s, d), aware_starts),
					"path": (save_path, starts),
					"direct": (lambda s, d=d: deadline(cal, s, d), starts),
					"via_aware": (lambda s, d=d: naive(cal.add(aware(s), d)), starts),
				},
				seconds,
			)
			erp, ours, path, direct, via_aware = rates.values()
			same = sum(
				get_expected_time_for("resolution", sl, s)
				== save_path(s)
				== deadline(cal, s, d)
				== naive(cal.add(aware(s), d))
				for s in starts
			)
			print(
				f"{hours:>5} h  {erp:>10,.0f}  {ours:>9,.0f} ({ours / erp:>3.0f}×)  "
				f"{path:>9,.0f} ({path / erp:>3.0f}×)  {direct:>9,.0f} ({direct / erp:>3.0f}×)  "
				f"{via_aware:>9,.0f} ({via_aware / erp:>3.0f}×)  {same}/{len(starts)}"
			)
	finally:
		frappe.db.rollback(save_point="sc_bench")
