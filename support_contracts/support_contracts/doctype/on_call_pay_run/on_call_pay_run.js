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
					if (e.statement) {
						return `<h5>${who}: ${esc(__(e.outcome))}</h5><p>${esc(e.statement)}</p>`;
					}
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
		if (["Draft", "Failed", "Completed with Errors", "Completed", "Interrupted"].includes(frm.doc.status)) {
			const start = frm.add_custom_button(
				frm.doc.status === "Draft" ? __("Create Pay Statements") : __("Start Again"),
				() => frm.call("create_statements").then(() => frm.reload_doc())
			);
			if (frm.doc.status === "Draft") start.addClass("btn-primary");
		}
		if (frm.doc.status === "Interrupted") {
			frm.add_custom_button(__("Resume"), () => frm.call("resume").then(() => frm.reload_doc())).addClass(
				"btn-primary"
			);
			frm.dashboard.set_headline(
				__("The run's jobs were lost before it finished. Resume pays the employees without a result."),
				"orange"
			);
		}
		if (["Completed", "Completed with Errors"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Export CSV"), () => {
				window.open(
					`/api/method/support_contracts.api.desk.export_pay_run_csv?run=${encodeURIComponent(frm.doc.name)}`
				);
			});
		}
		if (["Queued", "In Progress"].includes(frm.doc.status)) {
			frm.dashboard.show_progress(__("Paying"), frm.doc.progress || 0);
			frm.call("check_interrupted").then((r) => {
				if (r.message) frm.reload_doc();
				else setTimeout(() => frm.reload_doc(), 5000);
			});
		}
	},
});
