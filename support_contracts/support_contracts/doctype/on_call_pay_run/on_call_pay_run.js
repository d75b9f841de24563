// Copyright (c) 2026, support_contracts developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("On-Call Pay Run", {
	refresh(frm) {
		if (frm.is_new()) return;
		const esc = frappe.utils.escape_html;
		frm.add_custom_button(__("Preview"), () => {
			frm.call("preview").then((r) => {
				const blocks = (r.message || []).map((e) => {
					const who = `${esc(e.employee)} ${esc(e.employee_name || "")}`;
					if (e.error) return `<h5>${who}</h5><p class="text-danger">${esc(e.error)}</p>`;
					const rows = e.lines
						.map(
							(l) =>
								`<tr><td>${esc(l.work_month)}</td><td>${esc(l.description)}<br><small class="text-muted">${esc(l.why)}</small></td><td>${esc(l.salary_component)}</td><td class="text-right">${l.quantity} ${esc(l.unit)}</td><td class="text-right">${format_currency(l.amount)}</td></tr>`
						)
						.join("");
					return `<h5>${who}: ${format_currency(e.total)}</h5><table class="table table-bordered table-sm">${rows}</table>`;
				});
				frappe.msgprint({ title: __("Preview"), message: blocks.join("") || __("Nothing to pay."), wide: true });
			});
		});
		if (["Draft", "Failed", "Completed with Errors"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Create Pay Statements"), () => {
				frm.call("create_statements").then(() => frm.reload_doc());
			}).addClass("btn-primary");
		}
		if (["Completed", "Completed with Errors"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Export CSV"), () => {
				window.open(
					`/api/method/support_contracts.support_contracts.doctype.on_call_pay_run.on_call_pay_run.export_csv?run=${encodeURIComponent(frm.doc.name)}`
				);
			});
		}
		if (["Queued", "In Progress"].includes(frm.doc.status)) {
			frm.dashboard.show_progress(__("Paying"), frm.doc.progress || 0);
			setTimeout(() => frm.reload_doc(), 5000);
		}
	},
});
