// Copyright (c) 2026, support_contracts developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Contract", {
	refresh(frm) {
		// the hour bank as the ledger has it (Hour Bank Ledger Entry), per period
		const periods = (frm.doc.__onload && frm.doc.__onload.hour_bank) || [];
		periods.slice(-2).forEach((p) => {
			const h = (p.balance / 60).toFixed(2);
			frm.dashboard.add_indicator(__("Hour bank {0}: {1} h left", [p.period, h]), p.balance > 0 ? "green" : "orange");
		});
		// the ledger checked against the invoices (adapters/billing/hour_bank.py)
		if (!frm.is_new() && periods.length) {
			frm.add_custom_button(__("Check Hour Bank"), () =>
				frappe.set_route("query-report", "Hour Bank Check", { support_contract: frm.doc.name })
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
