"""``support-contracts``: the engine from the command line, no bench needed.

    support-contracts due --firm trinax --tier alert --priority P1 --start 2026-06-18T16:30+02:00
    support-contracts due --firm ezy --calendar office --target "3h from next opening" --start ...
    support-contracts calendar --firm pindena --calendar support --from 2026-12-21 --to 2027-01-05
    support-contracts demo

Tables by default, ``--json`` for scripts. Bad arguments give one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from support_contracts.engine.config import parse_target
from support_contracts.engine.errors import EngineError, InputError
from support_contracts.engine.sla import METRICS, Clock, Event
from support_contracts.examples import firm_names, load_firm

COMMANDS: dict[str, Callable] = {}


# ------------------------------------------------------------------ output
def table(headers: Sequence[str], rows: Sequence[Sequence]) -> str:
	"""A plain text table, columns as wide as their widest cell."""
	cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
	widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
	lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
	lines.insert(1, "  ".join("-" * w for w in widths))
	return "\n".join(lines)


def _jsonable(o):
	if isinstance(o, dt.datetime):
		return o.isoformat()
	if isinstance(o, dt.timedelta):
		return o.total_seconds()
	if isinstance(o, dt.date):
		return o.isoformat()
	return str(o)


def emit(args, data, render: Callable[[object], str]) -> None:
	if args.json:
		print(json.dumps(data, default=_jsonable, indent=2, ensure_ascii=False))
	else:
		print(render(data))


def fmt_dt(t: dt.datetime | None) -> str:
	return "—" if t is None else t.strftime("%a %Y-%m-%d %H:%M:%S %Z").replace(":00 ", " ", 1)


def fmt_td(d: dt.timedelta | None) -> str:
	if d is None:
		return "—"
	s = int(d.total_seconds())
	sign = "-" if s < 0 else ""
	s = abs(s)
	return f"{sign}{s // 3600}:{s % 3600 // 60:02d}" + (f":{s % 60:02d}" if s % 60 else "")


# ------------------------------------------------------------------ argument parsing
def parse_instant(value: str, tz: str | None, field: str = "--start") -> dt.datetime:
	"""ISO 8601; a time without an offset needs --tz (never guessed)."""
	try:
		t = dt.datetime.fromisoformat(value)
	except ValueError:
		raise InputError(field, value, "not an ISO 8601 date-time, e.g. 2026-06-18T16:30+02:00") from None
	if t.tzinfo is None:
		if not tz:
			raise InputError(field, value, "no UTC offset: add one (2026-06-18T16:30+02:00) or give --tz")
		t = t.replace(tzinfo=zone(tz))
	return t


def zone(name: str) -> ZoneInfo:
	try:
		return ZoneInfo(name)
	except (ZoneInfoNotFoundError, ValueError):
		raise InputError("--tz", name, "unknown time zone") from None


def parse_date(value: str, field: str) -> dt.date:
	try:
		return dt.date.fromisoformat(value)
	except ValueError:
		raise InputError(field, value, "not a date, e.g. 2026-12-21") from None


def command(name: str):
	def register(fn):
		COMMANDS[name] = fn
		return fn

	return register


# ------------------------------------------------------------------ commands
@command("due")
def cmd_due(args) -> int:
	"""Deadline(s) from a start instant: by tier + priority, or by calendar + target."""
	firm = load_firm(args.firm)
	start = parse_instant(args.start, args.tz)
	if args.target:
		if args.tier or args.priority:
			raise InputError("--target", args.target, "give either --target or --tier/--priority, not both")
		target = parse_target(args.target, firm.calendar_specs, args.calendar, "--target")
		from support_contracts.engine.sla import Policy

		policy = Policy("cli", {"-": {"resolution": target}})
		due = {"target": policy.due("-", start)["resolution"]}
		rows = [{"metric": "target", "target": target.describe(), "due": due["target"]}]
	else:
		if not (args.tier and args.priority):
			raise InputError("--tier/--priority", None, "give --tier and --priority (or --target)")
		policy = firm.policy(args.tier)
		due = policy.due(args.priority, start)
		rows = [
			{"metric": m, "target": policy.target(args.priority, m).describe(), "due": due[m]}
			for m in METRICS
		]
	shown_in = zone(args.tz) if args.tz else firm.display_tz
	for r in rows:
		r["due"] = r["due"].astimezone(shown_in) if r["due"] else None
	data = {"firm": firm.key, "start": start, "rows": rows}

	def render(d):
		head = f"{firm.name}: from {fmt_dt(start.astimezone(shown_in))}\n"
		return head + table(
			["metric", "target", "due"], [[r["metric"], r["target"], fmt_dt(r["due"])] for r in d["rows"]]
		)

	emit(args, data, render)
	return 0


@command("calendar")
def cmd_calendar(args) -> int:
	"""Open windows of a calendar per day over a date range, with the holiday or closure of closed days."""
	firm = load_firm(args.firm)
	cal = firm.calendar(args.calendar)
	first, last = parse_date(args.date_from, "--from"), parse_date(args.date_to, "--to")
	if last < first:
		raise InputError("--to", args.date_to, "is before --from")
	if (last - first).days > 366:
		raise InputError("--to", args.date_to, "show at most a year at a time")
	tz = cal.tz
	days = []
	d = first
	while d <= last:
		a = dt.datetime(d.year, d.month, d.day, tzinfo=tz)
		b = dt.datetime.combine(d + dt.timedelta(days=1), dt.time(), tzinfo=tz)
		spans = cal.open_intervals(a, b)
		days.append(
			{
				"date": d,
				"open": [(s, e) for s, e in spans],
				"open_time": cal.between(a, b),
				"note": cal.holiday_name(d) or "",
			}
		)
		d += dt.timedelta(days=1)
	data = {"firm": firm.key, "calendar": args.calendar, "timezone": str(tz), "days": days}

	def hm(t: dt.datetime, day: dt.date) -> str:
		return "24:00" if t.date() > day else t.strftime("%H:%M")

	def render(x):
		rows = [
			[
				day["date"].strftime("%a %Y-%m-%d"),
				", ".join(f"{hm(s, day['date'])}–{hm(e, day['date'])}" for s, e in day["open"]) or "closed",
				fmt_td(day["open_time"]),
				day["note"],
			]
			for day in x["days"]
		]
		return f"{firm.name} / {args.calendar} ({tz})\n" + table(["day", "open", "hours", "note"], rows)

	emit(args, data, render)
	return 0


@command("demo")
def cmd_demo(args) -> int:
	"""A dozen realistic tickets over Midsummer week 2026, with holidays, pauses, a reopen and a priority
	change, reported at one instant."""
	from support_contracts.demo import demo_tickets

	now, tickets = demo_tickets()
	out = []
	for t in tickets:
		firm = load_firm(t["firm"])
		clock = Clock(firm.policy(t["tier"]))
		for kind, at, prio in t["events"]:
			clock.add(Event(kind, at, prio))
		rep = clock.report(now)
		for m in METRICS:
			r = rep.metrics[m]
			if r.status == "no target":
				continue
			out.append(
				{
					"ticket": t["id"],
					"firm": firm.name,
					"tier": t["tier"],
					"priority": rep.priority,
					"story": t["story"],
					"metric": m,
					"target": r.target,
					"due": r.due,
					"met_at": r.met_at,
					"remaining": r.remaining,
					"status": r.status,
				}
			)
	data = {"now": now, "rows": out}

	def render(d):
		rows = [
			[
				r["ticket"],
				f"{r['firm']} {r['tier']}",
				r["priority"],
				r["metric"],
				r["target"],
				fmt_dt(r["due"]),
				fmt_dt(r["met_at"]) if r["met_at"] else fmt_td(r["remaining"]),
				r["status"],
			]
			for r in d["rows"]
		]
		stories = "\n".join(f"  {t['id']}: {t['story']}" for t in tickets)
		return (
			f"SLA clocks at {fmt_dt(now)}\n"
			+ table(["ticket", "contract", "prio", "metric", "target", "due", "met / left", "status"], rows)
			+ "\n\nTickets:\n"
			+ stories
		)

	emit(args, data, render)
	return 0


# ------------------------------------------------------------------ entry point
def build_parser() -> argparse.ArgumentParser:
	p = argparse.ArgumentParser(prog="support-contracts", description=__doc__.split("\n\n")[0])
	sub = p.add_subparsers(dest="command", required=True, metavar="command")

	def common(sp):
		sp.add_argument("--json", action="store_true", help="print JSON instead of a table")

	sp = sub.add_parser("due", help="deadline(s) of a target or a tier's priority from a start instant")
	sp.add_argument("--firm", required=True, help=f"example firm ({', '.join(firm_names())}) or a YAML file")
	sp.add_argument("--start", required=True, help="ISO 8601, e.g. 2026-06-18T16:30+02:00")
	sp.add_argument("--tz", help="time zone for a --start without offset, e.g. Europe/Stockholm")
	sp.add_argument("--tier", help="tier key, e.g. alert")
	sp.add_argument("--priority", help="priority, e.g. P1 or Serious")
	sp.add_argument("--target", help="a target, e.g. '8h business', '1h wall', 'end of business day 1'")
	sp.add_argument("--calendar", help="calendar of --target, e.g. office")
	common(sp)

	sp = sub.add_parser("calendar", help="open windows of a calendar over a date range")
	sp.add_argument("--firm", required=True, help="example firm or a YAML file")
	sp.add_argument("--calendar", required=True, help="calendar name in the firm, e.g. office")
	sp.add_argument("--from", dest="date_from", required=True, help="first day, e.g. 2026-12-21")
	sp.add_argument("--to", dest="date_to", required=True, help="last day, e.g. 2027-01-05")
	common(sp)

	sp = sub.add_parser("demo", help="a week of realistic tickets and their SLA clocks")
	common(sp)
	return p


def main(argv: Sequence[str] | None = None) -> int:
	args = build_parser().parse_args(argv)
	try:
		return COMMANDS[args.command](args)
	except EngineError as e:
		print(f"support-contracts {args.command}: error: {e}", file=sys.stderr)
		return 2


if __name__ == "__main__":
	sys.exit(main())
