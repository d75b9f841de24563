# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_contracts.adapters import specs
from support_contracts.engine.errors import EngineError


class SupportTier(Document):
	"""A support level's SLA targets, prices and terms (rules.md A, B, D, E)."""

	def validate(self):
		self.validate_money()
		self.validate_targets()
		self.validate_priorities_in_use()

	def validate_targets(self):
		try:
			policy = specs.policy_from_doc(self)
		except EngineError as e:
			specs.throw(e, self.doctype)
		if self.default_priority and self.default_priority not in policy.targets:
			frappe.throw(
				_("The default priority {0} has no targets in this tier.").format(
					frappe.bold(self.default_priority)
				)
			)

	def validate_priorities_in_use(self):
		"""A tier cannot lose the targets of a priority that open governed Issues use."""
		if self.is_new():
			return
		have = {row.priority for row in self.targets}
		in_use = frappe.get_all(
			"Issue",
			filters={"sc_support_tier": self.name, "status": ("in", ("Open", "Replied", "On Hold"))},
			pluck="priority",
			distinct=True,
		)
		missing = sorted({p for p in in_use if p} - have)
		if missing:
			frappe.throw(
				_(
					"Open Issues of this tier use priority {0}, which would have no SLA targets. Add targets for it."
				).format(", ".join(frappe.bold(p) for p in missing)),
				title=_("Priority in Use"),
			)

	def validate_money(self):
		for field, low in (("warning_at", 1), ("sla_credit_percent", 0), ("sla_credit_cap_percent", 0)):
			value = self.get(field) or 0
			if field == "warning_at" and not value:
				continue
			if not low <= value <= 100:
				frappe.throw(
					_("{0} must be between {1} % and 100 % (got {2} %).").format(
						frappe.bold(_(self.meta.get_label(field))), low, value
					)
				)
		if (self.holiday_factor or 0) <= 0:
			frappe.throw(_("Weekend/Holiday Factor must be positive."))
		for field in ("phone_increment", "remote_increment", "on_site_increment", "travel_increment"):
			if (self.get(field) or 0) < 1:
				frappe.throw(_("{0} must be at least 1 minute.").format(_(self.meta.get_label(field))))
		if self.hour_bank_hours and (self.hour_bank_hours * 60) % 1:
			frappe.throw(_("Hours per Period must be whole minutes."))
		zones = [row.zone for row in self.travel_zones]
		if len(zones) != len(set(zones)):
			frappe.throw(_("Travel zones must be unique."))
