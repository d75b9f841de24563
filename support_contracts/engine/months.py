"""Months and cadences: the calendar arithmetic of terms, reports, reviews and billing months (docs/rules.md
B3, B4) — whole calendar months, never days counted."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

from .errors import ConfigError


def previous_month(year: int, month: int) -> tuple[int, int]:
	return (year - 1, 12) if month == 1 else (year, month - 1)


def next_month(year: int, month: int) -> tuple[int, int]:
	return (year + 1, 1) if month == 12 else (year, month + 1)


def months_ending(year: int, month: int, count: int) -> list[tuple[int, int]]:
	"""The ``count`` months that end with ``year``-``month``, oldest first."""
	out = [(year, month)]
	while len(out) < count:
		out.insert(0, previous_month(*out[0]))
	return out


def add_months(day: dt.date, months: int) -> dt.date:
	"""``day`` moved by whole calendar months; the 31st becomes the month's last day where it has none."""
	y, m = divmod(day.month - 1 + months, 12)
	year, month = day.year + y, m + 1
	return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def term_end(start: dt.date, term_months: int, on: dt.date, end: dt.date | None = None) -> dt.date | None:
	"""The last day of the contract term that holds ``on`` (docs/rules.md B4: terms of 12 months, renewed
	back to back from the start date); the contract's own end date where it comes first. None without a
	term and an end."""
	if not term_months:
		return end
	k = 0
	while add_months(start, (k + 1) * term_months) <= on:
		k += 1
	last = add_months(start, (k + 1) * term_months) - dt.timedelta(days=1)
	return min(last, end) if end else last


CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "half-yearly": 6, "yearly": 12}


def cadence_period(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
	"""First and last day of the reporting or review period (docs/rules.md B4: weekly, monthly, quarterly,
	half-yearly, yearly — calendar periods) that holds ``day``."""
	if cadence == "weekly":
		first = day - dt.timedelta(days=day.weekday())
		return first, first + dt.timedelta(days=6)
	if cadence not in CADENCE_MONTHS:
		raise ConfigError("cadence", cadence, f"use weekly or {', '.join(CADENCE_MONTHS)}")
	n = CADENCE_MONTHS[cadence]
	first = dt.date(day.year, (day.month - 1) // n * n + 1, 1)
	return first, add_months(first, n) - dt.timedelta(days=1)


def period_before(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
	"""The last complete period before the one that holds ``day``: what a report sent on ``day`` covers."""
	first, _last = cadence_period(cadence, day)
	return cadence_period(cadence, first - dt.timedelta(days=1))


def review_meeting_day(cadence: str, day: dt.date) -> dt.date | None:
	"""On the first day of a review period (docs/rules.md B4: quarterly Alert!, half-yearly Attend!), the
	day its review meeting is booked for: a week into the period, moved to the next weekday *(our
	reading: a placeholder the account manager moves to the customer's date)*; None on any other day."""
	first, _last = cadence_period(cadence, day)
	if day != first:
		return None
	meeting = first + dt.timedelta(days=7)
	while meeting.weekday() >= 5:
		meeting += dt.timedelta(days=1)
	return meeting
