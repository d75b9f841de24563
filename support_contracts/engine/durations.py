"""Durations and times of day as people read them: the one formatter of the engine, CLI and documents.

A duration is a whole number of seconds; each style is a way the project writes it:

==============  ============================  =========================================================
style           example                       used for
==============  ============================  =========================================================
``clock``       ``1:30``, ``-0:05``, ``8:00:05``  remaining time and open time in the CLI
``time``        ``08:00``, ``17:30:15``       a time of day (seconds after midnight)
``hms``         ``08:00:00``                  a time of day as a document's Time field holds it
``hours``       ``1:30 h``                    billed time on an invoice line
``words``       ``1 h 30 min``, ``45 s``      an SLA target's description
``compact``     ``4h``, ``4h30m``             the band summary of a pay slip (docs/rules.md C7)
==============  ============================  =========================================================
"""

from __future__ import annotations

import datetime as dt

STYLES = ("clock", "time", "hms", "hours", "words", "compact")
# Month and weekday names as the firm formats write them, never the process locale's (``%b`` and ``%a``
# follow LC_TIME once anything in the process calls ``setlocale``)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def fmt_day(day: dt.date, with_year: bool = True, with_weekday: bool = False) -> str:
	"""``01 May 2026`` (``Fri 01 May 2026`` with the weekday), in English whatever the locale."""
	text = f"{day.day:02d} {MONTHS[day.month - 1]}" + (f" {day.year}" if with_year else "")
	return f"{WEEKDAYS[day.weekday()]} {text}" if with_weekday else text


def seconds_of(value: int | dt.timedelta) -> int:
	return int(value.total_seconds()) if isinstance(value, dt.timedelta) else int(value)


def fmt_duration(value: int | dt.timedelta, style: str = "clock") -> str:
	"""``value`` (seconds or a timedelta) written in ``style`` (see the module's table)."""
	s = seconds_of(value)
	sign = "-" if s < 0 else ""
	s = abs(s)
	h, m, sec = s // 3600, s % 3600 // 60, s % 60
	if style == "clock":
		return f"{sign}{h}:{m:02d}" + (f":{sec:02d}" if sec else "")
	if style == "time":
		return f"{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")
	if style == "hms":
		return f"{h:02d}:{m:02d}:{sec:02d}"
	if style == "hours":
		return f"{sign}{h}:{m:02d} h"
	if style == "words":
		parts = [f"{h} h" if h else "", f"{m} min" if m else "", f"{sec} s" if sec else ""]
		return sign + (" ".join(p for p in parts if p) or "0 s")
	if style == "compact":
		return f"{sign}{h}h" + (f"{m:02d}m" if m else "")
	raise ValueError(f"unknown duration style {style!r}; use one of {', '.join(STYLES)}")
