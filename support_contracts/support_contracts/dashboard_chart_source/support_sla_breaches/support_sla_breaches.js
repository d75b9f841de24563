// Copyright (c) 2026, support_contracts developers and contributors
// The figures are the server's: support_contracts/adapters/dashboards.py (via support_contracts/api/dashboards.py).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Support SLA Breaches"] = {
	method: "support_contracts.api.dashboards.sla_breaches",
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [{ value: "support_tier", label: __("Support Tier") }, { value: "priority", label: __("Priority") }],
			default: "support_tier",
			reqd: 1,
		},
	],
};
