"""A calendar's coverage in words (docs/rules.md A2, E3): its opening hours day by day, its holidays, closed
days and closures — what the portal and the contract form tell a customer the service covers. Translated
phrase by phrase through the caller's ``tr``; the engine's own words are English."""

from __future__ import annotations

from .calendar import DAY, CalendarSpec, DayRule, Window, as_is
from .durations import WEEKDAYS, fmt_duration
from .public_holidays import (
	COUNTRY_NAMES,
	DE_FACTO,
)


def _day_rule_text(rule: DayRule) -> str:
	return (
		f"{rule.month:02d}-{rule.day:02d}"
		if rule.year is None
		else f"{rule.year}-{rule.month:02d}-{rule.day:02d}"
	)


def opening_hours(spec: CalendarSpec) -> list[tuple[int, int, tuple[Window, ...]]]:
	"""The weekly windows grouped as people write them: runs of weekdays with the same hours,
	``(first weekday, last weekday, windows)`` — Monday to Friday 08:00–17:00 is one run."""
	by_day = {
		d: tuple(sorted((w for w in spec.windows if w.weekday == d), key=lambda w: w.start)) for d in range(7)
	}
	runs: list[tuple[int, int, tuple[Window, ...]]] = []
	for d in range(7):
		if not by_day[d]:
			continue
		same = [(w.start, w.end) for w in by_day[d]]
		if runs and runs[-1][1] == d - 1 and [(w.start, w.end) for w in runs[-1][2]] == same:
			runs[-1] = (runs[-1][0], d, runs[-1][2])
		else:
			runs.append((d, d, by_day[d]))
	return runs


def describe_coverage(spec: CalendarSpec, tr=as_is) -> str:
	"""What a calendar covers, in words: "Mon–Fri 08:00–17:00; closed on public holidays in Sweden,
	Midsummer Eve, Christmas Eve, New Year's Eve". ``tr`` translates each phrase (the portal passes
	Frappe's ``_``); the sentence is built here, once, for the CLI and the portal alike."""
	runs = opening_hours(spec)
	hours = []
	for first, last, windows in runs:
		days = tr(WEEKDAYS[first]) if first == last else f"{tr(WEEKDAYS[first])}–{tr(WEEKDAYS[last])}"
		times = ", ".join(f"{fmt_duration(w.start, 'time')}–{fmt_duration(w.end, 'time')}" for w in windows)
		hours.append(f"{days} {times}")
	if [(a, b, [w.length for w in ws]) for a, b, ws in runs] == [(0, 6, [DAY])]:
		hours = [tr("around the clock, every day")]
	parts = ["; ".join(hours)]
	h = spec.holidays
	closed = []
	if h is not None:
		country = tr(COUNTRY_NAMES.get(h.country, h.country))
		de_facto = [tr(name) for name, _rule in DE_FACTO.get(h.country, ())] if "de_facto" in h.kinds else []
		if h.effect == "closed":
			if "public" in h.kinds:
				closed.append(tr("public holidays in {0}").format(country))
			closed += de_facto
		else:
			days = [tr("public holidays in {0}").format(country)] if "public" in h.kinds else []
			parts.append(tr("open all day on {0}").format(", ".join(days + de_facto)))
		if h.early_closing:
			parts.append(tr("closes early on the eves {0} marks as half days").format(country))
	closed += [f"{tr(cd.name)} ({_day_rule_text(cd.date)})" for cd in spec.closed_days]
	if closed:
		parts.append(tr("closed on {0}").format(", ".join(closed)))
	for c in spec.closures:
		parts.append(
			tr("closed for {0} from {1} to {2}").format(
				tr(c.name), _day_rule_text(c.first), _day_rule_text(c.last)
			)
		)
	return "; ".join(p for p in parts if p)
