// Copyright (c) 2026, support_contracts developers and contributors
// The figures are the server's: support_contracts/adapters/dashboards.py (via support_contracts/api/dashboards.py).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Support Billed per Month"] = {
	method: "support_contracts.api.dashboards.billed_per_month",
	filters: [],
};
