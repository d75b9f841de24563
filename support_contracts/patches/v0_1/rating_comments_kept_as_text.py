"""A customer's rating comment is kept as text (docs/rules.md F4): escaped once when stored, so that no reader
of the field — the Desk's read-only Small Text among them — runs it as HTML. Comments stored before were
kept as typed, less their tags; each is escaped now."""

import frappe
from frappe.utils import escape_html


def execute():
	if not frappe.db.has_column("Issue", "sc_rating_comment"):
		return
	for name, comment in frappe.db.sql(
		"select name, sc_rating_comment from `tabIssue` where ifnull(sc_rating_comment, '') != ''"
	):
		frappe.db.set_value("Issue", name, "sc_rating_comment", escape_html(comment), update_modified=False)
