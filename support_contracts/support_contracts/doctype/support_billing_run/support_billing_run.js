// Copyright (c) 2026, support_contracts developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Billing Run", {
	billing_month(frm) {
		// a posting date the run accepts for its month: today where it lies in the month or the next,
		// else the month's first day
		if (!frm.doc.billing_month) return;
		const first = frm.doc.billing_month.slice(0, 8) + "01"; // dates are YYYY-MM-DD in the model
		const from = frappe.datetime.add_months(first, -1).slice(0, 10);
		const until = frappe.datetime.add_months(first, 2).slice(0, 10); // the day after the span the run accepts
		const today = frappe.datetime.get_today();
		const date = frm.doc.posting_date;
		if (!date || date < from || date >= until) {
			frm.set_value("posting_date", today >= first && today < until ? today : first);
		}
	},
	refresh(frm) {
		if (frm.is_new()) return;
		const esc = frappe.utils.escape_html;
		frm.add_custom_button(__("Preview"), () => {
			frm.call("preview").then((r) => {
				const rows = (r.message || [])
					.map((c) => {
						const who = `${esc(c.support_contract || __("No contract"))} — ${esc(c.customer)}`;
						if (c.error) {
							return `<h5>${who}</h5><p class="text-danger">${esc(c.error)}</p>`;
						}
						if (c.sales_invoice) {
							return `<h5>${who}: ${esc(__(c.outcome))}</h5><p>${esc(c.sales_invoice)}</p>`;
						}
						if (c.message) {
							return `<h5>${who}: ${esc(__(c.outcome))}</h5><p class="text-warning">${esc(c.message)}</p>`;
						}
						if (!c.lines.length) {
							return `<h5>${who}: ${esc(__(c.outcome))}</h5>`;
						}
						const lines = c.lines
							.map(
								(l) =>
									`<tr><td>${esc(l.item)}</td><td>${esc(l.description)}<br><small class="text-muted">${esc(l.why)}</small></td><td class="text-right">${l.quantity} ${l.unit}</td><td class="text-right">${format_currency(l.rate, c.currency)}</td><td class="text-right">${format_currency(l.amount, c.currency)}</td></tr>`
							)
							.join("");
						return `<h5>${who}: ${format_currency(c.total, c.currency)}</h5><table class="table table-bordered table-sm">${lines}</table>`;
					})
					.join("");
				frappe.msgprint({ title: __("Preview"), message: rows || __("Nothing to bill."), wide: true });
			});
		});
		if (["Draft", "Failed", "Completed with Errors", "Completed", "Interrupted"].includes(frm.doc.status)) {
			const start = frm.add_custom_button(
				frm.doc.status === "Draft" ? __("Create Invoices") : __("Start Again"),
				() => frm.call("create_invoices").then(() => frm.reload_doc())
			);
			if (frm.doc.status === "Draft") start.addClass("btn-primary");
		}
		if (frm.doc.status === "Interrupted") {
			frm.add_custom_button(__("Resume"), () => frm.call("resume").then(() => frm.reload_doc())).addClass(
				"btn-primary"
			);
			frm.dashboard.set_headline(
				__("The run's jobs were lost before it finished. Resume bills the contracts without a result."),
				"orange"
			);
		}
		if (["Queued", "In Progress"].includes(frm.doc.status)) {
			frm.dashboard.show_progress(__("Invoicing"), frm.doc.progress || 0);
			frm.call("check_interrupted").then((r) => {
				if (r.message) frm.reload_doc();
				else setTimeout(() => frm.reload_doc(), 5000);
			});
		}
	},
});
