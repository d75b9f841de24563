"""Support Contracts name the company that bills them: those made before are the default company's."""

import frappe


def execute():
	company = (
		frappe.defaults.get_global_default("company")
		or (frappe.get_all("Company", pluck="name") or [None])[0]
	)
	if company:
		frappe.db.sql(
			"update `tabSupport Contract` set company = %s where company is null or company = ''", company
		)
