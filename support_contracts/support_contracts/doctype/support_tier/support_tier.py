# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from support_contracts.adapters import billing, firm
from support_contracts.engine.errors import EngineError


class SupportTier(Document):
	"""A support level's SLA targets, prices and terms (docs/rules.md A, B, D, E). The tier is read through
	the firm format's parser (``adapters/firm.py``): whatever the engine cannot use is refused at save with
	the field named."""

	def validate(self):
		try:
			policy, _prices = firm.validated_tier(self)
		except EngineError as e:
			firm.throw(e, self.doctype)
		if self.default_priority and self.default_priority not in policy.targets:
			frappe.throw(
				_("The default priority {0} has no targets in this tier.").format(
					frappe.bold(self.default_priority)
				)
			)
		self.validate_priorities_in_use()
		self.validate_terms(policy)
		billing.check_invoice_items(self)

	def on_update(self):
		"""A new grace before the manager is told re-times the breaches of this tier not yet escalated
		(docs/rules.md E5: ``enforcement.retime_manager_escalations``)."""
		if not self.is_new() and self.has_value_changed("manager_escalation_after"):
			from support_contracts.adapters.enforcement import retime_manager_escalations

			retime_manager_escalations(self.name)

	def validate_terms(self, policy):
		"""Client sign-off needs a silence time above zero (docs/rules.md C2); senior priorities must be the
		tier's own (E5)."""
		if self.requires_client_signoff and cint(self.signoff_timeout) <= 0:
			frappe.throw(
				_("{0} must be more than zero when a fix needs the client's sign-off.").format(
					frappe.bold(_("Silence Counts as Approval After"))
				)
			)
		from support_contracts.adapters.issue import senior_priorities

		unknown = [p for p in senior_priorities(self) if p not in policy.targets]
		if unknown:
			frappe.throw(
				_("{0}: {1} has no targets in this tier.").format(
					frappe.bold(_("Priorities for Senior Staff")), ", ".join(unknown)
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
