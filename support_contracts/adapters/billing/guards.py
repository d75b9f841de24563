"""Billed once, whatever happens around the run (docs/rules.md B3): the hooks on ERPNext's documents that
the invoicing run reads and marks.

The run marks what it billed — a Timesheet row's ``sales_invoice``, an Incident Fee's ``Billed`` — and
takes the marks back only when the invoice is cancelled or deleted (:func:`release`). So while a run
invoice stands (a draft or submitted Sales Invoice the run made):

- its Timesheets are not cancelled or deleted, and their rows' invoice is not cleared by an update after
  submit (:func:`refuse_cancelling_billed_timesheet`, :func:`refuse_unbilling_rows`) — unless Support
  Contract Settings let staff correct billed work: then a cancelled Timesheet's amendment is billed as
  the difference by the next run (``billing/corrections.py`` with ``engine/corrections.py``);
- its Incident Fees are not deleted or changed (:func:`check_incident_fee`);
- no invoice made by hand carries the run's fields (contract, billing month, key), and none takes a row
  the run billed into its own Timesheet table (:func:`keep_run_fields`).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import flt, get_datetime

from support_contracts.adapters.helpdesk import ticket_doctypes
from support_contracts.adapters.settings import setting

RUN_FIELDS = ("sc_support_contract", "sc_billing_period", "sc_billing_key")


FEE_FIELDS = (
	"ticket_type",
	"issue",
	"customer",
	"support_contract",
	"called_at",
	"fee",
	"included_minutes",
	"status",
)


def standing_run_invoices(names) -> dict[str, dict]:
	"""Of ``names``, the Sales Invoices the run made that stand (draft or submitted): name → period,
	docstatus."""
	names = sorted({n for n in names if n})
	if not names:
		return {}
	si = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(si)
		.select(si.name, si.sc_billing_period, si.docstatus)
		.where(si.name.isin(names))
		.where(si.docstatus < 2)
		.where(si.sc_billing_period.notnull() & (si.sc_billing_period != ""))
		.run(as_dict=True)
	)
	return {r.name: r for r in rows}


def _what_to_do(invoices: dict[str, dict]) -> str:
	drafts = [n for n, r in invoices.items() if r.docstatus == 0]
	submitted = [n for n, r in invoices.items() if r.docstatus == 1]
	steps = []
	if submitted:
		steps.append(_("cancel {0}").format(", ".join(submitted)))
	if drafts:
		steps.append(_("delete the draft {0}").format(", ".join(drafts)))
	months = ", ".join(sorted({r.sc_billing_period for r in invoices.values()}))
	return _(
		"To correct billed work, first {0} (that frees its work), then correct the Timesheet and start the Support Billing Run for {1} again: it bills the corrected work once."
	).format(_(" and ").join(steps), months)


def _billed_rows(doc) -> tuple[list, dict[str, dict]]:
	rows = [r for r in doc.get("time_logs") or () if r.get("sales_invoice")]
	standing = standing_run_invoices(r.sales_invoice for r in rows)
	return [r for r in rows if r.sales_invoice in standing], standing


def _row_list(rows) -> str:
	return ", ".join(
		_("row {0} on {1} ({2})").format(r.idx, r.sales_invoice, r.sc_billing_period or "") for r in rows
	)


def new_rows_unbilled(doc, method=None) -> None:
	"""``Timesheet.before_insert``: only the run marks a row billed by it. An amended or duplicated
	Timesheet's rows come with the marks of the rows they were copied from (ERPNext's Sales Invoice link is
	copied): they are new work, not billed yet — the run bills them, as the difference where they correct
	billed work."""
	for row in doc.get("time_logs") or ():
		if row.get("sc_corrected_by") or standing_run_invoices([row.get("sales_invoice")]):
			row.sales_invoice = row.sc_corrected_by = None


def refuse_cancelling_billed_timesheet(doc, method=None) -> None:
	"""``Timesheet.before_cancel``: a Timesheet whose rows a standing run invoice billed stays, unless
	billed work may be corrected (then its amendment is billed as the difference)."""
	rows, standing = _billed_rows(doc)
	if not rows or setting("correct_billed_work"):
		return
	for r in rows:
		r.sc_billing_period = standing[r.sales_invoice].sc_billing_period
	frappe.throw(
		_("Timesheet {0} is billed: {1}.").format(doc.name, _row_list(rows))
		+ " "
		+ _what_to_do({r.sales_invoice: standing[r.sales_invoice] for r in rows}),
		title=_("Billed Work"),
	)


def refuse_deleting_billed_timesheet(doc, method=None) -> None:
	"""``Timesheet.on_trash``: a cancelled Timesheet whose rows a standing run invoice billed is what the
	invoice's correction is worked out from: it is kept while the invoice stands."""
	rows, standing = _billed_rows(doc)
	corrected = standing_run_invoices(r.get("sc_corrected_by") for r in doc.get("time_logs") or ())
	if not rows and not corrected:
		return
	invoices = {**standing, **corrected}
	frappe.throw(
		_("Timesheet {0} cannot be deleted: its work is on {1}, which stands.").format(
			doc.name, ", ".join(sorted(invoices))
		)
		+ " "
		+ _what_to_do(invoices),
		title=_("Billed Work"),
	)


