"""The hour sheet for the school (services/gateway/attestation.py hour_sheet): each log's kind,
and who validated it — the tutor, or the attendance sheet for a training session's hours."""

import csv
from io import StringIO

from services.gateway import attestation


def log(**overrides):
    return {
        "starts_at": "2026-12-07T09:00:00+01:00",
        "ends_at": "2026-12-07T12:30:00+01:00",
        "hours": "3.50",
        "kind": "on_site",
        "source": "trainee",
        "status": "validated",
        "validated_by": "tutor-1",
        "validated_at": "2026-12-07T18:00:00+01:00",
        **overrides,
    }


def rows(text):
    return list(csv.reader(StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_an_on_site_log_is_validated_by_its_tutor_and_a_training_one_by_the_attendance_sheet():
    training = log(kind="training", source="education", validated_by=None)
    header, on_site, credited = rows(attestation.hour_sheet([log(), training], {"tutor-1": "Inès Roy"}))
    assert header == list(attestation.SHEET_COLUMNS)
    assert on_site == ["07/12/2026", "09:00", "12:30", "3,50", "sur place", "validée", "Inès Roy", "07/12/2026 18:00"]
    assert credited[3:7] == ["3,50", "formation", "validée", "feuille d'émargement"]


def test_a_log_waiting_for_its_tutor_names_no_one():
    [_, waiting] = rows(attestation.hour_sheet([log(status="submitted", validated_by=None, validated_at=None)]))
    assert waiting[4:] == ["sur place", "à valider", "", ""]
