"""Shares made before sharing was limited to reading (docs/permissions.md): take back write, submit and
share granted through a DocShare on the app's documents."""

import frappe

from support_contracts.doctypes import APP_DOCTYPES


def execute():
	share = frappe.qb.DocType("DocShare")
	(
		frappe.qb.update(share)
		.set(share.write, 0)
		.set(share.submit, 0)
		.set(share.share, 0)
		.where(share.share_doctype.isin(APP_DOCTYPES))
		.where((share.write == 1) | (share.submit == 1) | (share.share == 1))
	).run()
