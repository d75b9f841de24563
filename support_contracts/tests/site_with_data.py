"""Turns the test site into one that holds data as a firm's copy would (issue 16): the five demo firms and a
few open governed Issues that are long overdue. ``scripts/test-bench --with-data`` runs it before the suite,
which must pass on such a site as on an empty one. Idempotent; committed (it is the site's data)."""

import datetime as dt

import frappe

from support_contracts.adapters.times import naive, now
from support_contracts.demo.site import make_demo

SUBJECT = "Site data: overdue printer queue"


def make() -> int:
	"""Load the demo firms and open three overdue Issues for customers with contracts; returns how many
	Issues it opened (0 when they are there already)."""
	make_demo()
	if frappe.db.exists("Issue", {"subject": ("like", f"{SUBJECT}%")}):
		return 0
	opened = naive(now() - dt.timedelta(hours=48))
	customers = frappe.get_all(
		"Support Contract", filters={"status": "Active"}, pluck="customer", order_by="name", limit=3
	)
	for n, customer in enumerate(customers, start=1):
		tier = frappe.db.get_value("Support Contract", {"customer": customer, "status": "Active"}, "tier")
		priority = frappe.get_all("Support Tier Target", filters={"parent": tier}, pluck="priority", limit=1)
		frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": f"{SUBJECT} {n}",
				"customer": customer,
				"priority": priority[0] if priority else None,
				"opening_date": opened.date(),
				"opening_time": opened.time(),
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	return len(customers)
