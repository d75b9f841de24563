"""What the on-call pay run reads (docs/rules.md C5–C7): which employees a company's run pays for a month,
their Jour Weeks and Jour Activations, what earlier statements paid — and what all of it comes to today
(the engine's ``on_call.pay_month`` and ``pay_corrections``), line by line with each line's sources.
Nothing here writes: ``run`` makes the statements."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

from support_contracts.adapters import firm, runs
from support_contracts.adapters.helpdesk import ticket_key
from support_contracts.adapters.payroll.hrms import STATEMENT
from support_contracts.adapters.times import aware
from support_contracts.engine.errors import EngineError
from support_contracts.engine.months import previous_month
from support_contracts.engine.on_call import (
	Activation,
	OnCallWeek,
	PaidLine,
	PayLine,
	pay_corrections,
	pay_month,
)

CORRECTED_MONTHS = 12  # how far back a run looks for paid months whose weeks or activations changed


class PayError(runs.RunError):
	"""An employee whose month cannot be paid, in words a coordinator can act on."""


def label(year: int, month: int) -> str:
	return f"{year}-{month:02d}"


def pay_key(employee: str, year: int, month: int) -> str:
	return f"{employee}|{label(year, month)}"


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
	return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def paid_months(company: str, year: int, month: int) -> list[tuple[int, int]]:
	"""The months before ``year``-``month`` (within a year) that a run has paid for the company."""
	first = dt.date(year, month, 1)
	earliest = first
	for _i in range(CORRECTED_MONTHS):
		earliest = dt.date(*previous_month(earliest.year, earliest.month), 1)
	st = frappe.qb.DocType(STATEMENT)
	months = (
		frappe.qb.from_(st)
		.select(st.payroll_month)
		.distinct()
		.where(st.company == company)
		.where(st.docstatus == 1)
		.where(st.payroll_month >= earliest)
		.where(st.payroll_month < first)
		.run(pluck=True)
	)
	return sorted({(getdate(m).year, getdate(m).month) for m in months})


def employees_to_pay(company: str, year: int, month: int) -> list[dict]:
	"""Employees of the company with a jour week or activation in the month or in a paid month before, or
	paid for such a month (their weeks may since have been removed: that is a correction too)."""
	months = [*paid_months(company, year, month), (year, month)]
	first = month_bounds(*months[0])[0] - dt.timedelta(days=7)
	last = month_bounds(year, month)[1] + dt.timedelta(days=7)
	jw, ja, emp = (
		frappe.qb.DocType("Jour Week"),
		frappe.qb.DocType("Jour Activation"),
		frappe.qb.DocType("Employee"),
	)
	with_weeks = (
		frappe.qb.from_(jw)
		.select(jw.employee)
		.distinct()
		.where(jw.week_end >= first)
		.where(jw.week_start <= last)
	)
	with_activations = (
		frappe.qb.from_(ja)
		.select(ja.employee)
		.distinct()
		.where(ja.to_time >= first)
		.where(ja.from_time <= last + dt.timedelta(days=1))
	)
	st, ln = frappe.qb.DocType(STATEMENT), frappe.qb.DocType("On-Call Pay Statement Line")
	paid_before = (  # paid for a month now corrected, whatever is left of their weeks (all may be gone)
		frappe.qb.from_(ln)
		.join(st)
		.on(st.name == ln.parent)
		.select(st.employee)
		.distinct()
		.where(st.docstatus == 1)
		.where(st.company == company)
		.where(ln.work_month.isin([label(*m) for m in months]))
	)
	names = (
		set(with_weeks.run(pluck=True))
		| set(with_activations.run(pluck=True))
		| set(paid_before.run(pluck=True))
	)
	if not names:
		return []
	return (
		frappe.qb.from_(emp)
		.select(emp.name, emp.employee_name)
		.where(emp.name.isin(sorted(names)))
		.where(emp.company == company)
		.orderby(emp.name)
		.run(as_dict=True)
	)


def inputs_of(employee: str, months: list[tuple[int, int]]) -> dict:
	first = month_bounds(*months[0])[0] - dt.timedelta(days=7)
	last = month_bounds(*months[-1])[1] + dt.timedelta(days=7)
	weeks = frappe.get_all(
		"Jour Week",
		filters={"employee": employee, "week_end": (">=", first), "week_start": ("<=", last)},
		fields=["name", "scheme", "iso_year", "iso_week", "modified"],
	)
	acts = frappe.get_all(
		"Jour Activation",
		filters={
			"employee": employee,
			"to_time": (">=", first),
			"from_time": ("<=", last + dt.timedelta(days=1)),
		},
		fields=["name", "scheme", "from_time", "to_time", "ticket_type", "issue", "modified"],
	)
	return {"weeks": weeks, "activations": acts}


def due_lines(employee: str, year: int, month: int, inputs: dict) -> tuple[list[PayLine], str]:
	"""What the employee's on-call work of the month comes to today, per scheme, each line's sources
	named by document (a week by its Jour Week), and the engine's summary ("1 × Jourvecka; Band 2: 4h")."""
	by_scheme: dict[str, dict[str, list]] = defaultdict(lambda: {"weeks": [], "activations": []})
	week_names = {}
	try:
		for w in inputs["weeks"]:
			scheme = firm.pay_scheme(w.scheme)
			week = OnCallWeek(employee, int(w.iso_year), int(w.iso_week), scheme.level)
			week_names[week.label] = w.name
			by_scheme[w.scheme]["weeks"].append(week)
		for a in inputs["activations"]:
			if not a.scheme:
				raise PayError(_("Jour Activation {0} has no pay scheme.").format(a.name))
			by_scheme[a.scheme]["activations"].append(
				Activation(
					a.name,
					employee,
					aware(a.from_time),
					aware(a.to_time),
					a.issue and ticket_key(a.ticket_type, a.issue),
				)
			)
		lines, summaries = [], []
		for scheme_name, got in by_scheme.items():
			slip = pay_month(firm.pay_scheme(scheme_name), got["weeks"], got["activations"], year, month).get(
				employee
			)
			if not slip:
				continue
			summaries.append(slip.summary)
			lines += [
				_replace_sources(line, tuple(week_names.get(s, s) for s in line.sources))
				for line in slip.lines
			]
		return lines, "; ".join(summaries)
	except EngineError as e:
		raise PayError(_("{0}, {1}: {2}").format(employee, label(year, month), str(e))) from None


