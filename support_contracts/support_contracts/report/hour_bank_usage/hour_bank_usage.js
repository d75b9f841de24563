// Copyright (c) 2026, support_contracts developers and contributors

frappe.query_reports["Hour Bank Usage"] = {
	filters: [
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "support_contract", label: __("Support Contract"), fieldtype: "Link", options: "Support Contract" },
	],
};
