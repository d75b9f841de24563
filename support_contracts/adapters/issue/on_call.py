"""An on-call ticket (docs/rules.md A6, C4) — an Issue, or an HD Ticket where Helpdesk is installed: opened
in its contract's on-call window, it is labelled Production and Jour and costs its Incident Fee, once."""

from __future__ import annotations

import frappe
from frappe.desk.doctype.tag.tag import DocTags

from support_contracts.adapters.helpdesk import customer_of
from support_contracts.adapters.issue.contracts import on_call_fee
from support_contracts.adapters.issue.fields import LABELS
from support_contracts.adapters.times import naive


def _label(doc, labels) -> None:
	"""Add Frappe tags (``_user_tags`` and their Tag Links) as the system: the labels are the app's rule,
	whoever opened the Issue — a customer's contact on the portal may not write Issues, and Frappe's own
	``DocTags.add`` checks the user's write permission."""
	have = [t for t in (DocTags(doc.doctype).get_tags(doc.name) or "").split(",") if t]
	new = [label for label in labels if label not in have]
	if not new:
		return
	for label in new:
		if not frappe.db.exists("Tag", label):
			frappe.get_doc({"doctype": "Tag", "name": label}).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Tag Link",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"title": doc.name,  # not the subject: Frappe lets every user read Tag Links
				"tag": label,
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value(
		doc.doctype, doc.name, "_user_tags", "," + ",".join(have + new), update_modified=False
	)


def on_call_issue(doc, contract, called_at) -> None:
	"""docs/rules.md C4: every on-call case is labelled Production and Jour; A6: a call-in has its fee,
	called in when the ticket was opened (``called_at``)."""
	_label(doc, LABELS)
	if frappe.db.exists("Incident Fee", {"ticket_type": doc.doctype, "issue": doc.name}):
		return
	frappe.get_doc(
		{
			"doctype": "Incident Fee",
			"ticket_type": doc.doctype,
			"issue": doc.name,
			"customer": customer_of(doc),
			"support_contract": contract.name,
			"called_at": naive(called_at),
			**(on_call_fee(contract, called_at) or {}),
		}
	).insert(ignore_permissions=True)
