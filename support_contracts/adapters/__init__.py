"""Frappe glue: documents in, engine objects out, results stored (docs/architecture.md).

- :mod:`.firm` — Support Calendar / Support Tier / Jour Pay Scheme documents ↔ the firm format (both
  ways), read by the engine's one parser; compiled objects cached by the documents' ``modified``.
- :mod:`.times` — the one place where Frappe's naive system-time-zone datetimes become aware and back.
- :mod:`.validation` — every form's input checked before anything reads it.
- :mod:`.issue` — Issue and Communication hooks: governed issues get engine due times.
- :mod:`.enforcement` — the scheduled, set-based SLA scan: the engine's escalation table run over the
  database (warning, breach, escalation, exactly once).
"""
