"""The rating link of a resolution e-mail (docs/rules.md F4): when a governed Issue is resolved and Support
Contract Settings › *E-mail a Rating Link When a Ticket Is Resolved* is on, the ticket's contact gets an
e-mail, in their language, with a link to rate it without logging in. The link is signed by a secret only
the e-mail holds — the Issue keeps its SHA-256, never the secret — works once (the secret is cleared when
the rating is stored) and expires after the settings' days. A wrong, used or expired link answers the
same, naming nothing of the ticket. The page is ``www/support/rate``; the rating is stored by
``portal/actions.rate_by_link``."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import secrets
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import escape_html, format_datetime, get_url

from support_contracts.adapters.languages import language_of, queue_mail
from support_contracts.adapters.settings import setting
from support_contracts.adapters.times import aware, naive, now
from support_contracts.engine.verdict import RATED_STATUSES

PAGE = "/support/rate"


def ask_on_resolution(doc, before) -> bool:
	"""Whether this save resolves the Issue and its contact is to be asked for a rating: it moved into a
	resolved status, it has no rating yet, and the settings ask."""
	return bool(
		doc.doctype == "Issue"
		and doc.status in RATED_STATUSES
		and (before is None or before.status not in RATED_STATUSES)
		and not doc.get("sc_rating")
		and setting("rating_links")
	)


def digest(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def send(doc) -> str | None:
	"""A new link for the Issue (any earlier one stops working) mailed to its contact: the address the
	ticket came from, else its Contact's. Returns the address, or None where there is none."""
	email = doc.raised_by or (doc.contact and frappe.db.get_value("Contact", doc.contact, "email_id"))
	if not email:
		return None
	token = secrets.token_urlsafe(32)
	expires = naive(now()) + dt.timedelta(days=setting("rating_link_days") or 14)
	frappe.db.set_value(
		"Issue",
		doc.name,
		{"sc_rating_token": digest(token), "sc_rating_link_expires": expires},
		update_modified=False,
	)
	lang = language_of(frappe.db.get_value("User", {"email": email}, "name"), doc.customer)
	link = get_url(f"{PAGE}?{urlencode({'ticket': doc.name, 'token': token})}")
	queue_mail(
		recipients=[email],
		subject=_("How did we do? Ticket {0} is resolved", lang=lang).format(doc.name),
		message='<p>{}</p><p><a href="{}">{}</a></p><p>{}</p>'.format(
			escape_html(
				_(
					"Your ticket {0} ({1}) is resolved. Tell us how it was handled: rate it from 1 to 5.",
					lang=lang,
				).format(doc.name, html.unescape(doc.subject or ""))  # stored escaped: escaped once, below
			),
			escape_html(link),
			escape_html(_("Rate the ticket", lang=lang)),
			escape_html(_("The link works once, until {0}.", lang=lang).format(format_datetime(expires))),
		),
		reference_doctype="Issue",
		reference_name=doc.name,
	)
	return email


def ticket_of_link(ticket, token, lock: bool = False) -> object | None:
	"""The Issue a link rates, or None where the link is not (or no longer) good: an unknown ticket, a
	wrong or used secret, an expired link, a ticket rated already or no longer resolved. ``lock``: the
	Issue's row is locked first, so that of two uses at once the second finds the link used."""
	if not isinstance(ticket, str) or not isinstance(token, str) or not ticket or not token:
		return None
	stored = frappe.db.get_value(
		"Issue",
		ticket,
		["name", "sc_rating_token", "sc_rating_link_expires", "sc_rating", "status"],
		as_dict=True,
		for_update=lock,
	)
	if not stored or not stored.sc_rating_token or stored.sc_rating or stored.status not in RATED_STATUSES:
		return None
	if not hmac.compare_digest(stored.sc_rating_token, digest(token)):
		return None
	if not stored.sc_rating_link_expires or aware(stored.sc_rating_link_expires) <= now():
		return None
	return frappe.get_doc("Issue", ticket)
