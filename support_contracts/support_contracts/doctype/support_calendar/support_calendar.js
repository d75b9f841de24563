// Copyright (c) 2026, support_contracts developers and contributors
// The preview only shows what the server computed (conventions.md: no business rules in JS).

frappe.ui.form.on("Support Calendar", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe.call({
			method: "support_contracts.api.calendars.preview",
			args: { calendar: frm.doc.name, days: 14 },
			callback(r) {
				const rows = (r.message || [])
					.map(
						(w) =>
							`<tr><td>${frappe.datetime.str_to_user(w.from)}</td><td>${frappe.datetime.str_to_user(
								w.to
							)}</td><td style="text-align:right">${w.hours}</td></tr>`
					)
					.join("");
				frm.get_field("preview_html").$wrapper.html(
					`<table class="table table-bordered table-sm"><thead><tr><th>${__("Opens")}</th><th>${__(
						"Closes"
					)}</th><th style="text-align:right">${__("Hours")}</th></tr></thead><tbody>${
						rows || `<tr><td colspan="3">${__("No open time in the next 14 days")}</td></tr>`
					}</tbody></table>`
				);
				frappe.call({
					method: "support_contracts.api.calendars.closed_days",
					args: { calendar: frm.doc.name, days: 62 },
					callback({ message }) {
						if (!message || !message.length) return;
						const items = message
							.map((d) => `<li>${frappe.datetime.str_to_user(d.date)}: ${frappe.utils.escape_html(d.name)}</li>`)
							.join("");
						frm.get_field("preview_html").$wrapper.append(
							`<div class="text-muted small">${__("Holidays and closures in the next 62 days")}</div><ul class="small">${items}</ul>`
						);
					},
				});
			},
		});
	},
});
