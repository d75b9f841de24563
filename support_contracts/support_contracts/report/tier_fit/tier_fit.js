// Copyright (c) 2026, support_contracts developers and contributors
// Filters and the tree only; the figures are the server's (conventions.md).

frappe.query_reports["Tier Fit"] = {
	filters: [
		{ fieldname: "support_contract", label: __("Support Contract"), fieldtype: "Link", options: "Support Contract", reqd: 1 },
		{ fieldname: "to_month", label: __("To Month"), fieldtype: "Data", default: moment().subtract(1, "months").format("YYYY-MM"), reqd: 1 },
		{ fieldname: "months", label: __("Months"), fieldtype: "Int", default: 12, reqd: 1 },
	],
	// each tier, its months, each month's lines with their why
	tree: true,
	name_field: "key",
	parent_field: "parent_key",
	initial_depth: 0,
	// a tier's and a month's rows have no quantity or rate of their own: blank, not 0
	formatter(value, row, column, data, default_formatter) {
		if (data && data.indent < 2 && ["quantity", "rate"].includes(column.fieldname)) return "";
		return default_formatter(value, row, column, data);
	},
};
