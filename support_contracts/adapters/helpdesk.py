"""Frappe Helpdesk behind one seam (as HRMS is: ``adapters/payroll/hrms.py``). Where the ``helpdesk`` app is
installed, an **HD Ticket** of a customer with an active support contract is governed as an Issue is — the
same save steps (``adapters/issue/save.py``), ledger, clock and enforcement — and this module is what differs:

- whether Helpdesk is installed (:func:`helpdesk_installed`: the one place the app asks);
- the ERPNext Customer an HD Customer is (:data:`CUSTOMER_FIELD`, a link the app adds to HD Customer: set
  by a manager, or matched by name when exactly one Customer has it; one HD Customer per Customer);
- the contract priority a ticket is filed under: Helpdesk's own (Urgent … Low) mapped to the tier's (P1 …
  P4 by default; HD Ticket Priority › Contract Priority), kept beside Helpdesk's in ``sc_priority``;
- Helpdesk's own SLA columns on a governed ticket — ``response_by``, ``resolution_by`` and
  ``agreement_status`` — written from the contract's clock after Helpdesk's own SLA has set them
  (:func:`show_contract_times`, ``HD Ticket.before_save``), so its ticket list and sidebar show the
  contract's promise. A ticket without a contract keeps Helpdesk's own SLA.

Without Helpdesk nothing here runs, and the app is as it was."""

from __future__ import annotations

import functools

import frappe
from frappe import _

HD_TICKET = "HD Ticket"
HD_CUSTOMER = "HD Customer"
PRIORITY_DOCTYPE = "HD Ticket Priority"
CUSTOMER_FIELD = "sc_customer"  # HD Customer › Customer (ERPNext)
PRIORITY_FIELD = (
	"sc_priority"  # HD Ticket Priority › Contract Priority; HD Ticket › the one it is filed under
)

# Helpdesk's agreement statuses (HD Ticket › agreement_status, Helpdesk v1.14)
FIRST_RESPONSE_DUE, RESOLUTION_DUE, FAILED, FULFILLED, PAUSED = (
	"First Response Due",
	"Resolution Due",
	"Failed",
	"Fulfilled",
	"Paused",
)


# what Helpdesk's column says once enforcement moves a governed ticket to an SLA status (a breach fails it)
AGREEMENT_ON_ALERT = {"Breached": FAILED}


def helpdesk_installed() -> bool:
	"""Whether Frappe Helpdesk is installed on the site: the one place the app asks."""
	return "helpdesk" in frappe.get_installed_apps()


def if_helpdesk_installed(fn):
	"""Run ``fn`` only where Helpdesk is installed; elsewhere it does nothing and returns None."""

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		if helpdesk_installed():
			return fn(*args, **kwargs)

	return wrapper


def governs_hd_tickets() -> bool:
	"""Whether HD Tickets are governed on this site: Helpdesk is installed and the app's fields are on HD
	Ticket — not yet while Helpdesk installs on a site that runs the app (its own ``after_install`` saves
	and mails a welcome ticket before the app's ``after_app_install`` makes them: that ticket is left to
	Helpdesk)."""
	return helpdesk_installed() and frappe.get_meta(HD_TICKET).has_field(PRIORITY_FIELD)


def fields_made(doc) -> bool:
	"""Whether a ticket of this doctype can be governed: an Issue always; an HD Ticket where
	:func:`governs_hd_tickets`."""
	return doc.doctype != HD_TICKET or governs_hd_tickets()


def ticket_doctypes() -> tuple[str, ...]:
	"""The documents a support contract governs on this site: Issues, and HD Tickets with Helpdesk (once
	the app's fields are on them)."""
	return ("Issue", HD_TICKET) if governs_hd_tickets() else ("Issue",)


def ticket_key(doctype: str | None, name: str) -> str:
	"""A ticket as the engine and an invoice line name it: an Issue by its name, an HD Ticket as
	"HD Ticket 12" (Helpdesk numbers its tickets; an Issue's name says what it is); none without a name."""
	if not name:
		return name
	return name if (doctype or "Issue") == "Issue" else f"{doctype} {name}"


def ticket_of(key: str | None) -> tuple[str | None, str | None]:
	"""(doctype, name) of a :func:`ticket_key`."""
	if not key:
		return None, None
	if key.startswith(HD_TICKET + " "):
		return HD_TICKET, key[len(HD_TICKET) + 1 :]
	return "Issue", key


