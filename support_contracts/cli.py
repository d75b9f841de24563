"""``support-contracts``: the engine from the command line, no bench needed.

    support-contracts due --firm trinax --tier alert --priority P1 --start 2026-06-18T16:30+02:00
    support-contracts due --firm ezy --calendar office --target "3h from next opening" --start ...
    support-contracts calendar --firm pindena --calendar support --from 2026-12-21 --to 2027-01-05
    support-contracts invoice --firm trinax --contract TRX-001 --month 2026-05 --entries entries.csv
    support-contracts oncall --firm ezy --month 2026-06 --weeks weeks.csv --activations activations.csv
    support-contracts demo

Tables by default, ``--json`` for scripts. Bad arguments give one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence

from support_contracts import inputs
from support_contracts.engine.config import parse_target
from support_contracts.engine.durations import WEEKDAYS, fmt_duration
from support_contracts.engine.errors import EngineError, InputError
from support_contracts.engine.months import months_ending, previous_month
from support_contracts.engine.on_call import pay_month
from support_contracts.engine.rating import rate_month
from support_contracts.engine.sla import Clock, Event
from support_contracts.engine.targets import METRICS
from support_contracts.engine.tier_fit import tier_fit
from support_contracts.examples import firm_names, load_firm
from support_contracts.inputs import parse_instant, zone

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
	if t is None:
		return "—"
	return f"{WEEKDAYS[t.weekday()]} {t:%Y-%m-%d %H:%M:%S %Z}".replace(":00 ", " ", 1)


def fmt_td(d: dt.timedelta | None) -> str:
	return "—" if d is None else fmt_duration(d, "clock")


# ------------------------------------------------------------------ argument parsing
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
	start = parse_instant(args.start, args.tz, "--start")
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
				f"{WEEKDAYS[day['date'].weekday()]} {day['date']:%Y-%m-%d}",
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
	from support_contracts.demo.engine import demo_tickets

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
	invoices = _demo_invoices()
	pay = _demo_on_call()
	data = {
		"now": now,
		"rows": out,
		"invoices": [record_data(inv) for _, inv in invoices],
		"on_call": pay[1],
	}

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

	def render_all(d):
		parts = [render(d)]
		for story, inv in invoices:
			parts.append(f"--- {story}\n{render_invoice(inv)}")
		parts.append(f"--- {pay[0]}\n{pay[2]}")
		return "\n\n".join(parts)

	emit(args, data, render_all)
	return 0


def _demo_invoices():
	from support_contracts.demo.engine import DATA, demo_invoices

	return [
		(
			d["story"],
			invoice_from_files(
				d["firm"],
				d["contract"],
				d["month"],
				entries=str(DATA / d["entries"]),
				incidents=str(DATA / d["incidents"]) if d.get("incidents") else None,
				bank_used=d.get("bank_used"),
			),
		)
		for d in demo_invoices()
	]


def _demo_on_call():
	from support_contracts.demo.engine import DATA, demo_on_call

	d = demo_on_call()
	_scheme, label, slips = pay_from_files(
		d["firm"], None, d["month"], str(DATA / d["weeks"]), str(DATA / d["activations"])
	)
	return d["story"], [record_data(s) for _, s in sorted(slips.items())], render_payslips(slips, label)


def _minutes_arg(value: str | None, field: str) -> int:
	if not value:
		return 0
	from support_contracts.engine.config import parse_duration

	return int(parse_duration(value, field).total_seconds() // 60)


def invoice_rows(inv) -> list[list]:
	return [
		[
			i,
			line.item,
			line.description,
			f"{line.quantity:f}",
			line.unit,
			f"{line.rate:,.2f}",
			f"{line.amount:,.2f}",
		]
		for i, line in enumerate(inv.lines, start=1)
	]


def render_invoice(inv) -> str:
	head = f"Invoice {inv.contract} — {inv.customer} ({inv.tier}), {inv.month}, {inv.currency}"
	body = table(["#", "item", "description", "qty", "unit", "rate", "amount"], invoice_rows(inv))
	total = f"{'total':>12}: {inv.total:,.2f} {inv.currency}"
	why = "\n".join(f"  {i}. {line.why}" for i, line in enumerate(inv.lines, start=1))
	return f"{head}\n{body}\n{total}\nWhy:\n{why}"


def record_data(record) -> dict:
	"""An Invoice or PaySlip as JSON-ready data: its fields, its total, its lines."""
	data = {f.name: getattr(record, f.name) for f in dataclasses.fields(record) if f.name != "lines"}
	data = {k: vars(v) if dataclasses.is_dataclass(v) else v for k, v in data.items()}
	return {**data, "total": record.total, "lines": [vars(line) for line in record.lines]}


def invoice_from_files(
	firm_name,
	contract_key,
	month,
	*,
	entries=None,
	incidents=None,
	breaches=None,
	bank_used=None,
	bank_carried=None,
	tz=None,
):
	"""The invoice of a contract for a month from input files (the ``invoice`` command and the demo)."""
	firm = load_firm(firm_name)
	contract = firm.contract(contract_key)
	year, month_no = inputs.parse_month(month)
	return rate_month(
		contract,
		firm.rating_tiers,
		year,
		month_no,
		inputs.load_entries(entries, tz) if entries else [],
		inputs.load_incidents(incidents, tz) if incidents else [],
		inputs.load_breaches(breaches) if breaches else [],
		bank_used_before=_minutes_arg(bank_used, "--bank-used"),
		bank_carried_in=_minutes_arg(bank_carried, "--bank-carried"),
	)


@command("invoice")
def cmd_invoice(args) -> int:
	"""Invoice lines of one contract for one month from time entries and incidents."""
	inv = invoice_from_files(
		args.firm,
		args.contract,
		args.month,
		entries=args.entries,
		incidents=args.incidents,
		breaches=args.breaches,
		bank_used=args.bank_used,
		bank_carried=args.bank_carried,
		tz=args.tz,
	)
	emit(args, record_data(inv), lambda _d: render_invoice(inv))
	return 0


def render_payslips(slips, month: str) -> str:
	out = []
	for emp, slip in sorted(slips.items()):
		rows = [
			[
				line.component,
				line.description,
				f"{line.quantity:f}",
				line.unit,
				f"{line.rate:,.2f}",
				f"{line.amount:,.2f}",
			]
			for line in slip.lines
		]
		why = "\n".join(f"  - {line.why}" for line in slip.lines)
		out.append(
			f"On-call pay {emp}, {month} ({slip.summary})\n"
			+ table(["component", "description", "qty", "unit", "rate", "amount"], rows)
			+ f"\n{'total':>12}: {slip.total:,.2f} {slip.currency}\nWhy:\n{why}"
		)
	return "\n\n".join(out) or f"No on-call pay in {month}."


def pay_from_files(firm_name, scheme_key, month, weeks, activations=None, tz=None):
	"""``(scheme, month label, pay slips)`` from input files (the ``oncall`` command and the demo)."""
	scheme = load_firm(firm_name).pay_scheme(scheme_key)
	year, month_no = inputs.parse_month(month)
	acts = inputs.load_activations(activations, tz) if activations else []
	slips = pay_month(scheme, inputs.load_on_call_weeks(weeks), acts, year, month_no)
	return scheme, f"{year}-{month_no:02d}", slips


@command("oncall")
def cmd_oncall(args) -> int:
	"""On-call pay lines per employee for a payroll month from jour weeks and activations."""
	scheme, label, slips = pay_from_files(
		args.firm, args.scheme, args.month, args.weeks, args.activations, args.tz
	)
	data = {
		"scheme": scheme.key,
		"month": label,
		"employees": [record_data(s) for _, s in sorted(slips.items())],
	}
	emit(args, data, lambda _d: render_payslips(slips, label))
	return 0


def tier_fit_from_files(
	firm_name, contract_key, first, last, *, entries=None, incidents=None, tz=None, list_price="no_contract"
):
	"""``(months, costs)``: the months ``first``..``last`` of a contract priced under each of the firm's tiers
	(``engine/tier_fit.py``) from input files (the ``tier-fit`` command); the tier ``list_price`` as without
	a contract (the examples' ``no_contract``)."""
	firm = load_firm(firm_name)
	contract = firm.contract(contract_key)
	months = months_ending(*inputs.parse_month(last, "--to"), 1)
	start = inputs.parse_month(first, "--from")
	if start > months[0]:
		raise InputError("--from", first, "is after --to")
	while months[0] > start:
		months.insert(0, previous_month(*months[0]))
	local = contract.effective_tier(firm.rating_tiers).calendar.tz
	usage: dict = {}
	for e in inputs.load_entries(entries, tz) if entries else ():
		t = e.start.astimezone(local)
		usage.setdefault((t.year, t.month), ([], []))[0].append(e)
	for i in inputs.load_incidents(incidents, tz) if incidents else ():
		t = i.at.astimezone(local)
		usage.setdefault((t.year, t.month), ([], []))[1].append(i)
	return months, tier_fit(contract, firm.rating_tiers, months, usage, without_contract=list_price)


@command("tier-fit")
def cmd_tier_fit(args) -> int:
	"""What a contract's months of work cost under each of the firm's tiers; the cheapest marked."""
	months, costs = tier_fit_from_files(
		args.firm,
		args.contract,
		args.first,
		args.last,
		entries=args.entries,
		incidents=args.incidents,
		tz=args.tz,
		list_price=args.list_price,
	)
	current = next(c for c in costs if c.current)

	def marks(c) -> str:
		why = [m for m, on in (("current", c.current), ("cheapest", c.cheapest)) if on]
		return ", ".join(why + ([f"not compared: {c.why_not}"] if c.why_not else []) + list(c.notes))

	rows = [
		[
			c.title,
			f"{c.total:,.2f} {c.currency}" if c.total is not None else "—",
			f"{c.difference(current):+,.2f}" if c.total is not None and not c.current else "",
			marks(c),
		]
		for c in costs
	]
	data = {
		"contract": args.contract,
		"months": [f"{y}-{m:02d}" for y, m in months],
		"tiers": [
			{
				"tier": c.tier,
				"title": c.title,
				"currency": c.currency,
				"total": None if c.total is None else str(c.total),
				"current": c.current,
				"cheapest": c.cheapest,
				"why_not": c.why_not,
				"notes": list(c.notes),
			}
			for c in costs
		],
	}
	label = f"{months[0][0]}-{months[0][1]:02d}..{months[-1][0]}-{months[-1][1]:02d}"
	emit(
		args,
		data,
		lambda _d: (
			f"Tier fit {args.contract}, {label}\n" + table(["tier", "total", "difference", "note"], rows)
		),
	)
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

	sp = sub.add_parser("invoice", help="invoice lines of a contract for a month")
	sp.add_argument("--firm", required=True, help="example firm or a YAML file")
	sp.add_argument("--contract", required=True, help="contract key, e.g. TRX-001")
	sp.add_argument("--month", required=True, help="billing month, e.g. 2026-05")
	sp.add_argument("--entries", help="time entries (.csv, .json or .yaml)")
	sp.add_argument("--incidents", help="incidents / call-ins (.csv, .json or .yaml)")
	sp.add_argument("--breaches", help="SLA breaches of the month, for SLA credits")
	sp.add_argument("--bank-used", help="hour-bank time already used this bank period, e.g. 12h")
	sp.add_argument(
		"--bank-carried", help="hour-bank time carried over from the last period (carry-over tiers)"
	)
	sp.add_argument("--tz", help="time zone for times without offset")
	common(sp)

	sp = sub.add_parser("oncall", help="on-call pay lines for a payroll month")
	sp.add_argument("--firm", required=True, help="example firm or a YAML file")
	sp.add_argument("--scheme", help="pay scheme key (default: the firm's only one)")
	sp.add_argument("--month", required=True, help="payroll month, e.g. 2026-06")
	sp.add_argument("--weeks", required=True, help="jour weeks (.csv, .json or .yaml)")
	sp.add_argument("--activations", help="activations (.csv, .json or .yaml)")
	sp.add_argument("--tz", help="time zone for times without offset")
	common(sp)

	sp = sub.add_parser("tier-fit", help="a contract's months of work priced under each of the firm's tiers")
	sp.add_argument("--firm", required=True, help="example firm or a YAML file")
	sp.add_argument("--contract", required=True, help="contract key, e.g. TRX-001")
	sp.add_argument("--from", dest="first", required=True, help="first month, e.g. 2026-01")
	sp.add_argument("--to", dest="last", required=True, help="last month, e.g. 2026-12")
	sp.add_argument(
		"--list-price",
		default="no_contract",
		help="the tier priced as without a contract (default: no_contract)",
	)
	sp.add_argument("--entries", help="time entries (.csv, .json or .yaml)")
	sp.add_argument("--incidents", help="incidents / call-ins (.csv, .json or .yaml)")
	sp.add_argument("--tz", help="time zone for times without offset")
	common(sp)

	sp = sub.add_parser(
		"demo", help="a week of tickets and their SLA clocks, a month of invoices and on-call pay"
	)
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
