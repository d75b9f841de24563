"""The monthly invoicing run and what lies around it (docs/rules.md B): ``inputs`` (what a run reads),
``rating`` (what a contract's invoice holds, nothing written), ``run`` (a contract billed exactly once),
``hour_bank`` (the ledger and its check), ``unbilled`` and ``bank_warnings`` (the bank foreseen from
logged work: its warnings and overage, F2), ``corrections`` (billed work corrected, billed as the
difference) and ``guards`` (the hooks on ERPNext's documents that keep billed work billed once). The
names others use are handed on here."""

from support_contracts.adapters.billing.hour_bank import hour_bank_balance
from support_contracts.adapters.billing.inputs import (
	ERROR,
	KIND,
	month_of,
	time_on_tickets,
	unit_key,
	units_to_bill,
)
from support_contracts.adapters.billing.rating import rate_contract
from support_contracts.adapters.billing.run import (
	ALREADY,
	INVOICED,
	NOT_BILLED,
	NOTHING,
	bill_contract,
	preview,
	run_chunk,
)

__all__ = [
	"ALREADY",
	"ERROR",
	"INVOICED",
	"KIND",
	"NOTHING",
	"NOT_BILLED",
	"bill_contract",
	"hour_bank_balance",
	"month_of",
	"preview",
	"rate_contract",
	"run_chunk",
	"time_on_tickets",
	"unit_key",
	"units_to_bill",
]