def with_customer(q, doctype: str, ticket):
	"""(query, column): the query joined to what names a ticket's ERPNext Customer, and that column — an
	Issue's own ``customer``; an HD Ticket's HD Customer's link (a ticket of an unlinked HD Customer has
	none, and no contract bills it)."""
	if doctype != HD_TICKET:
		return q, ticket.customer
	hd_customer = frappe.qb.DocType(HD_CUSTOMER)
	return q.join(hd_customer).on(hd_customer.name == ticket.customer), hd_customer[CUSTOMER_FIELD]


def ticket_customer(doctype: str | None, name: str | None) -> tuple[str | None, str | None]:
	"""(ERPNext Customer, support contract) of a ticket, or (None, None) where there is none."""
	doctype = doctype or "Issue"
	if not name or not frappe.db.exists(doctype, name):
		return None, None
	customer, contract = frappe.db.get_value(doctype, name, ["customer", "sc_support_contract"])
	return (erpnext_customer(customer) if doctype == HD_TICKET else customer), contract


# ---------------------------------------------------------------- fields the app adds to Helpdesk
def custom_fields(ticket_fields: list[dict]) -> dict:
	"""The app's fields on Helpdesk's doctypes (made with the others at install and every migrate, only
	where Helpdesk is installed): on HD Ticket the Issue's contract and clock fields, in a section after
	Helpdesk's own SLA; on HD Customer the ERPNext Customer it is."""
	if not helpdesk_installed():
		return {}
	fields = [dict(f) for f in ticket_fields]
	fields[0] = {**fields[0], "insert_after": "resolution_by"}
	at = next(i for i, f in enumerate(fields) if f["fieldname"] == "sc_support_tier")
	fields.insert(
		at + 1,
		{
			"fieldname": PRIORITY_FIELD,
			"fieldtype": "Link",
			"options": "Issue Priority",
			"label": "Contract Priority",
			"insert_after": "sc_support_tier",
			"read_only": 1,
			"no_copy": 1,
			"description": "The priority of the contract's targets this ticket is filed under (from its "
			"Helpdesk priority: HD Ticket Priority › Contract Priority).",
		},
	)
	fields[at + 2] = {**fields[at + 2], "insert_after": PRIORITY_FIELD}
	return {
		HD_TICKET: fields,
		PRIORITY_DOCTYPE: [
			{
				"fieldname": PRIORITY_FIELD,
				"fieldtype": "Link",
				"options": "Issue Priority",
				"label": "Contract Priority",
				"insert_after": "integer_value",
				"description": "The priority of a support contract's targets a ticket of this priority is "
				"filed under.",
			}
		],
		HD_CUSTOMER: [
			{
				"fieldname": CUSTOMER_FIELD,
				"fieldtype": "Link",
				"options": "Customer",
				"label": "Customer (ERPNext)",
				"insert_after": "domain",
				"description": "The ERPNext Customer this is: its support contract governs the HD Customer's "
				"tickets. Set when empty from the Customer of the same name.",
			}
		],
	}


# the contract priority each of Helpdesk's own priorities files a ticket under, until a manager says
# otherwise (HD Ticket Priority › Contract Priority)
DEFAULT_PRIORITY_MAP = {"Urgent": "P1", "High": "P2", "Medium": "P3", "Low": "P4"}


@if_helpdesk_installed
def map_priorities() -> None:
	"""Give each HD Ticket Priority without a contract priority its default (Urgent P1 … Low P4), where that
	priority exists: a governed ticket keeps Helpdesk's priority, and its clock runs on the tier's targets
	for the contract priority it maps to."""
	for name, mapped in DEFAULT_PRIORITY_MAP.items():
		if (
			frappe.db.exists(PRIORITY_DOCTYPE, name)
			and not frappe.db.get_value(PRIORITY_DOCTYPE, name, PRIORITY_FIELD)
			and frappe.db.exists("Issue Priority", mapped)
		):
			frappe.db.set_value(PRIORITY_DOCTYPE, name, PRIORITY_FIELD, mapped, update_modified=False)


def contract_priority(doc) -> str | None:
	"""The priority a ticket's clock runs under: an Issue's own; an HD Ticket's as its contract files it
	(``sc_priority``, set from Helpdesk's priority when the ticket is governed)."""
	return doc.get("sc_priority") if doc.doctype == HD_TICKET else doc.get("priority")


def mapped_priority(hd_priority: str | None) -> str | None:
	"""The contract priority Helpdesk's ``hd_priority`` maps to (HD Ticket Priority › Contract Priority)."""
	if not hd_priority:
		return None
	return frappe.db.get_value(PRIORITY_DOCTYPE, hd_priority, PRIORITY_FIELD)


