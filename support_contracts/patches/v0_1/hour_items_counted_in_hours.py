"""The app's time items were made with the UOM Nos, which refuses a fraction (10 minutes = 0.167 h): an
item not yet on any transaction moves to Hour."""

import frappe

from support_contracts.engine.tiers import ITEMS
from support_contracts.setup.install import item_uom


def execute():
	for code, (_name, unit) in ITEMS.items():
		uom = item_uom(unit)
		if frappe.db.get_value("Item", code, "stock_uom") in (None, uom):
			continue
		used = any(
			frappe.db.exists(child, {"item_code": code})
			for child in ("Sales Invoice Item", "Sales Order Item", "Quotation Item", "Delivery Note Item")
		)
		if not used:
			item = frappe.get_doc("Item", code)
			item.stock_uom = uom
			item.uoms = []
			item.save(ignore_permissions=True)
