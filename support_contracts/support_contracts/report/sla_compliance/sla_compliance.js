// Copyright (c) 2026, support_contracts developers and contributors
// Filters only; the figures are the server's (conventions.md).

frappe.query_reports["SLA Compliance"] = {
	filters: [
		{ fieldname: "from_month", label: __("From Month"), fieldtype: "Data", default: moment().subtract(11, "months").format("YYYY-MM"), reqd: 1 },
		{ fieldname: "to_month", label: __("To Month"), fieldtype: "Data", default: moment().format("YYYY-MM"), reqd: 1 },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "support_tier", label: __("Support Tier"), fieldtype: "Link", options: "Support Tier" },
		{
			// Issues and, where Frappe Helpdesk is installed, HD Tickets: both when none is chosen
			fieldname: "ticket_type",
			label: __("Ticket Type"),
			fieldtype: "Select",
			options: ["", "Issue"].concat(frappe.boot.versions && frappe.boot.versions.helpdesk ? ["HD Ticket"] : []),
		},
		{
			fieldname: "metric",
			label: __("Metric"),
			fieldtype: "Select",
			options: ["", "first_response", "action_start", "resolution"].map((v) => ({
				value: v,
				label: v ? __({ first_response: "First response", action_start: "Action start", resolution: "Resolution" }[v]) : "",
			})),
		},
	],
};