# ---------------------------------------------------------------- HD Customer ↔ Customer
def erpnext_customer(hd_customer: str | None) -> str | None:
	"""The ERPNext Customer an HD Customer is: its link, else none (a ticket of an unmapped HD Customer
	is not governed, and Helpdesk's own SLA serves it)."""
	if not hd_customer or not helpdesk_installed():
		return None
	return frappe.db.get_value(HD_CUSTOMER, hd_customer, CUSTOMER_FIELD)


def check_hd_customer(doc, method=None) -> None:
	"""``HD Customer.validate``: a link to a Customer another HD Customer has is refused naming both; the
	link of an HD Customer whose open tickets a contract governs cannot change (their clocks run under the
	contract of the Customer it was); a new HD Customer without a link gets the ERPNext Customer of the same
	name, where exactly one has it (a link a manager set, or cleared, is kept). Before the app's field is
	on HD Customer (Helpdesk being installed), nothing is checked."""
	if not doc.meta.has_field(CUSTOMER_FIELD):
		return
	linked = doc.get(CUSTOMER_FIELD)
	if linked:
		other = frappe.db.get_value(HD_CUSTOMER, {CUSTOMER_FIELD: linked, "name": ("!=", doc.name)})
		if other:
			frappe.throw(
				_("{0} of {1}: Customer {2} is HD Customer {3} already.").format(
					frappe.bold(_("Customer (ERPNext)")), doc.name, frappe.bold(linked), frappe.bold(other)
				),
				title=_("Customer Already Linked"),
			)
	if not doc.is_new():
		before = frappe.db.get_value(HD_CUSTOMER, doc.name, CUSTOMER_FIELD)
		if before and before != linked:
			governed = frappe.get_all(
				HD_TICKET,
				filters={
					"customer": doc.name,
					"sc_support_contract": ("is", "set"),
					"status": ("not in", ("Resolved", "Closed")),
				},
				pluck="name",
				limit=5,
			)
			if governed:
				frappe.throw(
					_(
						"{0} of {1} cannot be changed from {2} to {3}: open HD Tickets ({4}) run their SLA clocks under the support contract of {2}. Resolve them first."
					).format(
						frappe.bold(_("Customer (ERPNext)")),
						doc.name,
						before,
						linked or _("(none)"),
						", ".join(str(t) for t in governed),
					),
					title=_("SLA Clock Running"),
				)
		return
	if not linked and doc.name:
		doc.set(CUSTOMER_FIELD, customer_named(doc.name))


def customer_named(name: str) -> str | None:
	"""The ERPNext Customer of ``name`` (its name or its customer name), where exactly one is; one another
	HD Customer has already is none."""
	matches = frappe.get_all("Customer", filters={"customer_name": name}, pluck="name", limit=2)
	if not matches and frappe.db.exists("Customer", name):
		matches = [name]
	if len(matches) == 1 and not frappe.db.exists(HD_CUSTOMER, {CUSTOMER_FIELD: matches[0]}):
		return matches[0]
	return None


def remove_custom_fields(ticket_fields: list[dict]) -> None:
	"""When Helpdesk is uninstalled: the app's fields on its doctypes (those :func:`custom_fields` makes from
	``ticket_fields``, the Issue's) go with them — Frappe leaves the Custom Fields of dropped doctypes
	behind; no field the site made itself is touched. Committed here: Frappe's ``remove_app`` commits
	before it runs ``after_app_uninstall`` and ends without committing again. The ledgers' rows of the
	tickets stay, named by their type."""
	made = {
		HD_TICKET: [f["fieldname"] for f in ticket_fields] + [PRIORITY_FIELD],
		PRIORITY_DOCTYPE: [PRIORITY_FIELD],
		HD_CUSTOMER: [CUSTOMER_FIELD],
	}
	for doctype, fieldnames in made.items():
		for name in frappe.get_all(
			"Custom Field", filters={"dt": doctype, "fieldname": ("in", fieldnames)}, pluck="name"
		):
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	frappe.db.commit()


@if_helpdesk_installed
def link_hd_customers() -> None:
	"""When Helpdesk and the app first meet: each HD Customer without a link gets the Customer of its name
	(as a new one does), so that the tickets of customers with a contract are governed from then on."""
	for name in frappe.get_all(HD_CUSTOMER, filters={CUSTOMER_FIELD: ("is", "not set")}, pluck="name"):
		customer = customer_named(name)
		if customer:
			frappe.db.set_value(HD_CUSTOMER, name, CUSTOMER_FIELD, customer, update_modified=False)


