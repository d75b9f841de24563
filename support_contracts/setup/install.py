"""Install, migrate and uninstall: custom fields, roles, permissions and Issue priorities, created in
code and idempotently (as HRMS setup.py does), removed again on uninstall so that ERPNext
keeps working without the app."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields
from frappe.permissions import add_permission, update_permission_property

from support_contracts.setup.custom_fields import custom_fields

ROLES = ("Support Agent", "Support Manager", "On-Call Coordinator")

PRIORITIES = {
	"P1": "Critical: complete unavailability or revenue impact",
	"P2": "High: functions unavailable without workaround, or brand and reputation at stake",
	"P3": "Normal: a workaround exists; also rollbacks of approved releases",
	"P4": "Low: minor or cosmetic",
	"Critical": "SSA-L Critical error: the service stops, data is lost or critical functions fail",
	"Serious": "SSA-L Serious error: important functions fail and are time-consuming to work around",
	"Minor": "SSA-L Minor error: single functions fail but are easy to work around",
}


def after_install():
	make_everything()
	link_hd_customers()


def link_hd_customers():
	"""With Helpdesk, once when it meets the app: HD Customers linked to the Customers of their names."""
	from support_contracts.adapters.helpdesk import link_hd_customers as link

	link()


def after_migrate():
	make_everything()


def make_everything():
	"""What the app needs on a site, made idempotently at install and again at every migrate (a setting,
	field, role, priority or Item added in an update arrives with the next migrate)."""
	settings_defaults()
	compile_translations()
	make_salary_components()
	make_items()
	make_custom_fields()
	make_roles()
	make_priorities()
	give_issue_permissions()
	clear_leftover_issue_fields()
	make_scan_indexes()
	mark_onboarding_steps()


def mark_onboarding_steps():
	"""The module onboarding's steps already done on this site (a firm that set up before the onboarding
	existed, the demo data) marked done; a step reset since looked at again (adapters/onboarding.py)."""
	from support_contracts.adapters import onboarding

	onboarding.forget_done()
	onboarding.mark_done()


def make_scan_indexes():
	"""The indexes the SLA enforcement reads by (adapters/enforcement.py), after the custom fields: the scan
	index, and Frappe's own on ``modified`` (the rows a step moved); the ones the scan index replaced
	dropped; open governed Issues given their next enforcement instant."""
	from support_contracts.adapters.enforcement import (
		MOVED_INDEX,
		OLD_INDEXES,
		SCAN_COLUMNS,
		SCAN_INDEX,
		backfill_next_instants,
	)
	from support_contracts.adapters.helpdesk import ticket_doctypes

	for doctype in ticket_doctypes():  # Issue, and HD Ticket with Helpdesk
		have = issue_index_columns(SCAN_INDEX, doctype)
		if have and have != list(SCAN_COLUMNS):  # an older version's columns: made anew
			frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{SCAN_INDEX}`")
		frappe.db.add_index(doctype, list(SCAN_COLUMNS), SCAN_INDEX)
		frappe.db.add_index(doctype, ["modified"], MOVED_INDEX)  # Frappe's own, unless a site lost it
		for name in OLD_INDEXES:
			if issue_index_columns(name, doctype):
				frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{name}`")
	backfill_next_instants()


def issue_index_columns(name: str, doctype: str = "Issue") -> list[str]:
	"""The columns of the ticket table's index ``name``, in order; none where there is no such index."""
	rows = frappe.db.sql(f"show index from `tab{doctype}` where Key_name = %s", name, as_dict=True)
	return [row.Column_name for row in rows]


def clear_leftover_issue_fields():
	"""After an uninstall Frappe keeps the columns of the removed custom fields with their values, while the
	app's tables (contracts, ledger) are gone: an Issue governed back then names a Support Contract that no
	longer exists and could not be saved again. Such Issues are ungoverned now: their SLA fields are
	cleared in one statement (a customer with a contract makes the next save start a new clock)."""
	from support_contracts.adapters.issue.fields import APP_OWNED

	meta = frappe.get_meta("Issue")
	sets = ", ".join(
		f"i.`{f}` = {'0' if meta.get_field(f).fieldtype in ('Check', 'Int') else 'null'}" for f in APP_OWNED
	)
	frappe.db.sql(
		f"""update `tabIssue` i left join `tabSupport Contract` c on c.name = i.sc_support_contract
		set {sets}
		where ifnull(i.sc_support_contract, '') != '' and c.name is null"""
	)


def make_custom_fields():
	create_custom_fields(custom_fields(), ignore_validate=True)


