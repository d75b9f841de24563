// Copyright (c) 2026, support_contracts developers and contributors
// Filters only; the queue and its order are the server's (conventions.md).

frappe.query_reports["Support Queue"] = {
	filters: [
		{ fieldname: "assigned_to", label: __("Assigned To"), fieldtype: "Link", options: "User", default: frappe.session.user },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "support_contract", label: __("Support Contract"), fieldtype: "Link", options: "Support Contract" },
	],
};