def refuse_unbilling_rows(doc, method=None) -> None:
	"""``Timesheet.before_update_after_submit``: a row's invoice is the run's to set and to free (when the
	invoice is cancelled); an update after submit that clears or changes it, or drops the row, is refused."""
	td = frappe.qb.DocType("Timesheet Detail")
	stored = (
		frappe.qb.from_(td)
		.select(td.name, td.idx, td.sales_invoice)
		.where(td.parent == doc.name)
		.where(td.parenttype == "Timesheet")
		.run(as_dict=True)
	)
	standing = standing_run_invoices(r.sales_invoice for r in stored)
	now = {r.name: r.get("sales_invoice") for r in doc.get("time_logs") or ()}
	for r in stored:
		if r.sales_invoice in standing and now.get(r.name) != r.sales_invoice:
			frappe.throw(
				_(
					"Timesheet {0} row {1}: {2} is set by the invoicing run ({3}) and is freed only when that invoice is cancelled."
				).format(doc.name, r.idx, frappe.bold(_("Sales Invoice")), r.sales_invoice)
				+ " "
				+ _what_to_do({r.sales_invoice: standing[r.sales_invoice]}),
				title=_("Billed Work"),
			)


def keep_run_fields(doc, method=None) -> None:
	"""``Sales Invoice.validate``: the run's fields (Support Contract, Billing Month, the key) are written by
	the run only — an invoice made or edited by hand that names them would squat the contract's month, and
	the run would report it "Already Billed" and never make the real invoice. Nor does an invoice take a
	Timesheet row a standing run invoice billed into its own Timesheets table (ERPNext would move the row's
	mark to it, and free the row for billing again when it is cancelled)."""
	if not doc.flags.get("sc_billing_run"):
		before = None if doc.is_new() else doc.get_doc_before_save()
		for field in RUN_FIELDS:
			was = (before.get(field) if before else None) or None
			if (doc.get(field) or None) != was:
				frappe.throw(
					_(
						"{0} is written by the Support Billing Run only (an invoice made by hand is not billed by the run): leave it as it is."
					).format(frappe.bold(_(doc.meta.get_label(field)))),
					title=_("Written by the Run"),
				)
	details = [r.get("timesheet_detail") for r in doc.get("timesheets") or () if r.get("timesheet_detail")]
	if details:
		td = frappe.qb.DocType("Timesheet Detail")
		marks = (
			frappe.qb.from_(td)
			.select(td.name, td.parent, td.sales_invoice)
			.where(td.name.isin(details))
			.run(as_dict=True)
		)
		standing = standing_run_invoices(m.sales_invoice for m in marks)
		for m in marks:
			if m.sales_invoice in standing and m.sales_invoice != doc.name:
				frappe.throw(
					_("Timesheets: Timesheet {0} row {1} is billed on {2} by the invoicing run.").format(
						m.parent, m.name, m.sales_invoice
					),
					title=_("Billed Work"),
				)


def _value(doc, field: str, value):
	"""A field's value as its type reads it: a typed ``"1750"`` is the stored 1750.0."""
	fieldtype = doc.meta.get_field(field).fieldtype
	if fieldtype in ("Currency", "Float", "Int", "Check"):
		return flt(value)
	if fieldtype == "Datetime":
		return get_datetime(value) if value else None
	return value or None


def check_incident_fee(doc, deleting: bool = False) -> None:
	"""An Incident Fee a standing run invoice billed is neither deleted nor changed (a new fee for the same
	Issue would be billed again): cancel the invoice first."""
	if doc.is_new():
		return
	stored = frappe.db.get_value("Incident Fee", doc.name, ["sales_invoice", *FEE_FIELDS], as_dict=True)
	standing = standing_run_invoices([stored.sales_invoice]) if stored else {}
	if not standing:
		return
	changed = [
		f
		for f in (*FEE_FIELDS, "sales_invoice")
		if _value(doc, f, doc.get(f)) != _value(doc, f, stored.get(f))
	]
	if not deleting and not changed:
		return
	what = (
		_("deleted")
		if deleting
		else _("changed ({0})").format(", ".join(_(doc.meta.get_label(f)) for f in changed))
	)
	frappe.throw(
		_("Incident Fee {0} is billed on {1} and cannot be {2} while that invoice stands.").format(
			doc.name, stored.sales_invoice, what
		)
		+ " "
		+ _(
			"Cancel {0} first (a draft: delete it); that frees the fee, and the next run bills it once."
		).format(stored.sales_invoice),
		title=_("Billed Work"),
	)


