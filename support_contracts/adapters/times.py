"""Frappe stores naive datetimes in the system time zone; the engine wants aware ones or epoch
microseconds. Convert here only, through the system time zone's :class:`~.engine.wallclock.WallClock`
(cheap: an Issue save converts several times each way, and a deadline must not cost more to convert than
to compute).

A naive wall time that a DST change makes ambiguous (02:30 on the last Sunday of October) is read as its
first occurrence — Frappe's storage cannot tell them apart; every instant the app writes is converted
from an aware value, so only hand-typed values can hit this. Where a person types one (a maintenance
window, a call-in, an activation: :func:`typed_instant`), it is refused, with the hour named.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_datetime, get_system_timezone, now_datetime

from support_contracts.adapters.settings import setting
from support_contracts.adapters.validation import parse_temporal  # the one parser of typed values
from support_contracts.engine.calendar import BusinessCalendar, duration_us, to_us
from support_contracts.engine.sla import Event
from support_contracts.engine.wallclock import ONE_US, SKIPPED, WallClock, dst_change, wall_clock

# werkzeug's Local (frappe.local) keeps its values in one ContextVar holding a dict; reading that dict
# directly costs a tenth of ``getattr(frappe.local, …)`` (whose failed slot lookup alone is ~0.4 µs), and a
# save converts dozens of times. Where a Local is built otherwise, the attribute is read as usual.
try:
	_LOCAL_VALUES = object.__getattribute__(frappe.local, "_Local__storage")
except AttributeError:  # pragma: no cover - another werkzeug
	_LOCAL_VALUES = None


def system_clock() -> WallClock:
	"""The system time zone's wall clock, looked up once per request or job (``frappe.local`` is reset
	between them; the clock itself, with its cache, is shared by every site in that zone)."""
	if _LOCAL_VALUES is not None:
		clock = _LOCAL_VALUES.get({}).get("sc_system_clock")
	else:  # pragma: no cover
		clock = getattr(frappe.local, "sc_system_clock", None)
	if clock is None:
		clock = frappe.local.sc_system_clock = wall_clock(get_system_timezone())
	return clock


def system_tz() -> ZoneInfo:
	"""The system time zone."""
	return system_clock().tz


def aware(value) -> dt.datetime | None:
	"""A stored (naive, system time zone) datetime or string → aware datetime."""
	if value is None or value == "":
		return None
	t = value if isinstance(value, dt.datetime) else get_datetime(value)
	if t.tzinfo is not None:
		return t
	return system_clock().aware(t)


def naive(t: dt.datetime | None) -> dt.datetime | None:
	"""An aware datetime → naive in the system time zone, as Frappe stores it."""
	if t is None:
		return None
	clock = system_clock()
	if t.tzinfo is clock.tz:  # already the system's wall time (the engine answers in the calendar's zone)
		return dt.datetime.combine(t.date(), t.time())
	return clock.wall(to_us(t))


def stored(u: int | None) -> dt.datetime | None:
	"""Epoch microseconds → naive in the system time zone, as Frappe stores it."""
	return None if u is None else system_clock().wall(u)


def event(kind: str, at, priority: str | None = None) -> Event:
	"""A clock event at a stored time (a ledger row): converted once, straight to microseconds."""
	t = at if isinstance(at, dt.datetime) else get_datetime(at)
	at_aware, us = system_clock().reading(t)
	return Event.known(kind, at_aware, priority, us)


def deadline(calendar: BusinessCalendar, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
	"""``duration`` of ``calendar``'s open time after ``start``, both naive system time as Frappe stores
	them, converted through epoch microseconds as a governed Issue's save converts its clock (:func:`event`
	in, :func:`stored` out)."""
	clock = system_clock()
	# a target's duration is a checked, positive timedelta: its microseconds without the check
	d = duration // ONE_US if type(duration) is dt.timedelta else duration_us(duration)
	return clock.wall(calendar.add_us(clock.to_us(start), d))


def now() -> dt.datetime:
	"""Now, aware; tests may pin it with ``frappe.flags.current_time`` (as ERPNext's SLA does)."""
	return aware(frappe.flags.current_time or now_datetime())


def today() -> dt.date:
	"""Today where the firm is (the system time zone); pinned with ``now``."""
	return naive(now()).date()


def local_instant(value, label: str, repeated: bool = True) -> dt.datetime:
	"""A typed local date and time (system time zone) → aware; refused with a message naming ``label`` if
	it is not a date and time, or if that wall time does not exist (skipped by the DST change: on
	2026-03-29 Europe/Stockholm goes from 02:00 straight to 03:00). One the change repeats (02:30 on
	2026-10-25 happens twice) is refused too unless ``repeated``, which reads it as its first occurrence —
	as every stored time is read (an Issue opened at that hour is stamped with it by the app itself)."""

	def fail(problem):
		frappe.throw(
			_("{0} {1} (got {2})").format(frappe.bold(label), problem, frappe.bold(value)),
			frappe.ValidationError,
		)

	t = parse_temporal(value, "Datetime", fail)
	tz = system_tz()
	change = dst_change(t, tz)
	if change and change.kind == SKIPPED:
		frappe.throw(
			_(
				"{0} {1} does not exist in time zone {2}: the clocks skip that hour for daylight saving time. Enter the time as it was shown on the clock."
			).format(frappe.bold(label), frappe.bold(str(t)), tz.key),
			frappe.ValidationError,
		)
	if change and not repeated:
		frappe.throw(
			_(
				"{0} {1} occurs twice in time zone {2}: on {3} the clocks go back from {4} to {5}, so every time from {5} to {4} comes twice, and a date and time typed here cannot say which is meant. Enter a time before {5} or from {4} on."
			).format(
				frappe.bold(label),
				frappe.bold(str(t)),
				tz.key,
				change.wall_from.date(),
				f"{change.wall_to:%H:%M}",
				f"{change.wall_from:%H:%M}",
			),
			frappe.ValidationError,
		)
	return t.replace(tzinfo=tz)


def typed_instant(doc, fieldname: str, label: str | None = None) -> dt.datetime:
	"""Datetime field ``fieldname`` of ``doc`` as :func:`local_instant` reads it, refusing a wall time the
	DST change repeats when the value is new or changed: a value stored before is read as it always was."""
	value = doc.get(fieldname)
	label = label or _(doc.meta.get_label(fieldname))
	return local_instant(value, label, repeated=not changed(doc, fieldname))


def changed(doc, fieldname: str) -> bool:
	"""Whether Datetime field ``fieldname`` of ``doc`` is new or other than the stored value (read as a
	datetime: a form sends back the stored value as text)."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	if before is None:
		return True
	old, new = before.get(fieldname), doc.get(fieldname)
	if not old or not new:
		return bool(old) != bool(new)
	try:
		return get_datetime(old) != get_datetime(new)
	except Exception:  # not a date and time: local_instant names it
		return True


def refuse_ahead(t: dt.datetime, label: str) -> None:
	"""Refuse an instant later than now plus Support Contract Settings › Dated Ahead At Most: work that is
	paid and billed as done cannot lie in the future (the tolerance is for clocks that differ a little)."""
	tolerance = max(setting("future_tolerance_minutes") or 0, 0)
	at = now()
	if t > at + dt.timedelta(minutes=tolerance):
		frappe.throw(
			_(
				"{0} {1} is in the future (now: {2}); it may be at most {3} minutes ahead (Support Contract Settings). Enter it once it has happened."
			).format(
				frappe.bold(label), frappe.bold(str(naive(t))), naive(at).replace(microsecond=0), tolerance
			),
			frappe.ValidationError,
			title=_("Dated in the Future"),
		)
