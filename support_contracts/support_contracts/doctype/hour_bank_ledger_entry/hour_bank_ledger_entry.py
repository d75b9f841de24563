# Copyright (c) 2026, support_contracts developers and contributors
# For license information, please see license.txt

from support_contracts.permissions import AppendOnlyLedger


class HourBankLedgerEntry(AppendOnlyLedger):
	"""One movement of a contract's hour bank (docs/rules.md B2), written by the invoicing run
	(``adapters/billing.py``); append-only. A cancelled invoice marks its rows cancelled, it never edits
	or deletes them."""
