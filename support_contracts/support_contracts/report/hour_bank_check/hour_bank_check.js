// Copyright (c) 2026, support_contracts developers and contributors

frappe.query_reports["Hour Bank Check"] = {
	filters: [
		{ fieldname: "support_contract", label: __("Support Contract"), fieldtype: "Link", options: "Support Contract" },
	],
};
