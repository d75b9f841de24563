"""Benchmark: one month rated for 1,000 contracts × 50 entries, and on-call pay for 200 employees
(prints figures; not a test).

    python -m support_contracts.benchmarks.engine_rating
"""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from support_contracts.engine.on_call import Activation, OnCallWeek, pay_month
from support_contracts.engine.rating import rate_month
from support_contracts.engine.tiers import WORK_KINDS, Contract
from support_contracts.engine.work import Incident, TimeEntry
from support_contracts.examples import load_firm

TZ = ZoneInfo("Europe/Stockholm")


def main() -> None:
	rng = random.Random(2026)
	firms = [load_firm("trinax"), load_firm("vmi"), load_firm("ballou")]
	jobs = []
	for n in range(1000):
		firm = firms[n % 3]
		tier = rng.choice([k for k in firm.rating_tiers if k != "no_contract"])
		zone = next(iter(firm.rating_tiers[tier].travel_zones), None)
		contract = Contract(f"C{n}", f"Customer {n}", tier, dt.date(2025, 1, 1), travel_zone=zone)
		entries = [
			TimeEntry(
				f"C{n}-E{i}",
				dt.datetime(2026, 5, 1, tzinfo=TZ) + dt.timedelta(minutes=rng.randrange(31 * 24 * 60)),
				rng.choice(WORK_KINDS),
				minutes=rng.randint(3, 240),
				ticket=f"T{n}-{i % 12}",
				warranty=rng.random() < 0.05,
			)
			for i in range(50)
		]
		incidents = []
		if firm.rating_tiers[tier].incident:
			incidents = [Incident(f"C{n}-I{i}", e.start, e.ticket) for i, e in enumerate(entries[:3])]
		jobs.append((contract, firm.rating_tiers, entries, incidents))
	t0 = time.perf_counter()
	lines = 0
	for contract, tiers, entries, incidents in jobs:
		inv = rate_month(contract, tiers, 2026, 5, entries, incidents, bank_used_before=rng.randrange(600))
		lines += len(inv.lines)
	elapsed = time.perf_counter() - t0
	print(
		f"rating: 1,000 contracts × 50 entries for 2026-05 in {elapsed:.2f} s "
		f"({50_000 / elapsed:,.0f} entries/s, {lines:,} invoice lines)"
	)

	scheme = load_firm("ezy").pay_scheme()
	weeks, acts = [], []
	for e in range(200):
		emp = f"emp{e}"
		for w in (23, 25, 27):
			weeks.append(OnCallWeek(emp, 2026, w + e % 2, "Jour 2"))
		for k in range(20):
			day = dt.date.fromisocalendar(2026, 23 + e % 2 + 2 * (k % 3), 1 + k % 7)
			start = dt.datetime(day.year, day.month, day.day, tzinfo=TZ) + dt.timedelta(
				minutes=rng.randrange(20 * 60) + k
			)
			acts.append(
				Activation(f"{emp}-A{k}", emp, start, start + dt.timedelta(minutes=rng.randint(10, 240)))
			)
	# activations must not overlap per employee: keep the first of any overlapping pair
	kept, last_end = [], {}
	for a in sorted(acts, key=lambda a: (a.employee, a.start)):
		if a.start >= last_end.get(a.employee, a.start - dt.timedelta(seconds=1)):
			kept.append(a)
			last_end[a.employee] = a.end
	t0 = time.perf_counter()
	slips = pay_month(scheme, weeks, kept, 2026, 6)
	elapsed = time.perf_counter() - t0
	print(
		f"on-call pay: {len(slips)} employees, {len(weeks)} jour weeks, {len(kept):,} activations for 2026-06 "
		f"in {elapsed:.2f} s"
	)


if __name__ == "__main__":
	main()
