// Copyright (c) 2026, support_contracts developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Billing Run", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Preview"), () => {
			frm.call("preview").then((r) => {
				const rows = (r.message || [])
					.map((c) => {
						if (c.error) {
							return `<h5>${frappe.utils.escape_html(c.support_contract || __("No contract"))} — ${frappe.utils.escape_html(c.customer)}</h5><p class="text-danger">${frappe.utils.escape_html(c.error)}</p>`;
						}
						const lines = c.lines
							.map(
								(l) =>
									`<tr><td>${frappe.utils.escape_html(l.item)}</td><td>${frappe.utils.escape_html(l.description)}<br><small class="text-muted">${frappe.utils.escape_html(l.why)}</small></td><td class="text-right">${l.quantity} ${l.unit}</td><td class="text-right">${format_currency(l.rate, c.currency)}</td><td class="text-right">${format_currency(l.amount, c.currency)}</td></tr>`
							)
							.join("");
						return `<h5>${frappe.utils.escape_html(c.support_contract || __("No contract"))} — ${frappe.utils.escape_html(c.customer)}: ${format_currency(c.total, c.currency)}</h5><table class="table table-bordered table-sm">${lines}</table>`;
					})
					.join("");
				frappe.msgprint({ title: __("Preview"), message: rows || __("Nothing to bill."), wide: true });
			});
		});
		if (["Draft", "Failed", "Completed with Errors"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Create Invoices"), () => {
				frm.call("create_invoices").then(() => frm.reload_doc());
			}).addClass("btn-primary");
		}
		if (["Queued", "In Progress"].includes(frm.doc.status)) {
			frm.dashboard.show_progress(__("Invoicing"), frm.doc.progress || 0);
			setTimeout(() => frm.reload_doc(), 5000);
		}
	},
});
