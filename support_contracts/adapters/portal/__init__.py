"""The customer's self-service portal (docs/portal.md): ``views`` (what a contact sees: contracts, hour bank,
tickets with their clocks, what a ticket reported now is promised) and ``actions`` (what a contact does:
report, reply, sign off, rate, decide on overage). Who a contact acts for is ``adapters/access.py``'s. The names others use are
handed on here."""

from support_contracts.adapters.portal.actions import (
	REPORT_METHOD,
	decide_overage,
	promise_for,
	rate,
	rate_by_link,
	reply,
	report_incident,
	sign_off,
)
from support_contracts.adapters.portal.views import (
	clock_view,
	contract_view,
	form_options,
	hour_bank,
	messages,
	promise,
	subject_text,
	tickets,
	when,
)

__all__ = [
	"REPORT_METHOD",
	"clock_view",
	"contract_view",
	"decide_overage",
	"form_options",
	"hour_bank",
	"messages",
	"promise",
	"promise_for",
	"rate",
	"rate_by_link",
	"reply",
	"report_incident",
	"sign_off",
	"subject_text",
	"tickets",
	"when",
]
