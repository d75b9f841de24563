// Copyright (c) 2026, support_contracts developers and contributors
// The figures are the server's: support_contracts/adapters/dashboards.py (via support_contracts/api/dashboards.py).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Support On-Call Pay per Month"] = {
	method: "support_contracts.api.dashboards.on_call_pay_per_month",
	filters: [],
};
