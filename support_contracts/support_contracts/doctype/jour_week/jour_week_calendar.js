// Copyright (c) 2026, support_contracts developers and contributors
// The on-call rota in Frappe's calendar view: each jour week from Monday to Sunday.

frappe.views.calendar["Jour Week"] = {
	field_map: {
		start: "week_start",
		end: "week_end",
		id: "name",
		title: "employee_name",
		allDay: 1, // a jour week is whole days
	},
	get_events_method: "frappe.desk.calendar.get_events",
	filters: [
		{ fieldtype: "Data", fieldname: "rota", label: __("Rota") },
		{ fieldtype: "Select", fieldname: "on_call_role", options: "\nPrimary\nBackup", label: __("Role") },
	],
};
