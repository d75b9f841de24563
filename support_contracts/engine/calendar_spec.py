"""What a business calendar is made of (docs/rules.md A, B, C, E): its weekly opening windows, the days it
is closed, its closure periods and which holidays matter, each checked as it is made with an error naming
its field. :mod:`.calendar` compiles a :class:`CalendarSpec` into the open time it defines.

Also the instants every calendar is measured in: epoch microseconds (:func:`to_us`), never a naive time.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .durations import WEEKDAYS, fmt_duration
from .errors import ConfigError, InputError
from .public_holidays import HOLIDAY_KINDS, holidays_for

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = dt.timedelta(microseconds=1)
DAY = 86400
WEEK = 7 * DAY
US_PER_S = 1_000_000
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def to_us(t: dt.datetime, what: str = "time") -> int:
	"""Epoch microseconds of an aware datetime; a naive one is an error, never guessed."""
	try:
		return (t - EPOCH) // ONE_US  # raises TypeError for a naive datetime: no silent guess
	except TypeError:
		if not isinstance(t, dt.datetime):
			raise InputError(what, t, "expected a datetime") from None
		raise InputError(what, t, "naive datetime: give a timezone-aware datetime") from None


def duration_us(d: dt.timedelta, what: str = "duration") -> int:
	if type(d) is not dt.timedelta and not isinstance(d, dt.timedelta):
		raise InputError(what, d, "expected a timedelta")
	us = d // ONE_US
	if us <= 0:
		raise InputError(what, d, "must be positive")
	return us


def check_timezone(name: str, field: str = "timezone") -> ZoneInfo:
	"""The ZoneInfo of an IANA name, or a ConfigError naming the field and the value."""
	try:
		return ZoneInfo(name)
	except (ZoneInfoNotFoundError, ValueError, TypeError):
		raise ConfigError(field, name, "unknown time zone") from None


@dataclass(frozen=True)
class Window:
	"""An opening window: opens on ``weekday`` (0 = Monday) at ``start`` seconds after local midnight and
	closes ``end`` seconds after midnight — on the next day when ``end <= start`` (17:00–08:00).
	``end`` is 86400 for a window that closes at midnight (24:00)."""

	weekday: int
	start: int
	end: int

	def __post_init__(self):
		if not (isinstance(self.weekday, int) and 0 <= self.weekday <= 6):
			raise ConfigError("window.weekday", self.weekday, "must be 0 (Monday) to 6 (Sunday)")
		if not 0 <= self.start < DAY:
			raise ConfigError("window.start", self.start, "must be from 00:00 to before 24:00")
		if not 0 < self.end <= DAY:
			raise ConfigError("window.end", self.end, "must be after 00:00 and at most 24:00")
		if self.end == self.start:
			raise ConfigError("window", str(self), "the end equals the start")

	@property
	def crosses_midnight(self) -> bool:
		return self.end <= self.start

	@property
	def length(self) -> int:
		return self.end - self.start if self.end > self.start else self.end + DAY - self.start

	def __str__(self) -> str:
		return f"{WEEKDAYS[self.weekday]} {fmt_duration(self.start, 'time')}–{fmt_duration(self.end, 'time')}"


@dataclass(frozen=True)
class DayRule:
	"""A date every year (``year`` None: 24 December) or one date (``year`` set)."""

	month: int
	day: int
	year: int | None = None

	def __post_init__(self):
		try:
			dt.date(self.year or 2000, self.month, self.day)  # 2000 is a leap year: 29 Feb allowed
		except (TypeError, ValueError):
			raise ConfigError("date", f"{self.year or '*'}-{self.month}-{self.day}", "not a date") from None

	def in_year(self, year: int) -> dt.date | None:
		if self.year is not None and self.year != year:
			return None
		try:
			return dt.date(year, self.month, self.day)
		except ValueError:  # 29 February in a common year
			return None


@dataclass(frozen=True)
class ClosedDay:
	"""A named day on which the calendar is closed (Norway's Christmas Eve, a company day)."""

	name: str
	date: DayRule


@dataclass(frozen=True)
class Closure:
	"""A closure period, first and last day inclusive: every year (romjul 12-27..12-30; may wrap over New
	Year) or once (2026-07-06..2026-07-19)."""

	name: str
	first: DayRule
	last: DayRule

	def __post_init__(self):
		if (self.first.year is None) != (self.last.year is None):
			raise ConfigError("closure", self.name, "first and last day must both be yearly or both dated")
		if self.first.year is not None:
			a = dt.date(self.first.year, self.first.month, self.first.day)
			b = dt.date(self.last.year, self.last.month, self.last.day)
			if b < a:
				raise ConfigError("closure", self.name, "the last day is before the first")

	def days(self, year: int):
		"""The closed dates that begin in ``year`` (a yearly range wrapping New Year runs into year+1)."""
		if self.first.year is not None:
			if self.first.year != year:
				return
			a = dt.date(self.first.year, self.first.month, self.first.day)
			b = dt.date(self.last.year, self.last.month, self.last.day)
		else:
			a = self.first.in_year(year)
			b = self.last.in_year(year)
			if a is None or b is None:
				return
			if b < a:
				b = self.last.in_year(year + 1) or b
		while a <= b:
			yield a
			a += dt.timedelta(days=1)


@dataclass(frozen=True)
class HolidayRule:
	"""Which holidays matter and what they do: ``closed`` (an office) or ``open`` (on-call covers all of a
	holiday, docs/rules.md A). ``early_closing`` closes at the country's half-day hour on its eves
	(:data:`.public_holidays.EARLY_CLOSING`; a country without a table has none)."""

	country: str
	subdivision: str | None = None
	kinds: frozenset[str] = frozenset(HOLIDAY_KINDS)
	effect: str = "closed"
	early_closing: bool = False

	def __post_init__(self):
		if self.effect not in ("closed", "open"):
			raise ConfigError("holidays.effect", self.effect, "must be 'closed' or 'open'")
		unknown = set(self.kinds) - set(HOLIDAY_KINDS)
		if unknown:
			raise ConfigError(
				"holidays.kinds", sorted(unknown), f"unknown kind; use {', '.join(HOLIDAY_KINDS)}"
			)
		holidays_for(self.country, self.subdivision, (2026,), frozenset(self.kinds))  # validates country


@dataclass(frozen=True)
class CalendarSpec:
	"""The definition of a business calendar; hashable, so compiled calendars are cached by it."""

	name: str
	timezone: str
	windows: tuple[Window, ...]
	holidays: HolidayRule | None = None
	closed_days: tuple[ClosedDay, ...] = ()
	closures: tuple[Closure, ...] = ()

	def __post_init__(self):
		check_timezone(self.timezone)
		if not self.windows:
			raise ConfigError("windows", self.name, "the calendar has no opening window, so no open time")
		_check_no_overlap(self.windows)

	@classmethod
	def always_open(cls, name: str = "24/7", timezone: str = "UTC") -> CalendarSpec:
		"""The 24/7 calendar: every second counts (wall-clock targets, docs/rules.md C P1 "within 1 hour")."""
		return cls(name=name, timezone=timezone, windows=tuple(Window(d, 0, DAY) for d in range(7)))


def _check_no_overlap(windows: tuple[Window, ...]) -> None:
	spans = []
	for w in windows:
		s = w.weekday * DAY + w.start
		e = s + w.length
		spans.append((s, e, w))
		if e > WEEK:  # Sunday night into Monday morning: also check it against Monday
			spans.append((s - WEEK, e - WEEK, w))
	spans.sort(key=lambda x: (x[0], x[1]))
	for (_s1, e1, w1), (s2, _e2, w2) in itertools.pairwise(spans):
		if s2 < e1 and w1 is not w2:
			raise ConfigError("windows", f"{w1} and {w2}", "opening windows overlap")