def _replace_sources(line: PayLine, sources: tuple[str, ...]) -> PayLine:
	return dataclasses.replace(line, sources=sources)


def paid_lines(employee: str, months: list[tuple[int, int]]) -> tuple[list[PaidLine], dict[str, dt.datetime]]:
	"""What submitted statements paid for the months' work, and when each month was last paid."""
	st, ln = frappe.qb.DocType(STATEMENT), frappe.qb.DocType("On-Call Pay Statement Line")
	rows = (
		frappe.qb.from_(ln)
		.join(st)
		.on(st.name == ln.parent)
		.select(ln.work_month, ln.salary_component, ln.amount, ln.sources, st.creation)
		.where(st.employee == employee)
		.where(st.docstatus == 1)
		.where(ln.work_month.isin([label(*m) for m in months]))
		.run(as_dict=True)
	)
	paid_at: dict[str, dt.datetime] = {}
	lines = []
	for r in rows:
		lines.append(
			PaidLine(
				r.work_month,
				r.salary_component,
				Decimal(str(r.amount)),
				tuple(s for s in (r.sources or "").split(", ") if s),
			)
		)
		paid_at[r.work_month] = max(paid_at.get(r.work_month, r.creation), r.creation)
	return lines, paid_at


def statement_lines(
	employee: str, company: str, year: int, month: int
) -> tuple[list[tuple[str, PayLine]], str]:
	"""(work month, line) of the employee's statement for payroll month ``year``-``month`` — the month's own
	pay, then the corrections of paid months before — and the statement's summary."""
	months = [*paid_months(company, year, month), (year, month)]
	inputs = inputs_of(employee, months)
	paid, paid_at = paid_lines(employee, months)
	out: list[tuple[str, PayLine]] = []
	summary = ""
	for y, m in reversed(months):  # the month's own pay first, then the corrections, newest first
		work = label(y, m)
		due, month_summary = due_lines(employee, y, m, inputs)
		already = [p for p in paid if p.month == work]
		if (y, m) == (year, month) and not already:
			out += [(work, line) for line in due]
			summary = month_summary
			continue
		since = paid_at.get(work)
		changed = [
			d.name
			for d in inputs["weeks"] + inputs["activations"]
			if since and get_datetime(d.modified) > get_datetime(since)
		]
		out += [
			(work, line)
			for line in pay_corrections(employee, work, due, already, changed, paid_in=label(year, month))
		]
	corrected = sorted({w for w, _line in out if w != label(year, month)})
	if corrected:
		summary = "; ".join(filter(None, [summary, _("corrections of {0}").format(", ".join(corrected))]))
	return out, summary
