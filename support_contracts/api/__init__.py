"""Every whitelisted method of the app, at the stable dotted paths ``docs/api.md`` documents, one module per
audience: ``desk`` (agents, managers, HR in the Desk), ``portal`` (a customer's contacts), ``monitoring``
(a customer's monitoring system) and ``on_call`` (the rota: phone switches, calendars). Each checks who
may call and hands on to the adapters; moving an adapter never moves a public path."""
