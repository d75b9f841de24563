"""The alert state was stored by its name (``sc_alert_state``, a Data field); it is now stored as its place in
engine/escalation.ALERT_STATES (adapters/issue.ALERT, a number), which the breach step rewrites in place.
The new field is made now (after_migrate would make it only after the patches), filled from the old one,
and the old field and its column removed (the scan index that held it is made anew by after_migrate)."""

import frappe

from support_contracts.adapters.enforcement import SCAN_INDEX
from support_contracts.adapters.issue import ALERT, alert_rank
from support_contracts.engine.escalation import ALERT_STATES, ESCALATED
from support_contracts.setup.install import issue_index_columns, make_custom_fields

OLD = "sc_alert_state"


def execute():
	if not frappe.db.has_column("Issue", OLD):
		return
	make_custom_fields()
	# "Manager": the name an escalation had before alert_state_named_once
	names = {state: alert_rank(state) for state in ALERT_STATES if state} | {"Manager": alert_rank(ESCALATED)}
	cases = " ".join(f"when {frappe.db.escape(name)} then {rank}" for name, rank in names.items())
	frappe.db.sql(
		f"update `tabIssue` set `{ALERT}` = case `{OLD}` {cases} else 0 end where ifnull(`{OLD}`, '') != ''"
	)
	for name in frappe.get_all("Custom Field", filters={"dt": "Issue", "fieldname": OLD}, pluck="name"):
		frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	if issue_index_columns(SCAN_INDEX):
		frappe.db.sql_ddl(f"alter table `tabIssue` drop index `{SCAN_INDEX}`")
	if frappe.db.has_column("Issue", OLD):
		frappe.db.sql_ddl(f"alter table `tabIssue` drop column `{OLD}`")
	frappe.cache.hdel("table_columns", "tabIssue")  # Frappe's cache of the columns; not cleared with the meta
	frappe.clear_cache(doctype="Issue")
