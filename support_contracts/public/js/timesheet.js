// A Timesheet row's ticket is an Issue, or an HD Ticket where Frappe Helpdesk is installed
// (adapters/billing/guards.check_timesheet refuses any other doctype).
frappe.ui.form.on("Timesheet", {
	setup(frm) {
		frm.set_query("sc_ticket_type", "time_logs", () => ({
			filters: { name: ["in", ["Issue", "HD Ticket"]] },
		}));
	},
});
