// Copyright (c) 2026, support_contracts developers and contributors
// The Issue list shows the contract clock the server computed: its state and the next due time.
// ERPNext's own list settings for Issue are kept; this only adds to them (conventions.md: no rule here).

(() => {
	const settings = (frappe.listview_settings["Issue"] = frappe.listview_settings["Issue"] || {});
	const colour = { "On Track": "green", Warning: "orange", Breached: "red", Met: "blue", Paused: "gray" };
	settings.add_fields = [...(settings.add_fields || []), "sc_sla_status", "sc_breach_at", "sc_support_contract"];
	settings.formatters = Object.assign(settings.formatters || {}, {
		sc_sla_status(value, df, doc) {
			if (!value) return "";
			let due = "";
			if (doc.sc_breach_at && ["On Track", "Warning", "Breached"].includes(value)) {
				due = ` · ${__("next due {0}", [frappe.datetime.comment_when(doc.sc_breach_at, true)])}`;
			}
			return `<span class="indicator-pill ${colour[value] || "gray"}" title="${frappe.utils.escape_html(
				doc.sc_breach_at ? frappe.datetime.str_to_user(doc.sc_breach_at) : ""
			)}">${__(value)}${due}</span>`;
		},
	});
})();
