// Copyright (c) 2026, support_contracts developers and contributors
// Shows the contract SLA the server computed; no rule lives here (conventions.md).

frappe.ui.form.on("Issue", {
	refresh(frm) {
		if (!frm.doc.sc_support_contract || frm.is_new()) return;
		const colour = {
			"On Track": "green",
			"Due Soon": "orange",
			Breached: "red",
			Met: "blue",
			Paused: "grey",
			"Awaiting Sign-off": "yellow",
			Waived: "grey",
		};
		if (frm.doc.sc_sla_status) {
			frm.dashboard.add_indicator(__("Contract SLA: {0}", [__(frm.doc.sc_sla_status)]), colour[frm.doc.sc_sla_status] || "grey");
		}
		// the next due target and the time left on it, at the top of the form (the server's words)
		frappe.call({
			method: "support_contracts.api.desk.clock_summary",
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
										method: "support_contracts.api.desk.log_proactive_action",
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
		if (frm.doc.sc_quote_first) {
			frm.set_intro(
				frm.doc.sc_quotation
					? __("Quote first: no time on this request is billed until quotation {0} is accepted (ordered).", [frm.doc.sc_quotation])
					: __("Quote first: link the quotation; no time on this request is billed until it is accepted (ordered)."),
				"orange"
			);
		}
		// the client's sign-off of a fix (docs/rules.md C2): an agent records what the client said
		if (frm.doc.sc_signoff_state === "Awaiting Sign-off") {
			frm.set_intro(
				__("The fix awaits the client's sign-off; silence counts as approval at {0}.", [
					frappe.datetime.str_to_user(frm.doc.sc_signoff_due) || "-",
				]),
				"yellow"
			);
			const record = (approved) =>
				frappe.prompt(
					{ fieldname: "note", fieldtype: "Small Text", label: __("What the Client Said"), reqd: approved ? 0 : 1 },
					({ note }) =>
						frappe
							.call({
								method: "support_contracts.api.desk.record_signoff",
								args: { issue: frm.doc.name, approved: approved ? 1 : 0, note },
							})
							.then(() => frm.reload_doc()),
					approved ? __("Client Approved the Fix") : __("Client Says It Is Not Fixed"),
					__("Record")
				);
			frm.add_custom_button(__("Client Approved"), () => record(true), __("Sign-off"));
			frm.add_custom_button(__("Not Fixed"), () => record(false), __("Sign-off"));
		}
		// a support level raised by hand (docs/rules.md E5), with the reason in the ledger
		if (!["Resolved", "Closed"].includes(frm.doc.status) && frm.doc.sc_escalation_level !== "Support Manager") {
			frm.add_custom_button(__("Escalate"), () => {
				frappe.prompt(
					[
						{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
						{
							fieldname: "to_level",
							fieldtype: "Select",
							label: __("To Level"),
							options: ["", "Level 2", "Level 3", "Support Manager"],
							description: __("Empty: the next level up"),
						},
					],
					({ reason, to_level }) =>
						frappe
							.call({ method: "support_contracts.api.desk.escalate", args: { issue: frm.doc.name, reason, to_level } })
							.then(() => frm.reload_doc()),
					__("Escalate from {0}", [__(frm.doc.sc_escalation_level || "-")]),
					__("Escalate")
				);
			});
		}
		if (!frm.doc.sc_action_started_on && !["Resolved", "Closed"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Action Started"), () => {
				frm.set_value("sc_action_started_on", frappe.datetime.now_datetime());
				frm.save();
			});
		}
	},
});
