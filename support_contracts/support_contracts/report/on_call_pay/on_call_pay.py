# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt
"""On-Call Pay: per employee, what the month's on-call pay comes to — the pay run's own preview (weeks,
uplift, band hours and amounts, with the corrections of paid months), and whether a statement was made.
Coordinators and HR see every employee; nobody else may run it (the report's roles)."""

import frappe
from frappe import _

from support_contracts.adapters import payroll
from support_contracts.support_contracts.report.filters import month as filter_month
from support_contracts.support_contracts.report.filters import require


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
	return columns(), data


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
