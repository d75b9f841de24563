# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""On-Call Pay: per employee, what the month's on-call pay comes to — the pay run's own preview (weeks,
uplift, band hours and amounts, with the corrections of paid months), and whether a statement was made.
Coordinators and HR see every employee; nobody else may run it (the report's roles).

The chart: on-call pay per payroll month, the twelve months up to the one chosen — what the submitted On-Call
Pay Statements of the company paid, one series per currency, side by side and never stacked (a scheme pays
in its own currency; SEK and NOK are not added up). Its reader (HR, the coordinator) puts the month in the
table beside the months before it, and sees a month that was never paid as a gap; the chosen month has its
bar once its statements are made (until then the table is the run's preview). Sums are the database's exact
decimals, turned into the chart's numbers once."""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum

from support_contracts.adapters import payroll
from support_contracts.support_contracts.report import charts
from support_contracts.support_contracts.report.filters import month as filter_month
from support_contracts.support_contracts.report.filters import require

MONTHS_CHARTED = 12  # the months the chart shows, the one chosen included


def execute(filters=None):
	filters = frappe._dict(filters or {})
	year, month = filter_month(filters, "month", _("Month"))
	require(filters, company=_("Company"))
	employees = payroll.employees_to_pay(filters.company, year, month)
	statements = dict(
		frappe.get_all(
			"On-Call Pay Statement",
			filters={"company": filters.company, "payroll_period": filters.month, "docstatus": 1},
			fields=["employee", "name"],
			as_list=True,
		)
	)
	data = []
	for row in payroll.preview(filters.company, year, month, employees):
		data.append(
			{
				"employee": row["employee"],
				"employee_name": row.get("employee_name"),
				"summary": row.get("summary") or row.get("error"),
				"lines": len(row.get("lines") or []),
				"total": row.get("total"),
				"statement": statements.get(row["employee"]),
			}
		)
	return columns(), data, None, chart(filters.company, (year, month))


def chart(company: str, last: tuple[int, int]) -> dict | None:
	"""Per payroll month up to ``last``: the company's submitted statements' totals, per currency."""
	months = charts.months_to(last, MONTHS_CHARTED)
	st = frappe.qb.DocType(payroll.STATEMENT)
	rows = (
		frappe.qb.from_(st)
		.select(st.payroll_period, st.currency, Sum(st.total))
		.where(st.company == company)
		.where(st.docstatus == 1)
		.where(st.payroll_period.isin(months))
		.groupby(st.payroll_period, st.currency)
		.run()
	)
	paid: dict[str, dict[str, float]] = {}
	for period, currency, total in rows:
		paid.setdefault(currency, dict.fromkeys(months, 0.0))[period] = float(total)
	if not paid:
		return None  # no statement in twelve months: nothing to draw
	currencies = sorted(paid, key=str)
	return charts.bars(
		months,
		[(_("Paid ({0})").format(currency), list(paid[currency].values())) for currency in currencies],
		[charts.PALETTE[i % len(charts.PALETTE)] for i in range(len(currencies))],
		stacked=False,
	)


def columns():
	return [
		{
			"fieldname": "employee",
			"label": _("Employee"),
			"fieldtype": "Link",
			"options": "Employee",
			"width": 130,
		},
		{"fieldname": "employee_name", "label": _("Employee Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "summary", "label": _("Summary"), "fieldtype": "Data", "width": 320},
		{"fieldname": "lines", "label": _("Lines"), "fieldtype": "Int", "width": 70},
		{"fieldname": "total", "label": _("Amount"), "fieldtype": "Currency", "width": 120},
		{
			"fieldname": "statement",
			"label": _("Pay Statement"),
			"fieldtype": "Link",
			"options": "On-Call Pay Statement",
			"width": 160,
		},
	]