def hd_customers_of(user: str) -> list[str]:
	"""The HD Customers a user's Contacts link to: whose tickets the user, a customer's contact, may open."""
	contacts = frappe.get_all("Contact", filters={"user": user}, pluck="name")
	if not contacts:
		return []
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "parent": ("in", contacts), "link_doctype": HD_CUSTOMER},
		pluck="link_name",
	)


def customer_of(doc) -> str | None:
	"""The ERPNext Customer of a ticket: an Issue's own; an HD Ticket's through its HD Customer."""
	if doc.doctype == HD_TICKET:
		return erpnext_customer(doc.get("customer"))
	return doc.get("customer")


# ---------------------------------------------------------------- Helpdesk's SLA columns
def agreement_status(report) -> str:
	"""Helpdesk's word for the contract's clock (``engine/sla.ClockReport``): Failed once a target is
	breached, Paused while the clock is held, Fulfilled when every target is met, else the next target
	due — the first response until it is given, then the resolution."""
	from support_contracts.engine.sla import BREACHED, NO_TARGET, WAIVED

	metrics = report.metrics
	if any(m.status == BREACHED for m in metrics.values()):
		return FAILED
	if report.paused:
		return PAUSED
	unmet = [k for k, m in metrics.items() if m.status not in (NO_TARGET, WAIVED) and m.met_us is None]
	if not unmet:
		return FULFILLED
	return FIRST_RESPONSE_DUE if "first_response" in unmet else RESOLUTION_DUE


# ---------------------------------------------------------------- where Helpdesk's agents look
def tell_agents(tickets: str, moved: str, key: str, subject: str, users: str, values: dict) -> None:
	"""What an enforcement step moved, told where Helpdesk's agents look (``adapters/enforcement._record``
	calls it with its own SQL pieces: the moved tickets, the step's key per ticket, its words, the users it
	tells): a comment on each ticket with the step's words, in the ticket's activity, and for each user
	told a Helpdesk notification of it (the bell in ``/helpdesk``: "mentioned you in ticket 12", opening
	that comment) — but for users told of so many that they get the step's digest instead. Set-based and
	exactly once as the step's other records (names derived from the step's key, ``INSERT IGNORE``, in its
	transaction), and written without Helpdesk's hooks: its mention mail would be a second mail beside the
	Notification Log's."""
	comment = f"left(sha2(concat({key}, '|helpdesk comment'), 256), 20)"
	frappe.db.sql(
		f"""insert ignore into `tabHD Ticket Comment`
			(name, reference_ticket, commented_by, content, is_pinned,
			creation, modified, owner, modified_by)
		select {comment}, i.name, 'Administrator', concat('<p>', {subject}, '</p>'), 0,
			%(stamp)s, %(stamp)s, 'Administrator', 'Administrator'
		from {tickets} where {moved}""",
		values,
	)
	frappe.db.sql(
		f"""insert ignore into `tabHD Notification`
			(name, user_from, user_to, notification_type, reference_ticket, reference_comment, message, `read`,
			creation, modified, owner, modified_by)
		select left(sha2(concat({key}, '|helpdesk|', u.user), 256), 20), 'Administrator', u.user, 'Mention',
			i.name, {comment}, {subject}, 0, %(stamp)s, %(stamp)s, 'Administrator', 'Administrator'
		from {tickets} join {users} where {moved} and u.user not in %(digested)s""",
		values,
	)


def show_contract_times(doc, method=None) -> None:
	"""``HD Ticket.before_save``, after Helpdesk's own SLA has set its columns: on a governed ticket they
	show the contract's clock instead — the first response and resolution due times the engine computed
	on the contract's calendar, and the agreement status in Helpdesk's words. An ungoverned ticket keeps
	what Helpdesk set."""
	save = doc.__dict__.get("_sc_save")
	if save is None or not save.contract or save.report is None:
		return
	doc.update(helpdesk_columns(doc, save.report))


def helpdesk_columns(doc, report) -> dict:
	"""Helpdesk's SLA columns of a governed ticket as its clock stands (for a recompute outside a save)."""
	if doc.doctype != HD_TICKET:
		return {}
	return {
		"response_by": doc.get("sc_first_response_due"),
		"resolution_by": doc.get("sc_resolution_due"),
		"agreement_status": agreement_status(report),
	}
