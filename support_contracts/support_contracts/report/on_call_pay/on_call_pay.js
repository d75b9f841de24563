// Copyright (c) 2026, support_contracts developers and contributors

frappe.query_reports["On-Call Pay"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company"), reqd: 1 },
		{ fieldname: "month", label: __("Month"), fieldtype: "Data", default: moment().format("YYYY-MM"), reqd: 1 },
	],
};
