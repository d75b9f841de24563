"""Reading the CLI's input files: CSV, JSON or YAML records → engine inputs.

Formats, with examples, are in ``docs/formats.md``; sample files in ``support_contracts/examples/data/``.
Every error names the file, the record and the field. Times need a UTC offset, or ``tz`` to read
offset-less times in (never guessed).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from support_contracts.engine.errors import EngineError, InputError
from support_contracts.engine.on_call import Activation, OnCallWeek
from support_contracts.engine.wallclock import SKIPPED, DSTChange, dst_change, fmt_offset
from support_contracts.engine.work import Breach, Incident, TimeEntry

TRUE = {"1", "true", "yes", "y", "ja", "x"}
FALSE = {"", "0", "false", "no", "n", "nej"}


def zone(name: str, field: str = "--tz") -> ZoneInfo:
	try:
		return ZoneInfo(name)
	except (ZoneInfoNotFoundError, ValueError):
		raise InputError(field, name, "unknown time zone") from None


def parse_instant(value, tz: str | None, field: str) -> dt.datetime:
	"""ISO 8601 date-time; one without a UTC offset needs ``tz``."""
	if isinstance(value, dt.datetime):
		t = value
	else:
		try:
			t = dt.datetime.fromisoformat(str(value).strip())
		except ValueError:
			raise InputError(field, value, "not an ISO 8601 date-time, e.g. 2026-06-18T16:30+02:00") from None
	if t.tzinfo is None:
		if not tz:
			raise InputError(field, value, "no UTC offset: add one (2026-06-18T16:30+02:00) or give --tz")
		z = zone(tz)
		change = dst_change(t, z)
		if change:
			raise InputError(field, value, dst_problem(t, z, change))
		t = t.replace(tzinfo=z)
	return t


def dst_problem(t: dt.datetime, tz: ZoneInfo, change: DSTChange) -> str:
	"""Why wall time ``t`` of zone ``tz`` names no single instant, and the two ways to write it that do."""
	day, start, end = change.wall_from.date(), f"{change.wall_from:%H:%M}", f"{change.wall_to:%H:%M}"
	typed = t.replace(tzinfo=None).isoformat(
		timespec="minutes" if not (t.second or t.microsecond) else "auto"
	)
	if change.kind == SKIPPED:
		return (
			f"does not exist in {tz.key}: on {day} the clocks go forward from {start} to {end}; give a time "
			f"the clock showed (before {start} or from {end}), or add a UTC offset"
		)
	return (
		f"occurs twice in {tz.key}: on {day} the clocks go back from {end} to {start}, so {start}–{end} "
		f"comes twice; give its UTC offset: {typed}{fmt_offset(change.before)} (the first time) or "
		f"{typed}{fmt_offset(change.after)} (the second)"
	)


def parse_month(value: str, field: str = "--month") -> tuple[int, int]:
	try:
		d = dt.date.fromisoformat(f"{value}-01")
	except (ValueError, TypeError):
		raise InputError(field, value, "not a month, write YYYY-MM") from None
	return d.year, d.month


def read_records(path: str) -> list[dict]:
	"""Records from a CSV (header row), JSON (a list) or YAML (a list) file."""
	p = Path(path)
	if not p.is_file():
		raise InputError("file", path, "no such file")
	text = p.read_text(encoding="utf-8-sig")
	suffix = p.suffix.lower()
	try:
		if suffix == ".csv":
			rows = [
				{k.strip(): (v or "").strip() for k, v in r.items() if k}
				for r in csv.DictReader(text.splitlines())
			]
		elif suffix == ".json":
			rows = json.loads(text)
		elif suffix in (".yaml", ".yml"):
			rows = yaml.safe_load(text) or []
		else:
			raise InputError("file", path, "use a .csv, .json or .yaml file")
	except (json.JSONDecodeError, yaml.YAMLError, csv.Error) as e:
		raise InputError("file", path, f"cannot be read: {e}") from None
	if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
		raise InputError("file", path, "must hold a list of records")
	return rows


def _flag(value, field: str) -> bool:
	if isinstance(value, bool):
		return value
	v = str(value if value is not None else "").strip().lower()
	if v in TRUE:
		return True
	if v in FALSE:
		return False
	raise InputError(field, value, "write yes or no")


def _int(value, field: str) -> int | None:
	if value in (None, ""):
		return None
	try:
		return int(str(value).strip())
	except ValueError:
		raise InputError(field, value, "not a whole number") from None


def _load(path: str, build: Callable[[dict, str], object]) -> list:
	out = []
	for n, rec in enumerate(read_records(path), start=1):
		where = f"{Path(path).name} record {n}"
		try:
			out.append(build(rec, where))
		except EngineError as e:
			raise InputError(f"{where}: {e.field}", e.value, e.problem) from None
	return out


def load_entries(path: str, tz: str | None = None) -> list[TimeEntry]:
	def build(r, where):
		rid = str(r.get("id") or where)
		end = r.get("end")
		return TimeEntry(
			id=rid,
			start=parse_instant(r.get("start"), tz, "start"),
			kind=str(r.get("kind") or ""),
			minutes=_int(r.get("minutes"), "minutes"),
			end=parse_instant(end, tz, "end") if end not in (None, "") else None,
			ticket=r.get("ticket") or None,
			warranty=_flag(r.get("warranty"), "warranty"),
			who=r.get("who") or None,
			urgent=_flag(r.get("urgent"), "urgent"),
			outside_area=_flag(r.get("outside_area"), "outside_area"),
		)

	return _load(path, build)


def load_incidents(path: str, tz: str | None = None) -> list[Incident]:
	def build(r, where):
		return Incident(
			id=str(r.get("id") or where),
			at=parse_instant(r.get("at"), tz, "at"),
			ticket=r.get("ticket") or None,
			urgent=_flag(r.get("urgent", "yes"), "urgent"),
		)

	return _load(path, build)


def load_breaches(path: str) -> list[Breach]:
	def build(r, where):
		for f in ("ticket", "priority", "metric"):
			if not r.get(f):
				raise InputError(f, r.get(f), "is required")
		return Breach(str(r["ticket"]), str(r["priority"]), str(r["metric"]))

	return _load(path, build)


def load_on_call_weeks(path: str) -> list[OnCallWeek]:
	def build(r, where):
		week = str(r.get("week") or "")
		try:
			year, _, num = week.upper().partition("-W")
			y, w = int(year), int(num)
		except ValueError:
			raise InputError("week", week, "write an ISO week as 2026-W25") from None
		if not r.get("employee"):
			raise InputError("employee", r.get("employee"), "is required")
		return OnCallWeek(str(r["employee"]), y, w, str(r.get("level") or ""))

	return _load(path, build)


def load_activations(path: str, tz: str | None = None) -> list[Activation]:
	def build(r, where):
		if not r.get("employee"):
			raise InputError("employee", r.get("employee"), "is required")
		return Activation(
			id=str(r.get("id") or where),
			employee=str(r["employee"]),
			start=parse_instant(r.get("start"), tz, "start"),
			end=parse_instant(r.get("end"), tz, "end"),
			ticket=r.get("ticket") or None,
		)

	return _load(path, build)
