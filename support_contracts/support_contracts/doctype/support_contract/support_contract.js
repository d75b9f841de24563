// Copyright (c) 2026, support_contracts developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Contract", {
	refresh(frm) {
		// the top line as the server computed it (adapters/contracts.py glance): the hour bank left this
		// period, from the ledger, and the term's end; texts and colours come ready
		const glance = (frm.doc.__onload && frm.doc.__onload.glance) || {};
		[glance.hour_bank, glance.term].forEach((line) => {
			if (line) frm.dashboard.add_indicator(frappe.utils.escape_html(line.text), line.color);
		});
		// the ledger checked against the invoices (adapters/billing/hour_bank.py), for those who read it
		if (!frm.is_new() && glance.has_ledger && frappe.model.can_read("Hour Bank Ledger Entry")) {
			frm.add_custom_button(__("Check Hour Bank"), () =>
				frappe.set_route("query-report", "Hour Bank Check", { support_contract: frm.doc.name })
			);
		}
		// what the last year would have cost under each tier (report Tier Fit, docs/rules.md F1): money, for
		// those who read the report
		if (!frm.is_new() && frappe.user.has_role(["Support Manager", "Accounts User", "Accounts Manager", "System Manager"])) {
			frm.add_custom_button(__("Tier Fit"), () =>
				frappe.set_route("query-report", "Tier Fit", { support_contract: frm.doc.name })
			);
		}
		// the token a monitoring system opens Issues with (adapters/monitoring.py): shown once, kept as a hash
		if (!frm.is_new() && frm.doc.status === "Active") {
			frm.add_custom_button(__("New Monitoring Token"), () =>
				frappe.confirm(__("Make a new monitoring token? The current one stops working."), () =>
					frappe.call({ method: "support_contracts.api.monitoring.new_token", args: { contract: frm.doc.name } }).then(({ message }) => {
						frappe.msgprint({
							title: __("Monitoring Token"),
							message: `${__("Copy it now: it is not shown again.")}<pre class="sc-token">${frappe.utils.escape_html(message)}</pre>`,
						});
						frm.reload_doc();
					})
				)
			);
		}
	},
});
