"""Issues governed by a support contract (docs/rules.md A–E): ``save`` (the lifecycle of a save, wired in
hooks.py), ``fields`` (what the app's fields hold and what typed values may be), ``contracts`` (which
contract governs), ``clock`` (the events of a save, replayed by the engine, stored), ``ledger`` (the SLA
Clock Event ledger), ``levels`` (teams, first line, escalation), ``signoff`` (the client's word on a fix)
and ``on_call`` (labels and the Incident Fee of a call-in). The names others use are handed on here."""

from support_contracts.adapters.issue.clock import clock_report, refresh
from support_contracts.adapters.issue.contracts import active_contract, on_call_fee
from support_contracts.adapters.issue.fields import ALERT, OPEN, STATUS_LABEL, alert_rank, alert_state
from support_contracts.adapters.issue.ledger import append_events, stored_events
from support_contracts.adapters.issue.levels import escalate, log_proactive_action, senior_priorities
from support_contracts.adapters.issue.signoff import approval, record_signoff, sign_off, sign_off_by_silence

__all__ = [
	"ALERT",
	"OPEN",
	"STATUS_LABEL",
	"active_contract",
	"alert_rank",
	"alert_state",
	"append_events",
	"approval",
	"clock_report",
	"escalate",
	"log_proactive_action",
	"on_call_fee",
	"record_signoff",
	"refresh",
	"senior_priorities",
	"sign_off",
	"sign_off_by_silence",
	"stored_events",
]
