"""The CLI as a newcomer uses it: tables, --json, and one clear error line with exit code 2."""

import json
import subprocess
import sys

import pytest

from support_contracts.cli import main


def run(capsys, *argv):
	code = main(list(argv))
	out = capsys.readouterr()
	return code, out.out, out.err


def test_due_by_tier_and_priority(capsys):
	code, out, _ = run(
		capsys,
		"due",
		"--firm",
		"trinax",
		"--tier",
		"alert",
		"--priority",
		"P1",
		"--start",
		"2026-06-18T16:30+02:00",
	)
	assert code == 0
	assert "action_start" in out and "Mon 2026-06-22 08:30 CEST" in out


def test_due_by_target_json(capsys):
	code, out, _ = run(
		capsys,
		"due",
		"--firm",
		"ezy",
		"--calendar",
		"office",
		"--target",
		"3h from next opening",
		"--start",
		"2026-06-19T10:00",
		"--tz",
		"Europe/Stockholm",
		"--json",
	)
	assert code == 0
	assert json.loads(out)["rows"][0]["due"] == "2026-06-22T11:00:00+02:00"


def test_tier_fit_prices_mays_work_under_each_tier(capsys):
	# May 2026's example entries (5 h of remote and phone work, 45 min of warranty work) for Alert!'s TRX-001:
	# Alert! 8,000 (the 5 h from 15 h); Attend! 3,000 (from 6 h); Access! 500 + 1 h beyond its 4 h at 940;
	# without a contract 6 h at 980 (the warranty work billed, rounded up to 1 h)
	code, out, _ = run(
		capsys,
		"tier-fit",
		"--firm",
		"trinax",
		"--contract",
		"TRX-001",
		"--from",
		"2026-05",
		"--to",
		"2026-05",
		"--entries",
		"support_contracts/examples/data/trinax-2026-05-entries.csv",
		"--json",
	)
	assert code == 0
	tiers = {t["tier"]: t for t in json.loads(out)["tiers"]}
	assert {k: t["total"] for k, t in tiers.items()} == {
		"alert": "8000.00",
		"attend": "3000.00",
		"access": "1440.00",
		"no_contract": "5880.00",
	}
	assert [k for k, t in tiers.items() if t["cheapest"]] == ["access"]
	assert tiers["alert"]["current"]


def test_tier_fit_refuses_months_the_wrong_way_round(capsys):
	code, _out, err = run(
		capsys,
		"tier-fit",
		"--firm",
		"trinax",
		"--contract",
		"TRX-001",
		"--from",
		"2026-06",
		"--to",
		"2026-05",
	)
	assert code == 2 and "--from" in err


def test_calendar_shows_closed_days_with_their_names(capsys):
	code, out, _ = run(
		capsys,
		"calendar",
		"--firm",
		"pindena",
		"--calendar",
		"support",
		"--from",
		"2026-12-23",
		"--to",
		"2026-12-28",
	)
	assert code == 0
	assert "Christmas Eve (julaften)" in out and "Romjul" in out and "09:00–11:30, 12:00–15:00" in out


def test_demo_table_and_json(capsys):
	code, out, _ = run(capsys, "demo")
	assert code == 0 and "T-13" in out and "breached" in out and "warning" in out
	code, out, _ = run(capsys, "demo", "--json")
	rows = json.loads(out)["rows"]
	t04 = next(r for r in rows if r["ticket"] == "T-04")
	assert t04["status"] == "breached" and t04["due"] == "2026-06-18T16:00:00+02:00"


