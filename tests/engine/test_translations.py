"""Every string of the app is translated into Swedish and Norwegian Bokmål: what Frappe extracts for
translation (``locale/main.pot``: doctypes, fields, reports, workspace, messages — kept current by the
bench test ``test_translation_template``), the custom fields the app adds to ERPNext's doctypes, and the
words the portal passes through ``_`` at run time (the engine's phrases). Read from the sources and the
.po files; no Frappe needed."""

import ast
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "support_contracts"
LOCALES = ("sv", "nb")
# where the portal's words come from: its pages, its adapter, the engine phrases it translates
TEMPLATES = [*sorted((APP / "www").rglob("*.html")), *sorted((APP / "templates" / "includes").glob("*.html"))]
PYTHON = [
	*sorted((APP / "adapters" / "portal").glob("*.py")),
	APP / "adapters" / "access.py",
	*sorted((APP / "www").rglob("*.py")),
]
JS = [
	APP / "public" / "js" / "issue_list.js",
	APP / "public" / "js" / "issue.js",
	APP / "support_contracts" / "doctype" / "support_calendar" / "support_calendar.js",
]
JINJA = re.compile(r"""_\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")
JS_CALL = re.compile(r"""__\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")


def portal_strings() -> set[str]:
	"""Literal strings passed to ``_`` / ``__`` in the portal's sources, and the engine's phrases the
	portal passes through ``_`` (coverage, targets, metric names, weekdays, countries, de-facto days)."""
	found: set[str] = set()
	for path in TEMPLATES:
		found |= set(JINJA.findall(path.read_text()))
	for path in JS:
		found |= set(JS_CALL.findall(path.read_text()))
	for path in PYTHON:
		for node in ast.walk(ast.parse(path.read_text())):
			if (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Name)
				and node.func.id == "_"
				and node.args
				and isinstance(node.args[0], ast.Constant)
				and isinstance(node.args[0].value, str)
			):
				found.add(node.args[0].value)
	for path in (APP / "engine" / "calendar.py", APP / "engine" / "coverage.py", APP / "engine" / "sla.py"):
		for node in ast.walk(ast.parse(path.read_text())):
			if (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Name)
				and node.func.id == "tr"
				and node.args
				and isinstance(node.args[0], ast.Constant)
			):
				found.add(node.args[0].value)
	from support_contracts.engine.calendar import WEEKDAYS
	from support_contracts.engine.public_holidays import COUNTRY_NAMES, DE_FACTO, EARLY_CLOSING
	from support_contracts.engine.targets import METRIC_LABELS
	from support_contracts.engine.tiers import BANK_PERIODS

	found |= set(WEEKDAYS) | set(COUNTRY_NAMES.values()) | set(METRIC_LABELS.values()) | set(BANK_PERIODS)
	found |= {name for days in DE_FACTO.values() for name, _rule in days}
	found |= {name for _closing, days in EARLY_CLOSING.values() for name, _rule in days}
	# the priorities' meaning (setup/install.py, read as text: it needs Frappe), shown on the portal
	for node in ast.walk(ast.parse((APP / "setup" / "install.py").read_text())):
		if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "PRIORITIES":
			found |= set(ast.literal_eval(node.value).values())
	return {s for s in found if s.strip()}


def template_strings() -> set[str]:
	"""The msgids of ``locale/main.pot``, as Frappe's ``generate-pot-file`` writes it (one line each)."""
	text = (APP / "locale" / "main.pot").read_text()
	return {ast.literal_eval(f'"{m}"') for m in re.findall(r'^msgid "((?:[^"\\]|\\.)*)"$', text, re.M)} - {""}


def custom_field_strings() -> set[str]:
	"""Labels, descriptions and Select options of the custom fields ``setup/custom_fields.py`` adds (Frappe
	shows them through ``__``, but no extractor reads them), and the app's role names (``setup/install.py``)."""
	found: set[str] = set()
	trees = [ast.parse((APP / "setup" / f).read_text()) for f in ("custom_fields.py", "install.py")]
	for node in (n for tree in trees for n in ast.walk(tree)):
		if isinstance(node, ast.Dict):
			fields = {
				k.value: v.value
				for k, v in zip(node.keys, node.values, strict=True)
				if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)
			}
			if "fieldname" in fields:
				found |= {fields[k] for k in ("label", "description") if fields.get(k)}
				if fields.get("fieldtype") == "Select":
					found |= set(fields.get("options", "").split("\n"))
		if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "ROLES":
			found |= set(ast.literal_eval(node.value))
	return {s for s in found if s.strip()}


def catalogue(locale: str) -> dict[str, str]:
	"""msgid → msgstr of the app's .po file (single-line entries, as the project writes them)."""
	text = (APP / "locale" / f"{locale}.po").read_text()
	pairs = re.findall(r'^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"', text, re.M)
	return {ast.literal_eval(f'"{k}"'): ast.literal_eval(f'"{v}"') for k, v in pairs}


def test_the_portal_has_strings_to_translate():
	strings = portal_strings()
	assert {"Report an Incident", "Hour Bank", "closed on {0}", "Mon", "Action start"} <= strings


def test_the_desk_has_strings_to_translate():
	assert {"Support Contract", "SLA Compliance", "Hour Bank Ledger Entry", "90th Percentile (h)"} <= (
		template_strings()
	)
	assert {"Contract SLA Status", "Error Category (SSA-L)", "Serious", "Support Agent"} <= (
		custom_field_strings()
	)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_portal_string_is_translated(locale):
	have = catalogue(locale)
	missing = sorted(s for s in portal_strings() if not have.get(s))
	assert not missing, f"{locale}.po lacks {len(missing)}: {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_string_of_the_desk_is_translated(locale):
	have = catalogue(locale)
	missing = sorted(s for s in template_strings() | custom_field_strings() if not have.get(s))
	assert not missing, f"{locale}.po lacks {len(missing)}: {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale):
	for msgid, msgstr in catalogue(locale).items():
		if msgstr:
			assert sorted(re.findall(r"\{\d\}", msgid)) == sorted(re.findall(r"\{\d\}", msgstr)), msgid