def release(doc, method=None) -> None:
	"""A cancelled or deleted support invoice frees its key, its Timesheet rows and Incident Fees, and its
	hour-bank rows stop counting: the contract and month can be billed again."""
	if not doc.get("sc_billing_period"):
		return  # not an invoice of the run
	if doc.get("sc_billing_key"):
		frappe.db.set_value("Sales Invoice", doc.name, "sc_billing_key", None, update_modified=False)
	td = frappe.qb.DocType("Timesheet Detail")
	frappe.qb.update(td).set(td.sales_invoice, None).where(td.sales_invoice == doc.name).run()
	# rows whose correction it billed wait for a correction again
	frappe.qb.update(td).set(td.sc_corrected_by, None).where(td.sc_corrected_by == doc.name).run()
	fee = frappe.qb.DocType("Incident Fee")
	frappe.qb.update(fee).set(fee.status, "Unbilled").set(fee.sales_invoice, None).where(
		fee.sales_invoice == doc.name
	).run()
	led = frappe.qb.DocType("Hour Bank Ledger Entry")
	frappe.qb.update(led).set(led.is_cancelled, 1).where(led.sales_invoice == doc.name).run()
	if method == "on_trash":
		frappe.qb.update(led).set(led.sales_invoice, None).where(led.sales_invoice == doc.name).run()


def refuse_amending(doc, method=None) -> None:
	"""``Sales Invoice.before_insert``: an invoice the run made is corrected by cancelling it, correcting the
	work and starting the run again — an amendment would bill the same work a second time, since its
	Timesheet rows, Incident Fees and hour-bank minutes went free with the cancel."""
	if doc.get("amended_from") and frappe.db.get_value(
		"Sales Invoice", doc.amended_from, "sc_billing_period"
	):
		frappe.throw(
			_(
				"{0} was made by the invoicing run. To correct it, correct the Timesheets, Incident Fees or contract and start a Support Billing Run for {1} again: it bills the contract anew."
			).format(
				doc.amended_from, frappe.db.get_value("Sales Invoice", doc.amended_from, "sc_billing_period")
			),
			title=_("Not Amended"),
		)


def check_timesheet(doc, method=None) -> None:
	"""A Timesheet row is on a ticket of a kind this site has (an Issue; an HD Ticket with Helpdesk); on a
	ticket a contract governs it is billed by the run, so it needs its Kind of Work."""
	kinds = ticket_doctypes()
	for row in doc.time_logs:
		if not row.get("sc_issue"):
			continue
		row.sc_ticket_type = row.get("sc_ticket_type") or "Issue"
		if row.sc_ticket_type not in kinds:
			frappe.throw(
				_("Row {0}: {1} {2} is not a ticket; choose {3}.").format(
					row.idx,
					frappe.bold(_("Ticket Type")),
					row.sc_ticket_type,
					_(" or ").join(_(k) for k in kinds),
				),
				title=_("Not a Ticket"),
			)
		if not row.get("sc_work_kind") and frappe.db.get_value(
			row.sc_ticket_type, row.sc_issue, "sc_support_contract"
		):
			frappe.throw(
				_("Row {0}: {1} is required for time on {2} {3} (a support contract bills it).").format(
					row.idx, frappe.bold(_("Kind of Work")), _(row.sc_ticket_type), row.sc_issue
				),
				title=_("Missing Kind of Work"),
			)


def check_invoice_items(tier) -> None:
	"""A tier's Invoice Items bill as enabled, non-stock Items (a support line moves no stock)."""
	for row in tier.get("invoice_items") or ():
		disabled, stock = frappe.db.get_value("Item", row.item, ["disabled", "is_stock_item"]) or (0, 0)
		if disabled or stock:
			frappe.throw(
				_(
					"Invoice Items row {0}: Item {1} is {2}; choose an enabled service (non-stock) Item."
				).format(row.idx, frappe.bold(row.item), _("disabled") if disabled else _("a stock item")),
				title=_("Invalid Invoice Item"),
			)
