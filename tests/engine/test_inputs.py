"""Input files for the CLI: CSV, JSON and YAML, and errors that name the file, record and field."""

import json

import pytest

from support_contracts import inputs
from support_contracts.engine.errors import InputError


def write(tmp_path, name, text):
	p = tmp_path / name
	p.write_text(text, encoding="utf-8")
	return str(p)


def test_entries_from_csv_json_yaml_are_the_same(tmp_path):
	csv_path = write(
		tmp_path,
		"e.csv",
		"id,start,end,minutes,kind,ticket,warranty\nE1,2026-05-05T09:00+02:00,,20,phone,T1,yes\n",
	)
	json_path = write(
		tmp_path,
		"e.json",
		json.dumps(
			[
				{
					"id": "E1",
					"start": "2026-05-05T09:00+02:00",
					"minutes": 20,
					"kind": "phone",
					"ticket": "T1",
					"warranty": True,
				}
			]
		),
	)
	yaml_path = write(
		tmp_path,
		"e.yaml",
		"- {id: E1, start: '2026-05-05T09:00+02:00', minutes: 20, kind: phone, ticket: T1, warranty: yes}\n",
	)
	loaded = [inputs.load_entries(p) for p in (csv_path, json_path, yaml_path)]
	assert loaded[0] == loaded[1] == loaded[2]
	assert loaded[0][0].warranty is True and loaded[0][0].minutes == 20


def test_time_without_offset_needs_tz(tmp_path):
	p = write(tmp_path, "e.csv", "id,start,minutes,kind\nE1,2026-05-05T09:00,20,phone\n")
	with pytest.raises(InputError, match=r"e.csv record 1: start.*no UTC offset"):
		inputs.load_entries(p)
	assert inputs.load_entries(p, tz="Europe/Stockholm")[0].start.utcoffset().total_seconds() == 7200


@pytest.mark.parametrize(
	"row,match",
	[
		("E1,2026-05-05T09:00+02:00,-5,phone", "minutes"),
		("E1,2026-05-05T09:00+02:00,20,carpentry", "kind"),
		("E1,yesterday,20,phone", "ISO 8601"),
		("E1,2026-05-05T09:00+02:00,lots,phone", "whole number"),
	],
)
def test_bad_rows_name_record_and_field(tmp_path, row, match):
	p = write(tmp_path, "e.csv", "id,start,minutes,kind\n" + row + "\n")
	with pytest.raises(InputError, match=match) as e:
		inputs.load_entries(p)
	assert "record 1" in str(e.value)


def test_jour_weeks_and_activations(tmp_path):
	w = write(tmp_path, "w.csv", "employee,week,level\nanna,2026-W25,Jour 2\n")
	assert inputs.load_on_call_weeks(w)[0].monday.isoformat() == "2026-06-15"
	bad = write(tmp_path, "w2.csv", "employee,week,level\nanna,week 25,Jour 2\n")
	with pytest.raises(InputError, match="ISO week"):
		inputs.load_on_call_weeks(bad)
	a = write(
		tmp_path, "a.csv", "id,employee,start,end\nA1,anna,2026-06-19T10:00+02:00,2026-06-19T09:00+02:00\n"
	)
	with pytest.raises(InputError, match="a.csv record 1: activation A1: end"):
		inputs.load_activations(a)


def test_missing_and_unreadable_files(tmp_path):
	with pytest.raises(InputError, match="no such file"):
		inputs.read_records(str(tmp_path / "nope.csv"))
	with pytest.raises(InputError, match=r"\.csv, \.json or \.yaml"):
		inputs.read_records(write(tmp_path, "x.txt", "hello"))
	with pytest.raises(InputError, match="list of records"):
		inputs.read_records(write(tmp_path, "x.json", '{"a": 1}'))
