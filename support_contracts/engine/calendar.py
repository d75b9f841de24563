"""Business calendars: when a support organisation is open, exact to the microsecond across DST.

A calendar is the set algebra of (docs/rules.md A, B, C, E)::

    open = weekly windows ∪ (holidays, if they open the calendar, e.g. on-call)
           − (holidays, if they close it) − closed days − closure periods − early-closing afternoons

Its definition (:class:`CalendarSpec`: windows, holidays, closed days, closures) is in :mod:`.calendar_spec`.

- Weekly windows: several per day (08:00–12:00 + 13:00–17:00, Pindena's lunch, docs/rules.md E) and windows that
  run past midnight (on-call 17:00–08:00, docs/rules.md A). Overlapping windows, and a window whose end equals
  its start, are rejected.
- Holidays by country/subdivision, of the kinds a calendar chooses (:mod:`.public_holidays`): Swedish
  public + de-facto (Midsummer Eve, Christmas Eve, New Year's Eve) by default.
- Early closing on a country's half days (:data:`.public_holidays.EARLY_CLOSING`), when switched on.
- Closed days a user adds (Norway's Christmas Eve) and closure periods (two weeks in July, romjul
  27–30 December, docs/rules.md E), each either every year (month-day) or once (a dated range).

:class:`BusinessCalendar` compiles the spec once into a sorted index of open intervals (epoch
microseconds) with cumulative open time, extended on demand a few years at a time. ``add`` and
``between`` are two binary searches each: constant in the length of the target, no day-by-day stepping.
All intervals are half-open ``[start, end)``: a deadline that uses up the day's last open second is the
closing time itself (8 business hours from Monday 08:00 on 08–17 is Monday 17:00, not Tuesday 08:00).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import threading
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .calendar_spec import (  # the definition a calendar compiles, importable from here as before
	DAY,
	EPOCH,
	ONE_US,
	US_PER_S,
	UTC,
	WEEK,
	WEEKDAY_NAMES,
	WEEKDAYS,
	CalendarSpec,
	ClosedDay,
	Closure,
	DayRule,
	HolidayRule,
	Window,
	check_timezone,
	duration_us,
	to_us,
)
from .errors import ConfigError, InputError
from .public_holidays import early_closings, holiday_names, holidays_for

__all__ = [
	"ALWAYS_OPEN",
	"DAY",
	"EPOCH",
	"ONE_US",
	"US_PER_S",
	"UTC",
	"WEEK",
	"WEEKDAYS",
	"WEEKDAY_NAMES",
	"BusinessCalendar",
	"CalendarSpec",
	"ClosedDay",
	"Closure",
	"DayRule",
	"HolidayRule",
	"Window",
	"as_is",
	"check_timezone",
	"compile_calendar",
	"duration_us",
	"to_us",
]


@dataclass
class _Index:
	"""One compiled stretch of a calendar: years y0..y1, local 1 Jan y0 to local 1 Jan y1+1."""

	y0: int
	y1: int
	lo: int
	hi: int
	starts: list[int]
	ends: list[int]
	cum: list[int]  # open µs before interval i
	cum_end: list[int]  # open µs up to the end of interval i
	day_ords: list[int] = field(default_factory=list)  # local dates with open time
	day_close: list[int] = field(default_factory=list)  # the last open instant of each such date

	@property
	def total(self) -> int:
		return self.cum_end[-1] if self.cum_end else 0

	def cumulative(self, t: int) -> int:
		i = bisect.bisect_right(self.starts, t) - 1
		if i < 0:
			return 0
		return self.cum[i] + min(t - self.starts[i], self.ends[i] - self.starts[i])


def _merge(spans: list[tuple[int, int]]) -> list[list[int]]:
	spans.sort()
	out: list[list[int]] = []
	for s, e in spans:
		if out and s <= out[-1][1]:
			if e > out[-1][1]:
				out[-1][1] = e
		else:
			out.append([s, e])
	return out


def _subtract(pos: list[list[int]], neg: list[list[int]]) -> list[tuple[int, int]]:
	out = []
	j = 0
	for s, e in pos:
		while j < len(neg) and neg[j][1] <= s:
			j += 1
		k = j
		cur = s
		while k < len(neg) and neg[k][0] < e:
			if neg[k][0] > cur:
				out.append((cur, neg[k][0]))
			cur = max(cur, neg[k][1])
			k += 1
		if cur < e:
			out.append((cur, e))
	return out


class BusinessCalendar:
	"""A compiled calendar. Build with :func:`compile_calendar` (cached by spec).

	Every operation takes and returns timezone-aware datetimes (returned in the calendar's time zone) and
	is a binary search over the compiled index.
	"""

	def __init__(self, spec: CalendarSpec):
		self.spec = spec
		self.tz = ZoneInfo(spec.timezone)
		self._by_weekday: list[list[Window]] = [[] for _ in range(7)]
		for w in spec.windows:
			self._by_weekday[w.weekday].append(w)
		self._lock = threading.Lock()
		self._index: _Index | None = None

	def __repr__(self) -> str:
		return f"<BusinessCalendar {self.spec.name} ({self.spec.timezone})>"

	# ---------------------------------------------------------------- compilation
	def _local_us(self, day: dt.date, second: int) -> int:
		"""Epoch µs of wall-clock ``second`` after local midnight of ``day`` (86400 = next midnight)."""
		wall = dt.datetime(day.year, day.month, day.day, tzinfo=self.tz) + dt.timedelta(seconds=second)
		return (wall - EPOCH) // ONE_US

	def _compile(self, y0: int, y1: int) -> _Index:
		spec = self.spec
		years = tuple(range(y0 - 1, y1 + 2))
		hol: dict[dt.date, str] = {}
		early: dict[dt.date, tuple[int, str]] = {}
		if spec.holidays:
			h = spec.holidays
			hol = holidays_for(h.country, h.subdivision, years, frozenset(h.kinds))
			if h.early_closing:
				early = early_closings(h.country, h.subdivision, years)
		closed: set[dt.date] = set()
		for year in years:
			for cd in spec.closed_days:
				d = cd.date.in_year(year)
				if d:
					closed.add(d)
			for c in spec.closures:
				closed.update(c.days(year))
		opens_on_holiday = spec.holidays is not None and spec.holidays.effect == "open"

		pos: list[tuple[int, int]] = []
		neg: list[tuple[int, int]] = []
		day = dt.date(y0, 1, 1) - dt.timedelta(days=1)
		last = dt.date(y1, 12, 31)
		while day <= last:
			for w in self._by_weekday[day.weekday()]:
				end_day = day + dt.timedelta(days=1) if w.crosses_midnight else day
				pos.append((self._local_us(day, w.start), self._local_us(end_day, w.end)))
			if day in hol or day in closed or day in early:
				midnight, next_midnight = self._local_us(day, 0), self._local_us(day, DAY)
				if day in closed or (day in hol and not opens_on_holiday):
					neg.append((midnight, next_midnight))
				elif day in hol:
					pos.append((midnight, next_midnight))
				if day in early and day not in hol:
					neg.append((self._local_us(day, early[day][0]), next_midnight))
			day += dt.timedelta(days=1)

		lo = self._local_us(dt.date(y0, 1, 1), 0)
		hi = self._local_us(dt.date(y1 + 1, 1, 1), 0)
		spans = [
			(max(s, lo), min(e, hi)) for s, e in _subtract(_merge(pos), _merge(neg)) if e > lo and s < hi
		]
		if not spans:
			raise ConfigError("calendar", spec.name, f"no open time at all in {y0}–{y1}")
		starts = [s for s, _ in spans]
		ends = [e for _, e in spans]
		cum, cum_end, acc = [], [], 0
		for s, e in spans:
			cum.append(acc)
			acc += e - s
			cum_end.append(acc)
		idx = _Index(y0, y1, lo, hi, starts, ends, cum, cum_end)
		# business days: local dates with open time, and the last open instant of each
		day = dt.date(y0, 1, 1)
		i = 0
		while day <= last:
			ds, de = self._local_us(day, 0), self._local_us(day, DAY)
			while i < len(spans) and ends[i] <= ds:
				i += 1
			k, close = i, None
			while k < len(spans) and starts[k] < de:
				close = min(ends[k], de)
				k += 1
			if close is not None:
				idx.day_ords.append(day.toordinal())
				idx.day_close.append(close)
			day += dt.timedelta(days=1)
		return idx

	def _covering(self, lo_us: int, hi_us: int | None = None, *, more_years: int = 0) -> _Index:
		"""The index, compiled over a stretch that contains [lo_us, hi_us] (and ``more_years`` beyond)."""
		idx = self._index
		hi_us = lo_us if hi_us is None else hi_us
		if idx is not None and idx.lo <= lo_us and hi_us < idx.hi and not more_years:
			return idx
		with self._lock:
			idx = self._index
			y_lo = self._year_of(lo_us) - 1
			y_hi = self._year_of(hi_us) + 1
			if idx is not None:
				y_lo, y_hi = min(y_lo, idx.y0), max(y_hi, idx.y1 + more_years)
			if y_hi - y_lo > 400:
				raise InputError("time", self.at_us(hi_us), "more than 400 years of calendar needed")
			idx = self._compile(y_lo, y_hi)
			self._index = idx
			return idx

	def _year_of(self, t_us: int) -> int:
		return (EPOCH + dt.timedelta(microseconds=t_us)).astimezone(self.tz).year

	# The *_us methods work on epoch microseconds, the unit the SLA clock replays in (engine/sla.py):
	# exact, and without a datetime per step.
	def at_us(self, t_us: int) -> dt.datetime:
		"""The aware local datetime of epoch microseconds ``t_us``."""
		seconds, micro = divmod(t_us, US_PER_S)
		if micro:
			return (EPOCH + dt.timedelta(microseconds=t_us)).astimezone(self.tz)
		return dt.datetime.fromtimestamp(seconds, self.tz)  # whole seconds: exact, and 2.5× faster

	# ---------------------------------------------------------------- operations
	def is_open(self, t: dt.datetime) -> bool:
		"""Whether ``t`` falls inside an open interval (opening instant included, closing excluded)."""
		u = to_us(t)
		idx = self._covering(u)
		i = bisect.bisect_right(idx.starts, u) - 1
		return i >= 0 and u < idx.ends[i]

	def next_open(self, t: dt.datetime) -> dt.datetime:
		"""``t`` itself when open, otherwise the next opening instant."""
		return self.at_us(self.next_open_us(to_us(t)))

	def next_open_us(self, u: int) -> int:
		""":meth:`next_open` in epoch microseconds."""
		idx = self._covering(u)
		while True:
			i = bisect.bisect_right(idx.starts, u) - 1
			if i >= 0 and u < idx.ends[i]:
				return u
			if i + 1 < len(idx.starts):
				return idx.starts[i + 1]
			idx = self._covering(u, more_years=max(2, idx.y1 - idx.y0))

	def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
		"""The instant at which ``duration`` of open time has passed since ``start``: the deadline."""
		return self.at_us(self.add_us(to_us(start, "start"), duration_us(duration)))

	def add_us(self, s: int, d: int) -> int:
		""":meth:`add` in epoch microseconds: ``d`` µs of open time after ``s``. (The hot path of every
		deadline: the index look-up and :meth:`_Index.cumulative` written out.)"""
		idx = self._index
		if idx is None or not idx.lo <= s < idx.hi:
			idx = self._covering(s)
		while True:
			starts = idx.starts
			i = bisect.bisect_right(starts, s) - 1
			done = 0 if i < 0 else idx.cum[i] + min(s - starts[i], idx.ends[i] - starts[i])
			target = done + d
			cum_end = idx.cum_end
			if not cum_end or target > cum_end[-1]:
				idx = self._covering(s, more_years=max(2, idx.y1 - idx.y0))
				continue
			j = bisect.bisect_left(cum_end, target)
			return idx.ends[j] - (cum_end[j] - target)

	def between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
		"""Open time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
		return dt.timedelta(microseconds=self.between_us(to_us(a, "from"), to_us(b, "to")))

	def between_us(self, a: int, b: int) -> int:
		""":meth:`between` in epoch microseconds."""
		if b < a:
			return -self.between_us(b, a)
		idx = self._covering(a, b)
		return idx.cumulative(b) - idx.cumulative(a)

	def end_of_business_day(self, t: dt.datetime, n: int = 1) -> dt.datetime:
		"""The close of the ``n``-th business day after the local date of ``t`` (docs/rules.md E, SSA-L Serious:
		"started the same day, at the latest during the next working day" is ``n = 1``).

		A business day is a local date with open time; its close is the last open instant of that date.
		``n = 0`` is "the same day": the close of the first business day whose close is still ahead of
		``t`` — today if the calendar opens again today, otherwise the next business day. For ``n >= 1``
		days are counted strictly after the local date of ``t``, whether or not that date was a business
		day: reported Saturday or Friday evening with n = 1, due Monday at close.
		"""
		if not isinstance(n, int) or isinstance(n, bool) or n < 0:
			raise InputError("n", n, "must be a whole number of business days, 0 or more")
		u = to_us(t)
		idx = self._covering(u)
		while True:
			if n == 0:
				k = bisect.bisect_right(idx.day_close, u)
			else:
				k = bisect.bisect_right(idx.day_ords, self.at_us(u).date().toordinal()) + n - 1
			if k < len(idx.day_close):
				return self.at_us(idx.day_close[k])
			idx = self._covering(u, more_years=max(2, idx.y1 - idx.y0))

	def open_intervals(self, a: dt.datetime, b: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
		"""The open intervals between ``a`` and ``b``, clipped to them (to eyeball a calendar)."""
		ua, ub = to_us(a, "from"), to_us(b, "to")
		if ub <= ua:
			raise InputError("to", b, "must be after 'from'")
		idx = self._covering(ua, ub)
		i = max(0, bisect.bisect_right(idx.starts, ua) - 1)
		out = []
		while i < len(idx.starts) and idx.starts[i] < ub:
			s, e = max(idx.starts[i], ua), min(idx.ends[i], ub)
			if s < e:
				out.append((self.at_us(s), self.at_us(e)))
			i += 1
		return out

	def holiday_name(self, day: dt.date, language: str | None = None, tr=None) -> str | None:
		"""The name of the holiday or closure that governs ``day``, if any (for display): a public holiday
		in ``language`` where the holidays package has it, every other name through ``tr``."""
		tr = tr or as_is
		spec = self.spec
		for cd in spec.closed_days:
			if cd.date.in_year(day.year) == day:
				return tr(cd.name)
		for c in spec.closures:
			for year in (day.year - 1, day.year):
				if day in set(c.days(year)):
					return tr(c.name)
		if spec.holidays:
			h = spec.holidays
			name = holidays_for(h.country, h.subdivision, (day.year,), frozenset(h.kinds)).get(day)
			if name:
				if language and "public" in h.kinds:
					local = holiday_names(h.country, h.subdivision, day.year, language).get(day)
					if local:
						return local
				return tr(name)
			if h.early_closing:
				e = early_closings(h.country, h.subdivision, (day.year,)).get(day)
				if e:
					return tr(e[1])
		return None


@functools.lru_cache(maxsize=512)
def as_is(text: str) -> str:
	"""A phrase as it is: the words of a caller that translates nothing."""
	return text


def compile_calendar(spec: CalendarSpec) -> BusinessCalendar:
	"""The compiled calendar for ``spec``, cached by its definition: a changed definition is a new key."""
	return BusinessCalendar(spec)


ALWAYS_OPEN = CalendarSpec.always_open()
