// Copyright (c) 2026, support_contracts developers and contributors
// Shows the contract SLA the server computed; no rule lives here (conventions.md).

frappe.ui.form.on("Issue", {
	refresh(frm) {
		if (!frm.doc.sc_support_contract || frm.is_new()) return;
		const colour = { "On Track": "green", Warning: "orange", Breached: "red", Met: "blue", Paused: "grey" };
		if (frm.doc.sc_sla_status) {
			frm.dashboard.add_indicator(__("Contract SLA: {0}", [__(frm.doc.sc_sla_status)]), colour[frm.doc.sc_sla_status] || "grey");
		}
		// the next due target and the time left on it, at the top of the form (the server's words)
		frappe.call({
			method: "support_contracts.adapters.issue.clock_summary",
			args: { issue: frm.doc.name },
			callback: ({ message }) => {
				if (!message || !message.headline || frm.doc.name !== message.issue) return;
				const pill = { "on track": "green", warning: "orange", breached: "red", paused: "gray", met: "blue" };
				frm.dashboard.set_headline(
					`<span class="indicator ${pill[message.status] || "gray"} sc-clock-headline">${frappe.utils.escape_html(message.headline)}</span>`
				);
				// the contract's written instructions (sanitised by the server), and logging an action under them
				if (message.instructions && strip_html(message.instructions).trim()) {
					frm.set_intro(`<b>${__("Written instructions")}</b><div class="sc-instructions">${message.instructions}</div>`, "blue");
					frm.add_custom_button(__("Log Proactive Action"), () => {
						frappe.prompt(
							{ fieldname: "action", fieldtype: "Small Text", label: __("Action"), reqd: 1 },
							({ action }) =>
								frappe
									.call({
										method: "support_contracts.adapters.issue.log_proactive_action",
										args: { issue: frm.doc.name, action },
									})
									.then(() => frm.reload_doc()),
							__("Action taken under the written instructions"),
							__("Log")
						);
					});
				}
			},
		});
		if (!frm.doc.sc_action_started_on && !["Resolved", "Closed"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Action Started"), () => {
				frm.set_value("sc_action_started_on", frappe.datetime.now_datetime());
				frm.save();
			});
		}
	},
});
