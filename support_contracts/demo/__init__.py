"""The demo, in one place.

- :mod:`.engine` — the stories ``support-contracts demo`` tells with the engine alone (no bench): tickets
  and their SLA clocks, a month's invoices, a month's on-call pay, all from the example firms.
- :mod:`.site` — the same example firms loaded into a site as documents (optional, never forced):
  ``bench --site SITE execute support_contracts.demo.site.make_demo``.
"""
