"""Frappe glue: documents in, engine dataclasses out, results stored (architecture.md).

- :mod:`.times` — the one place where Frappe's naive system-time-zone datetimes become aware and back.
- :mod:`.specs` — Support Calendar / Support Tier / Jour Pay Scheme documents → engine objects, cached by
  the documents' ``modified``.
- :mod:`.issue` — Issue and Communication hooks: governed issues get engine due times.
- :mod:`.enforcement` — the scheduled, set-based SLA scan (warning, breach, escalation, exactly once).
"""
