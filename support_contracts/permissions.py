"""Who may see and change what, beyond the role permissions in each doctype's JSON (docs/permissions.md).

- **Sharing never lifts anyone above their roles.** Frappe lets a user with ``share`` grant write through
  a DocShare, and a share outweighs every role and controller check. On the app's doctypes a share may
  grant read only (``DocShare.validate``, :func:`validate_share`).
- **Ledgers are append-only for everyone** — SLA Clock Event and SLA Transition are written by the app
  (``ignore_permissions``), never changed or deleted (:func:`refuse_ledger_change`).
- **On-call pay is personal.** An employee reads their own Jour Weeks and Jour Activations; On-Call
  Coordinators, HR and System Managers read all (:func:`on_call_pay_conditions`,
  :func:`has_on_call_pay_permission`); coordinators alone write them (JSON).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters.access import (
	SHOWN_STATUSES,
	customers_of,
	is_portal_user,
	own_employees,
	sees_all_pay,
)
from support_contracts.doctypes import APP_DOCTYPES

APP_CHILD_TABLES = (
	"Jour Activation Split",
	"On-Call Pay Statement Line",
	"Jour Pay Band",
	"Support Tier Target",
	"Support Tier Travel Zone",
)

LEDGERS = ("SLA Clock Event", "SLA Transition")
ON_CALL_PAY = ("Jour Week", "Jour Activation", "On-Call Pay Statement")


def validate_share(share, method=None) -> None:
	"""``DocShare.validate``: on the app's doctypes a share grants read, never write, submit or share."""
	if share.share_doctype not in APP_DOCTYPES:
		return
	granted = [p for p in ("write", "submit", "share") if share.get(p)]
	if granted:
		frappe.throw(
			_(
				"{0} documents can be shared for reading only (asked: {1}). Who may change them is set by roles."
			).format(frappe.bold(_(share.share_doctype)), ", ".join(_(p) for p in granted)),
			frappe.PermissionError,
			title=_("Not Shareable"),
		)


def refuse_ledger_change(doc) -> None:
	"""Called by the ledgers' ``validate`` (once recorded) and ``on_trash``: a recorded row never changes."""
	frappe.throw(
		_("{0} is an append-only ledger: {1} cannot be changed or deleted.").format(
			_(doc.doctype), frappe.bold(doc.name)
		),
		frappe.PermissionError,
		title=_("Append-only Ledger"),
	)


class AppendOnlyLedger(Document):
	"""A ledger doctype's controller: rows are appended (by the app, ``ignore_permissions``), never
	changed, deleted or renamed."""

	def validate(self):
		if not self.is_new():
			refuse_ledger_change(self)

	def on_trash(self):
		refuse_ledger_change(self)

	def before_rename(self, old, new, merge=False):
		refuse_ledger_change(self)


def on_call_pay_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` of Jour Week and Jour Activation: own rows unless coordinator/HR."""
	user = user or frappe.session.user
	if sees_all_pay(user):
		return ""
	own = own_employees(user)
	if not own:
		return "1=0"
	table = f"`tab{doctype or 'Jour Activation'}`"
	return f"{table}.employee in ({', '.join(frappe.db.escape(e) for e in own)})"


def has_on_call_pay_permission(doc, ptype=None, user=None) -> bool:
	"""``has_permission`` of Jour Week and Jour Activation (the roles' ptypes are checked by Frappe)."""
	user = user or frappe.session.user
	return sees_all_pay(user) or doc.employee in own_employees(user)


def jour_activation_split_conditions(user: str | None = None) -> str:
	"""The band split rows of an activation: as their activation (``frappe.client.get_list`` of the child
	table checks only the parent's role permission)."""
	own = jour_activation_conditions(user)
	if not own:
		return ""
	return f"`tabJour Activation Split`.parent in (select name from `tabJour Activation` where {own})"


def jour_week_conditions(user: str | None = None) -> str:
	return on_call_pay_conditions(user, "Jour Week")


def jour_activation_conditions(user: str | None = None) -> str:
	return on_call_pay_conditions(user, "Jour Activation")


def pay_statement_conditions(user: str | None = None) -> str:
	return on_call_pay_conditions(user, "On-Call Pay Statement")


def pay_statement_line_conditions(user: str | None = None) -> str:
	"""A statement's lines: as their statement."""
	own = pay_statement_conditions(user)
	if not own:
		return ""
	return (
		f"`tabOn-Call Pay Statement Line`.parent in (select name from `tabOn-Call Pay Statement` where {own})"
	)


# ---------------------------------------------------------------- the customer portal's side doors


def own_contact_rows(doctype: str):
	"""``permission_query_conditions`` of a Contact's child tables (links, e-mails, phones) for portal
	users: their own Contacts' rows only. Frappe checks only that a user may read Contact, so every
	customer could otherwise list every other customer's contacts (docs/portal.md)."""

	def conditions(user: str | None = None) -> str:
		user = user or frappe.session.user
		if not is_portal_user(user):
			return ""
		table = f"`tab{doctype}`"
		return (
			f"({table}.parenttype = 'Contact' and {table}.parent in "
			f"(select name from `tabContact` where user = {frappe.db.escape(user)}))"
		)

	return conditions


dynamic_link_conditions = own_contact_rows("Dynamic Link")
contact_email_conditions = own_contact_rows("Contact Email")
contact_phone_conditions = own_contact_rows("Contact Phone")


def tag_link_conditions(user: str | None = None) -> str:
	"""Tag Links (Frappe lets every user read them) name tagged documents: none for portal users."""
	return "1=0" if is_portal_user(user) else ""


def has_tag_link_permission(doc, ptype=None, user=None) -> bool:
	return not is_portal_user(user)


def refuse_foreign_comment(doc, method=None) -> None:
	"""``Comment.before_insert``: Frappe's website comment method takes any document name and any author
	name; a portal user comments only on their own customers' Issues and contracts. Only comments, the
	kind that method writes: the notes Frappe keeps for the system during a portal or guest request (an
	assignment made when a monitoring alert opens an Issue) are not a user's words."""
	if (
		doc.comment_type != "Comment"
		or doc.reference_doctype not in ("Issue", "Support Contract")
		or not is_portal_user()
	):
		return
	customer = frappe.db.get_value(doc.reference_doctype, doc.reference_name, "customer")
	if not customer or customer not in customers_of():
		frappe.throw(_("You may comment on your own tickets and contracts only."), frappe.PermissionError)


def has_contract_website_permission(doc, ptype, user, verbose=False) -> bool:
	"""``has_website_permission`` of Support Contract: read, for the contacts of its customer."""
	return ptype == "read" and doc.status in SHOWN_STATUSES and doc.customer in customers_of(user)
