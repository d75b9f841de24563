"""Who a website user acts for (docs/portal.md): the Customers a contact of theirs — written by staff —
links to, or that list them as portal users; nothing else. Every portal page, portal method, permission
hook and Issue check starts here, and another customer's document answers as one that does not exist."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import escape_html

from support_contracts.adapters.helpdesk import HD_CUSTOMER, erpnext_customer

SHOWN_STATUSES = ("Active", "Expired", "Terminated")  # a Draft contract is not the customer's yet


def customers_of(user: str | None = None) -> list[str]:
	"""The Customers the user acts for, as staff recorded it: those that list the user under Customer ›
	Portal Users (ERPNext 15's invoices and orders), and those that a Contact of the user links to (ERPNext's
	Issues) — directly, or through an HD Customer linked to its Customer where Frappe Helpdesk is installed
	(``adapters/helpdesk.py``: Helpdesk's contacts are linked to HD Customers) — counting only Contacts and
	link rows a Desk user wrote. A website user may create Contacts and link rows themselves (Frappe gives
	every user that), so what they wrote never makes them a customer's contact. None for a guest."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return []
	contact, link, usr = (
		frappe.qb.DocType("Contact"),
		frappe.qb.DocType("Dynamic Link"),
		frappe.qb.DocType("User"),
	)
	contact_owner, link_owner = usr.as_("contact_owner"), usr.as_("link_owner")
	linked = (
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.join(contact_owner)
		.on(contact_owner.name == contact.owner)
		.join(link_owner)
		.on(link_owner.name == link.owner)
		.select(link.link_doctype, link.link_name)
		.where(contact.user == user)
		.where(link.link_doctype.isin(("Customer", HD_CUSTOMER)))
		.where(contact_owner.user_type == "System User")
		.where(link_owner.user_type == "System User")
		.run()
	)
	customers = {name for doctype, name in linked if doctype == "Customer"}
	customers |= {erpnext_customer(name) for doctype, name in linked if doctype == HD_CUSTOMER} - {None}
	listed = frappe.get_all(
		"Portal User",
		filters={"parenttype": "Customer", "user": user},
		pluck="parent",
		ignore_permissions=True,
	)
	return sorted(customers | set(listed))


def require_login() -> list[str]:
	"""The user's customers; a guest is sent to log in (403, as Frappe's own portal pages do)."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see your support."), frappe.PermissionError)
	return customers_of()


def not_found(doctype: str, name) -> None:
	"""Another customer's document answers as one that does not exist: its name tells nothing."""
	frappe.throw(_("{0} {1} not found").format(_(doctype), escape_html(str(name))), frappe.DoesNotExistError)


def own_contract(name: str):
	customers = require_login()
	if not isinstance(name, str):
		not_found("Support Contract", name)
	doc = frappe.db.exists("Support Contract", name) and frappe.get_doc("Support Contract", name)
	if not doc or doc.customer not in customers or doc.status not in SHOWN_STATUSES:
		not_found("Support Contract", name)
	return doc


def own_issue(name: str):
	customers = require_login()
	if not isinstance(name, str):
		not_found("Issue", name)
	doc = frappe.db.exists("Issue", name) and frappe.get_doc("Issue", name)
	if not doc or doc.customer not in customers:
		not_found("Issue", name)
	return doc


def own_customer(customer: str | None) -> str:
	"""The customer a contact acts for: the one named, if it is theirs; their only one if none is named."""
	customers = require_login()
	if not customer and len(customers) == 1:
		return customers[0]
	if customer not in customers:
		frappe.throw(
			_("{0}: choose one of your customers.").format(frappe.bold(_("Customer"))), frappe.ValidationError
		)
	return customer


def is_portal_user(user: str | None = None) -> bool:
	"""A website user (a customer's contact), or a guest."""
	user = user or frappe.session.user
	return user == "Guest" or frappe.get_cached_value("User", user, "user_type") == "Website User"


# ---------------------------------------------------------------- whose on-call pay a user sees
SEES_ALL_PAY = ("System Manager", "On-Call Coordinator", "HR Manager", "HR User")


def sees_all_pay(user: str) -> bool:
	"""On-Call Coordinators, HR and System Managers see everyone's on-call pay; others their own."""
	return user == "Administrator" or bool(set(frappe.get_roles(user)) & set(SEES_ALL_PAY))


# on-call pay summed over everyone, per month (the managers' workspace): no one's own statement
SEES_PAY_TOTALS = (*SEES_ALL_PAY, "Support Manager")


def has_any_role(roles, user: str | None = None) -> bool:
	"""Whether the user (default: the session's) holds one of ``roles``; the Administrator and System
	Managers always do."""
	user = user or frappe.session.user
	held = set(frappe.get_roles(user))
	return user == "Administrator" or "System Manager" in held or bool(held & set(roles))


def own_employees(user: str) -> list[str]:
	"""The Employees the user is (Employee › User ID)."""
	return frappe.get_all("Employee", filters={"user_id": user}, pluck="name")


# ---------------------------------------------------------------- who sees the app on the /apps screen
SEES_SUPPORT_APP = (
	"System Manager",
	"Support Agent",
	"Support Manager",
	"On-Call Coordinator",
	"Accounts User",
	"Accounts Manager",
	"HR Manager",
	"HR User",
)


def sees_support_app(user: str | None = None) -> bool:
	"""The app's tile on Frappe's /apps screen (hooks.py ``add_to_apps_screen``, called with no
	arguments): the Administrator, and users holding any of the app's desk roles — agents, managers, on-call
	coordinators, billing (Accounts) and HR. Only the tile: what each may read is the doctypes' own."""
	return has_any_role(SEES_SUPPORT_APP, user)


# ---------------------------------------------------------------- who holds a role
def users_with_role(role: str) -> list[str]:
	"""The enabled users holding ``role``, people only (not Administrator or Guest): whom the app tells —
	the Support Managers of a breach or the weekly report, a tier's first line of a new request."""
	has_role, user = frappe.qb.DocType("Has Role"), frappe.qb.DocType("User")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(has_role.role == role)
		.where(has_role.parenttype == "User")
		.where(user.enabled == 1)
		.where(user.name.notin(("Administrator", "Guest")))
		.orderby(user.name)
		.run(pluck=True)
	)
