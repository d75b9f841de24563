# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from support_contracts.permissions import AppendOnlyLedger


class SLAClockEvent(AppendOnlyLedger):
	"""One event of a governed Issue's SLA clock; the ledger is append-only and replayed by the engine."""
