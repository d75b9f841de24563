# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from support_contracts.permissions import AppendOnlyLedger


class SLATransition(AppendOnlyLedger):
	"""A warning, breach or escalation of an Issue, recorded exactly once (see adapters/enforcement.py);
	append-only like the clock ledger."""

	def autoname(self):
		due = f"|{self.due}" if self.due else ""
		self.name = f"{self.issue}|{self.transition}{due}"