def compile_translations():
	"""The app's Swedish and Norwegian strings, compiled for Frappe (``bench build`` does the same). The
	Norwegian file is Bokmål (``nb.po``); Frappe's own language for Norwegian is "no" (Norsk), so the
	Bokmål catalogue is installed for both codes."""
	import shutil

	from frappe.gettext.translate import compile_translations as compile_app
	from frappe.gettext.translate import get_mo_path
	from frappe.translate import clear_cache as clear_translation_cache

	compile_app("support_contracts", force=True)
	nb, no = get_mo_path("support_contracts", "nb"), get_mo_path("support_contracts", "no")
	if nb.exists():
		no.parent.mkdir(parents=True, exist_ok=True)
		shutil.copyfile(nb, no)
	clear_translation_cache()


def settings_defaults():
	"""A setting added in an update starts at its default: Frappe stores a single doctype's fields only when
	it is saved, and a save of settings that never held the field would store it empty (0 for a check)."""
	doctype = "Support Contract Settings"
	singles = frappe.qb.Table("tabSingles")
	stored = set(
		frappe.qb.from_(singles).select(singles.field).where(singles.doctype == doctype).run(pluck=True)
	)
	for df in frappe.get_meta(doctype).fields:
		if df.default is not None and df.fieldname not in stored:
			frappe.db.set_single_value(doctype, df.fieldname, df.default)


def after_app_install(app_name: str):
	if app_name == "hrms":
		make_salary_components()
	if app_name == "helpdesk":  # HD Tickets governed as Issues are: their fields, priorities, index
		make_custom_fields()
		make_priorities()
		make_scan_indexes()
		link_hd_customers()


def make_salary_components():
	from support_contracts.adapters.payroll import make_salary_components as make

	make()


def make_items():
	"""The Items invoice lines are billed as: non-stock services, made unless an Item of the code exists."""
	from support_contracts.engine.tiers import ITEMS

	if not frappe.db.exists("UOM", "Nos"):  # ERPNext's setup not done yet: made at the next migrate
		return
	group = "Services" if frappe.db.exists("Item Group", "Services") else None
	group = group or frappe.db.get_value("Item Group", {"is_group": 0}) or "All Item Groups"
	for code, (name, unit) in ITEMS.items():
		if frappe.db.exists("Item", code):
			continue
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": code,
				"item_name": name,
				"item_group": group,
				"stock_uom": item_uom(unit),
				"is_stock_item": 0,
				"include_item_in_manufacturing": 0,
				"is_sales_item": 1,
				"is_purchase_item": 0,
			}
		).insert(ignore_permissions=True)


def item_uom(unit: str) -> str:
	"""The UOM of an item whose lines count ``unit``: hours may be fractions, the rest are counted."""
	return "Hour" if unit == "h" and frappe.db.exists("UOM", "Hour") else "Nos"


def make_roles():
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


OLD_DESCRIPTIONS = {"P1": "Critical: complete unavailability or revenue impact (docs/rules.md B, C)"}


def make_priorities():
	"""The priorities and their meaning, which the portal shows customers; a meaning still as an earlier
	version wrote it is brought up to date (one an administrator changed is left alone). With Helpdesk,
	its own priorities are mapped to them (Urgent P1 … Low P4) where no one has mapped them yet."""
	from support_contracts.adapters.helpdesk import map_priorities

	for name, old in OLD_DESCRIPTIONS.items():
		if frappe.db.get_value("Issue Priority", name, "description") == old:
			frappe.db.set_value("Issue Priority", name, "description", PRIORITIES[name])
	for name, description in PRIORITIES.items():
		if not frappe.db.exists("Issue Priority", name):
			frappe.get_doc({"doctype": "Issue Priority", "name": name, "description": description}).insert(
				ignore_permissions=True
			)
	map_priorities()


def give_issue_permissions():
	"""Agents and managers work on Issues (ERPNext gives them to "Support Team" only). A rule the site
	already has is left as the administrator made it; a missing one is added (also on migrate, so an
	install that stopped half-way is completed)."""
	for role in ("Support Agent", "Support Manager"):
		# ERPNext's Issue form reads Support Settings: without read an agent gets "No permission" on each open
		for doctype in ("Issue", "Issue Priority", "Customer", "Contact", "Support Settings"):
			if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				continue
			add_permission(doctype, role, 0)
			if doctype == "Issue":
				for ptype in ("write", "create", "report", "export", "share", "email", "print"):
					update_permission_property("Issue", role, 0, ptype, 1)


def after_app_uninstall(app_name: str):
	if app_name == "helpdesk":  # the app's fields on Helpdesk's dropped doctypes go too
		from support_contracts.adapters.helpdesk import remove_custom_fields

		remove_custom_fields(custom_fields()["Issue"])


def before_uninstall():
	"""Remove what the app added to ERPNext's doctypes; ERPNext's own SLA fields are untouched."""
	for doctype, fields in custom_fields().items():
		for f in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": f["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	for role in ROLES:
		frappe.db.delete("Custom DocPerm", {"role": role})
	frappe.clear_cache()
