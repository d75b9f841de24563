"""Naive wall-clock times of one time zone ↔ epoch microseconds, the engine's unit — cheaply.

Frappe stores datetimes naive, in the system time zone; the engine computes in epoch microseconds. An
Issue save converts a few times each way, and a deadline costs about as much to convert as to compute when
it goes through aware datetimes (``replace(tzinfo=…)``, ``astimezone``; docs/architecture.md). This
does the same conversions with the zone's offset looked up once per hour:

- :meth:`WallClock.to_us`: wall time → instant. A wall time that a DST change repeats (02:30 on the last
  Sunday of October) is its first occurrence; one the change skips (02:30 on the last Sunday of March) is
  read with the offset before the change — both exactly as ``zoneinfo`` reads ``fold=0``.
- :meth:`WallClock.wall`: instant → wall time. The offset of each UTC hour is cached; an hour in which the
  offset changes is converted exactly, every time.

Where a person types a wall time, the first reading is a guess: :func:`dst_change` says whether a wall time
is skipped or repeated by a change of the zone's offset, and which hour that is, so the caller can refuse it
with a message that names the hour (the Desk) or asks for a UTC offset (the CLI).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

NAIVE_EPOCH = dt.datetime(1970, 1, 1)
UTC_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
ONE_US = dt.timedelta(microseconds=1)
HOUR_US = 3_600_000_000
_CHANGES = object()  # the offset changes within the hour: convert exactly
_CACHE_LIMIT = 200_000  # hours (~23 years of distinct hours) before the cache starts over


class WallClock:
	"""The wall clock of time zone ``timezone`` (an IANA name)."""

	__slots__ = ("_offsets", "timezone", "tz")

	def __init__(self, timezone: str):
		self.timezone = timezone
		self.tz = ZoneInfo(timezone)
		self._offsets: dict[int, object] = {}

	def __repr__(self) -> str:
		return f"<WallClock {self.timezone}>"

	def to_us(self, t: dt.datetime) -> int:
		"""Epoch microseconds of naive wall time ``t``."""
		return (t - NAIVE_EPOCH - self.tz.utcoffset(t)) // ONE_US

	def wall(self, u: int) -> dt.datetime:
		"""The naive wall time of epoch microseconds ``u``."""
		hour = u // HOUR_US
		offset = self._offsets.get(hour)
		if offset is None:
			offset = self._offset_of_hour(hour)
		if offset is _CHANGES:
			return (UTC_EPOCH + ONE_US * u).astimezone(self.tz).replace(tzinfo=None)
		return NAIVE_EPOCH + ONE_US * (u + offset)

	def aware(self, t: dt.datetime) -> dt.datetime:
		"""Naive wall time ``t`` as an aware datetime in this zone (same reading as :meth:`to_us`)."""
		return dt.datetime.combine(t.date(), t.time(), self.tz)

	def reading(self, t: dt.datetime) -> tuple[dt.datetime, int]:
		"""Naive wall time ``t`` both ways at once — :meth:`aware` and :meth:`to_us` with one look-up of the
		zone — for a stored time read into a clock event."""
		tz = self.tz
		return dt.datetime.combine(t.date(), t.time(), tz), (t - NAIVE_EPOCH - tz.utcoffset(t)) // ONE_US

	def _offset_of_hour(self, hour: int):
		start = (UTC_EPOCH + ONE_US * (hour * HOUR_US)).astimezone(self.tz).utcoffset()
		end = (UTC_EPOCH + ONE_US * ((hour + 1) * HOUR_US - 1)).astimezone(self.tz).utcoffset()
		offset = start // ONE_US if start == end else _CHANGES
		if len(self._offsets) >= _CACHE_LIMIT:
			self._offsets.clear()
		self._offsets[hour] = offset
		return offset


_CLOCKS: dict[str, WallClock] = {}


def wall_clock(timezone: str) -> WallClock:
	"""The (shared) wall clock of ``timezone``."""
	clock = _CLOCKS.get(timezone)
	if clock is None:
		clock = _CLOCKS[timezone] = WallClock(timezone)
	return clock


# ---------------------------------------------------------------- wall times a DST change skips or repeats
SKIPPED, REPEATED = "skipped", "repeated"
ONE_SECOND = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class DSTChange:
	"""The change of a zone's offset that makes a wall time skipped or repeated.

	``kind`` is :data:`SKIPPED` (the clocks go forward: the wall times from ``wall_from`` up to ``wall_to``
	never happen) or :data:`REPEATED` (the clocks go back: those wall times happen twice, first at offset
	``before``, then at ``after``). ``wall_from`` < ``wall_to`` either way, both naive wall times; ``at`` is
	the instant of the change (aware, UTC)."""

	kind: str
	at: dt.datetime
	before: dt.timedelta
	after: dt.timedelta

	@property
	def wall_from(self) -> dt.datetime:
		return (self.at + min(self.before, self.after)).replace(tzinfo=None)

	@property
	def wall_to(self) -> dt.datetime:
		return (self.at + max(self.before, self.after)).replace(tzinfo=None)


def dst_change(t: dt.datetime, tz: ZoneInfo | str) -> DSTChange | None:
	"""The change of offset that skips or repeats naive wall time ``t`` in zone ``tz``, or None when ``t``
	happens exactly once there. ``t``'s own ``fold`` and ``tzinfo`` are ignored: only the wall time counts."""
	tz = ZoneInfo(tz) if isinstance(tz, str) else tz
	wall = t.replace(tzinfo=None, fold=0, microsecond=0)  # offsets change on whole seconds
	first = tz.utcoffset(wall)  # zoneinfo: the offset before the change
	second = tz.utcoffset(wall.replace(fold=1))  # the offset after it
	if first == second:
		return None
	# the change lies between the two readings of ``t``: halve the span down to the second
	utc = dt.timezone.utc
	lo, hi = sorted(((wall - first).replace(tzinfo=utc), (wall - second).replace(tzinfo=utc)))
	while hi - lo > ONE_SECOND:
		mid = lo + (hi - lo) // ONE_SECOND // 2 * ONE_SECOND
		if mid.astimezone(tz).utcoffset() == first:
			lo = mid
		else:
			hi = mid
	return DSTChange(SKIPPED if second > first else REPEATED, hi, first, second)


def fmt_offset(offset: dt.timedelta) -> str:
	"""A UTC offset as ISO 8601 writes it: ``+02:00``, ``-03:30``."""
	sign = "-" if offset < dt.timedelta(0) else "+"
	minutes = abs(offset) // dt.timedelta(minutes=1)
	return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
