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
	},
});
