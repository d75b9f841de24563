"""Benchmark: business deadlines per second (prints figures; not a test).

A calendar of Mon–Fri 08:00–17:00 in Europe/Stockholm with Swedish public and de-facto holidays; starts
spread over 2026 (so every holiday and both DST changes are crossed); targets of 1 h, 8 h, 40 h and 400 h.
Reference (issue 2): ERPNext 15's ``get_expected_time_for`` does about 32,000/s for 1–8 h and 14,000/s for
40 h targets on this kind of machine and slows linearly with the target.

    python -m support_contracts.benchmarks.engine_deadlines [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from support_contracts.engine.calendar import CalendarSpec, HolidayRule, Window, compile_calendar

H = 3600
REFERENCE = {1: 32_000, 8: 32_000, 40: 14_000}


def main() -> None:
	ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	ap.add_argument("--seconds", type=float, default=1.0, help="time per figure (default 1 s)")
	args = ap.parse_args()
	tz = ZoneInfo("Europe/Stockholm")
	spec = CalendarSpec(
		"office", "Europe/Stockholm", tuple(Window(d, 8 * H, 17 * H) for d in range(5)), HolidayRule("SE")
	)
	t0 = time.perf_counter()
	cal = compile_calendar(spec)
	cal.add(dt.datetime(2026, 1, 1, tzinfo=tz), dt.timedelta(hours=1))
	compile_ms = (time.perf_counter() - t0) * 1000
	rng = random.Random(2026)
	base = dt.datetime(2026, 1, 1, tzinfo=tz)
	starts = [base + dt.timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(10_000)]
	for s in starts[:50]:  # warm the index over every year the targets reach
		cal.add(s, dt.timedelta(hours=400))

	print(f"calendar compile (3 years, with holidays): {compile_ms:.1f} ms")
	print(f"{'target':>8}  {'deadlines/s':>12}  {'µs each':>8}  {'vs ERPNext ref':>14}")
	for hours in (1, 8, 40, 400):
		d = dt.timedelta(hours=hours)
		n = 0
		t0 = time.perf_counter()
		deadline = t0 + args.seconds
		while time.perf_counter() < deadline:
			for s in starts[:1000]:
				cal.add(s, d)
			n += 1000
		elapsed = time.perf_counter() - t0
		rate = n / elapsed
		ref = REFERENCE.get(hours)
		ratio = f"{rate / ref:.0f}×" if ref else "—"
		print(f"{hours:>6} h  {rate:>12,.0f}  {1e6 / rate:>8.2f}  {ratio:>14}")


if __name__ == "__main__":
	main()
