# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SupportTierTeam(Document):
	"""A support level's team on a tier (docs/rules.md E5): new requests and escalations are assigned to it."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		level: DF.Literal["Level 1", "Level 2", "Level 3", "Support Manager"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		senior: DF.Check
		team: DF.Link
	# end: auto-generated types
