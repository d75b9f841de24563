"""Frappe stores naive datetimes in the system time zone; the engine wants aware ones. Convert here only.

A naive wall time that a DST change makes ambiguous (02:30 on the last Sunday of October) is read as its
first occurrence — Frappe's storage cannot tell them apart; every instant the app writes is converted
from an aware value, so only hand-typed values can hit this.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime, get_system_timezone, now_datetime


def system_tz() -> ZoneInfo:
	"""The system time zone, looked up once per request or job (``frappe.local`` is reset between them)."""
	tz = getattr(frappe.local, "sc_system_tz", None)
	if tz is None:
		tz = frappe.local.sc_system_tz = ZoneInfo(get_system_timezone())
	return tz


def aware(value) -> dt.datetime | None:
	"""A stored (naive, system time zone) datetime or string → aware datetime."""
	if value is None or value == "":
		return None
	t = value if isinstance(value, dt.datetime) else get_datetime(value)
	if t.tzinfo is not None:
		return t
	return t.replace(tzinfo=system_tz())


def naive(t: dt.datetime | None) -> dt.datetime | None:
	"""An aware datetime → naive in the system time zone, as Frappe stores it."""
	if t is None:
		return None
	return t.astimezone(system_tz()).replace(tzinfo=None)


def now() -> dt.datetime:
	"""Now, aware; tests may pin it with ``frappe.flags.current_time`` (as ERPNext's SLA does)."""
	return aware(frappe.flags.current_time or now_datetime())
