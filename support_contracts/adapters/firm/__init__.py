"""A firm is one plain structure (``docs/formats.md``); this package is the only translation between it and
the Desk's documents, both ways, and the parser that validates it is the engine's (``engine/config``):
``calendars``, ``tiers`` and ``pay_schemes`` translate, ``format`` holds the words and values they share,
``cache`` keeps what was compiled by the documents' ``modified``. The names others use are handed on
here."""

from support_contracts.adapters.firm.cache import pay_scheme, policy, rating_tier
from support_contracts.adapters.firm.calendars import calendar, calendar_document, calendar_spec_from_doc
from support_contracts.adapters.firm.format import decimal, throw
from support_contracts.adapters.firm.pay_schemes import (
	DEFAULT_STIPEND_COMPONENT,
	pay_scheme_document,
	pay_scheme_from_doc,
)
from support_contracts.adapters.firm.tiers import pricing_calendar, tier_document, validated_tier

__all__ = [
	"DEFAULT_STIPEND_COMPONENT",
	"calendar",
	"calendar_document",
	"calendar_spec_from_doc",
	"decimal",
	"pay_scheme",
	"pay_scheme_document",
	"pay_scheme_from_doc",
	"policy",
	"pricing_calendar",
	"rating_tier",
	"throw",
	"tier_document",
	"validated_tier",
]