@pytest.mark.parametrize(
	"argv,message",
	[
		(
			[
				"due",
				"--firm",
				"trinax",
				"--tier",
				"alert",
				"--priority",
				"P9",
				"--start",
				"2026-06-18T16:30+02:00",
			],
			"priority",
		),
		(
			["due", "--firm", "trinax", "--tier", "alert", "--priority", "P1", "--start", "2026-06-18T16:30"],
			"no UTC offset",
		),
		(
			["due", "--firm", "trinax", "--tier", "alert", "--priority", "P1", "--start", "tomorrow"],
			"ISO 8601",
		),
		(
			[
				"due",
				"--firm",
				"acme",
				"--tier",
				"alert",
				"--priority",
				"P1",
				"--start",
				"2026-06-18T16:30+02:00",
			],
			"no such example firm",
		),
		(
			[
				"due",
				"--firm",
				"ezy",
				"--target",
				"1h wall",
				"--start",
				"2026-06-18T16:30",
				"--tz",
				"Mars/Base",
			],
			"unknown time zone",
		),
		(
			[
				"calendar",
				"--firm",
				"ezy",
				"--calendar",
				"office",
				"--from",
				"2026-12-31",
				"--to",
				"2026-12-01",
			],
			"before --from",
		),
	],
)
def test_bad_arguments_exit_2_with_a_clear_message(capsys, argv, message):
	code, out, err = run(capsys, *argv)
	assert code == 2 and out == ""
	assert message in err and err.startswith(f"support-contracts {argv[0]}: error:")


def test_python_dash_m_entry_point():
	out = subprocess.run(
		[sys.executable, "-m", "support_contracts", "due", "--help"],
		capture_output=True,
		text=True,
		check=False,
	)
	assert out.returncode == 0 and "--priority" in out.stdout


DATA = "support_contracts/examples/data"


def test_invoice_command(capsys):
	code, out, _ = run(
		capsys,
		"invoice",
		"--firm",
		"ballou",
		"--contract",
		"BAL-002",
		"--month",
		"2026-06",
		"--entries",
		f"{DATA}/ballou-2026-06-entries.csv",
		"--incidents",
		f"{DATA}/ballou-2026-06-incidents.csv",
	)
	assert code == 0 and "Why:" in out
	# 400 fee + 2 call-ins × 1,750 + Saturday overage 2 h × 1,900 (Midsummer Eve work within its included hour)
	assert "total: 7,700.00 SEK" in out


def test_invoice_json_has_decimal_strings(capsys):
	code, out, _ = run(
		capsys,
		"invoice",
		"--firm",
		"trinax",
		"--contract",
		"TRX-001",
		"--month",
		"2026-05",
		"--entries",
		f"{DATA}/trinax-2026-05-entries.csv",
		"--bank-used",
		"12h",
		"--json",
	)
	data = json.loads(out)
	assert code == 0 and data["total"] == "9700.00" and data["bank"]["after_minutes"] == 0


def test_oncall_command(capsys):
	code, out, _ = run(
		capsys,
		"oncall",
		"--firm",
		"ezy",
		"--month",
		"2026-06",
		"--weeks",
		f"{DATA}/ezy-2026-06-jour-weeks.csv",
		"--activations",
		f"{DATA}/ezy-2026-06-activations.csv",
		"--json",
	)
	data = json.loads(out)
	johan = next(e for e in data["employees"] if e["employee"] == "johan.ek")
	# Midsummer week 6,750; Midsummer Eve 10–14 band 2 (1,600); Saturday 05:30–06 band 3 (300), 06–07 band 2 (400)
	assert (
		code == 0
		and johan["total"] == "9050.00"
		and johan["summary"] == "1 × Jourvecka; Band 2: 5h; Band 3: 0h30m"
	)


@pytest.mark.parametrize(
	"argv,message",
	[
		(["invoice", "--firm", "trinax", "--contract", "TRX-999", "--month", "2026-05"], "contract"),
		(["invoice", "--firm", "trinax", "--contract", "TRX-001", "--month", "May"], "YYYY-MM"),
		(
			[
				"invoice",
				"--firm",
				"trinax",
				"--contract",
				"TRX-001",
				"--month",
				"2026-06",
				"--entries",
				f"{DATA}/trinax-2026-05-entries.csv",
			],
			"outside the billing month",
		),
		(
			[
				"oncall",
				"--firm",
				"trinax",
				"--month",
				"2026-06",
				"--weeks",
				f"{DATA}/ezy-2026-06-jour-weeks.csv",
			],
			"pay scheme",
		),
	],
)
def test_money_commands_bad_arguments(capsys, argv, message):
	code, out, err = run(capsys, *argv)
	assert code == 2 and out == "" and message in err
