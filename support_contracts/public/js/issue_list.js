// Copyright (c) 2026, support_contracts developers and contributors
// The Issue list shows the contract clock the server computed: its state (the pill's colour) and when the
// next target falls due. ERPNext's own list settings for Issue are kept; this only adds to them.

(() => {
	const settings = (frappe.listview_settings["Issue"] = frappe.listview_settings["Issue"] || {});
	const colour = { "On Track": "green", "Due Soon": "orange", Breached: "red", Met: "blue", Paused: "gray" };
	const span = (minutes) => {
		const m = Math.abs(minutes);
		if (m >= 1440) return `${Math.round(m / 1440)} d`;
		if (m >= 60) return `${Math.round(m / 60)} h`;
		return `${m} min`;
	};
	settings.add_fields = [...(settings.add_fields || []), "sc_sla_status", "sc_breach_at", "sc_support_contract"];
	settings.formatters = Object.assign(settings.formatters || {}, {
		sc_sla_status(value, df, doc) {
			if (!value) return "";
			let text = __(value);
			let title = __(value);
			if (doc.sc_breach_at && ["On Track", "Due Soon", "Breached"].includes(value)) {
				const due = moment(frappe.datetime.convert_to_user_tz(doc.sc_breach_at));
				const minutes = due.diff(moment(), "minutes");
				text = minutes >= 0 ? __("due in {0}", [span(minutes)]) : __("overdue {0}", [span(minutes)]);
				title = `${__(value)}: ${frappe.datetime.str_to_user(frappe.datetime.convert_to_user_tz(doc.sc_breach_at))}`;
			}
			return `<span class="indicator-pill ${colour[value] || "gray"} sc-sla-pill" data-status="${frappe.utils.escape_html(
				value
			)}" title="${frappe.utils.escape_html(title)}">${frappe.utils.escape_html(text)}</span>`;
		},
	});
})();
