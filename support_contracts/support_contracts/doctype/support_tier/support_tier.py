# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from support_contracts.adapters import firm, prices
from support_contracts.adapters.billing import guards
from support_contracts.engine.errors import EngineError


class SupportTier(Document):
	"""A support level's SLA targets, prices and terms (docs/rules.md A, B, D, E). The tier is read through
	the firm format's parser (``adapters/firm/``): whatever the engine cannot use is refused at save with
	the field named."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from support_contracts.support_contracts.doctype.support_tier_item.support_tier_item import (
			SupportTierItem,
		)
		from support_contracts.support_contracts.doctype.support_tier_target.support_tier_target import (
			SupportTierTarget,
		)
		from support_contracts.support_contracts.doctype.support_tier_team.support_tier_team import (
			SupportTierTeam,
		)
		from support_contracts.support_contracts.doctype.support_tier_travel_zone.support_tier_travel_zone import (
			SupportTierTravelZone,
		)

		after_hours_rate: DF.Currency
		business_calendar: DF.Link
		currency: DF.Link | None
		default_priority: DF.Link | None
		description: DF.SmallText | None
		fee_in_arrears: DF.Check
		first_level: DF.Literal["Level 1", "Level 2", "Level 3"]
		first_line_role: DF.Link | None
		has_incident_model: DF.Check
		holiday_factor: DF.Float
		hour_bank_carry_over: DF.Check
		hour_bank_covers: DF.Literal["Business Hours Work", "All Work"]
		hour_bank_hours: DF.Float
		hour_bank_overage_approval: DF.Check
		hour_bank_period: DF.Literal["Month", "Quarter", "Year"]
		hour_bank_warn_at: DF.Data | None
		hourly_rate: DF.Currency
		incident_fee: DF.Currency
		incident_included_minutes: DF.Int
		incident_model_name: DF.Data | None
		index_base_period: DF.Data | None
		index_cap_percent: DF.Data | None
		index_floor_percent: DF.Data | None
		index_rounding: DF.Literal["0.01", "0.1", "1", "10", "100"]
		invoice_items: DF.Table[SupportTierItem]
		maintenance_max_minutes: DF.Int
		maintenance_per_quarter: DF.Int
		manager_escalation_after: DF.Duration | None
		monitoring_unit_price: DF.Currency
		monitoring_units_included: DF.Int
		monthly_fee: DF.Currency
		on_site_increment: DF.Int
		on_site_minimum: DF.Int
		pause_on_replied: DF.Check
		per_started_hour: DF.Check
		phone_increment: DF.Int
		price_index: DF.Link | None
		pricing_calendar: DF.Link | None
		remote_increment: DF.Int
		renewal: DF.Literal["", "Automatic", "Manual"]
		reporting_cadence: DF.Literal["", "Weekly", "Monthly", "Quarterly", "Yearly"]
		requires_client_signoff: DF.Check
		requires_training: DF.Check
		review_cadence: DF.Literal["", "Monthly", "Quarterly", "Half-yearly", "Yearly"]
		rollback_start_within: DF.Duration | None
		senior_priorities: DF.SmallText | None
		signoff_timeout: DF.Duration | None
		sla_credit_cap_percent: DF.Percent
		sla_credit_percent: DF.Percent
		sla_credit_priorities: DF.SmallText | None
		support_teams: DF.Table[SupportTierTeam]
		targets: DF.Table[SupportTierTarget]
		term_months: DF.Int
		tier_name: DF.Data
		travel_increment: DF.Int
		travel_zones: DF.Table[SupportTierTravelZone]
		warning_at: DF.Percent
		warranty_free: DF.Check
	# end: auto-generated types

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
		guards.check_invoice_items(self)
		prices.check_clause(self)  # its indexation clause (docs/rules.md F3)

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
