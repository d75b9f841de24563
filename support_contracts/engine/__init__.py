"""The frappe-free rule engine of support_contracts.

Every rule of ``docs/rules.md`` that is arithmetic on time and money lives here, in modules named
for the domain:

- :mod:`.calendar` — business calendars (opening windows, holidays, closures) compiled to an index of
  open intervals; ``add``, ``between``, ``next_open``, ``end_of_business_day``.
- :mod:`.sla` — SLA targets, policies (priority → targets) and clocks replayed from ticket events.
- :mod:`.config` — turns plain data (the shipped YAML examples, a Frappe document) into engine objects.

Nothing here imports frappe, reads the clock or does I/O: the caller passes ``now``.
"""
