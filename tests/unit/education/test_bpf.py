"""The bilan pédagogique et financier's aggregation (domain/bpf.py): by funding source, by
participant kind, by the cerfa's lines; every grouping adds up to the same total, and the
hours-trainees are the sum of the participants' hours done."""

from decimal import Decimal

import pytest

from services.education.domain.bpf import (
    INCOME_LINE_OF_FUNDING,
    INCOME_LINES,
    Trainee,
    report,
    self_funded_income,
    trainee_line,
)
from services.education.domain.enrolment import FUNDING, PARTICIPANT_KINDS

D = Decimal


def trainee(session, kind, funding, hours, income, invoiced=True):
    return Trainee(session, f"{session}-{kind}-{funding}-{hours}", kind, funding, D(hours), D(income), invoiced)


TRAINEES = [
    trainee("s1", "professional", "opco", "14", "420"),
    trainee("s1", "professional", "opco", "10.5", "315"),
    trainee("s1", "external", "self_funded", "14", "420"),
    trainee("s1", "trainee", "cpf", "7", "210"),
    trainee("s2", "volunteer", "france_travail", "3.5", "60"),
    trainee("s2", "external", "employer", "3.5", "60"),
    trainee("s2", "professional", "employer", "0", "0"),  # never came: not a trainee
]


def test_the_year_totals_count_trainees_with_hours_their_hours_and_income():
    found = report(2026, TRAINEES)
    assert (found.total.trainees, found.total.hours, found.total.income) == (6, D("52.5"), D("1485"))


def test_hours_trainees_are_the_sum_of_every_participants_hours_done():
    found = report(2026, TRAINEES)
    assert found.total.hours == sum((t.hours for t in TRAINEES), D(0))


def test_by_funding_source_every_kind_is_listed_in_order_and_adds_up():
    found = report(2026, TRAINEES)
    assert list(found.by_funding) == list(FUNDING)
    assert (found.by_funding["opco"].trainees, found.by_funding["opco"].hours) == (2, D("24.5"))
    assert found.by_funding["employer"].trainees == 1  # the one with 0 h is left out
    assert sum(f.trainees for f in found.by_funding.values()) == found.total.trainees
    assert sum((f.income for f in found.by_funding.values()), D(0)) == found.total.income


def test_by_participant_kind_every_kind_is_listed_in_order_and_adds_up():
    found = report(2026, TRAINEES)
    assert list(found.by_kind) == list(PARTICIPANT_KINDS)
    assert (found.by_kind["professional"].trainees, found.by_kind["professional"].income) == (2, D("735"))
    assert sum((f.hours for f in found.by_kind.values()), D(0)) == found.total.hours


def test_income_goes_to_the_cerfas_cadre_c_lines():
    found = report(2026, TRAINEES)
    income = {code: f.income for code, f in found.income_lines.items()}
    assert income == {"1": D("60"), "2e": D("210"), "2h": D("735"), "7": D("60"), "9": D("420")}
    assert set(INCOME_LINE_OF_FUNDING) == set(FUNDING)
    assert set(INCOME_LINE_OF_FUNDING.values()) <= {code for code, _ in INCOME_LINES}


def test_trainees_go_to_the_cerfas_f1_lines():
    found = report(2026, TRAINEES)
    lines = {code: (f.trainees, f.hours) for code, f in found.trainee_lines.items()}
    assert lines == {
        "a": (3, D("28")),  # two OPCO professionals, an employer-funded external person
        "b": (0, D("0")),
        "c": (1, D("3.5")),  # France Travail
        "d": (1, D("14")),  # self-funded
        "e": (1, D("7")),  # a placements trainee on her CPF
    }
    assert sum(f.trainees for f in found.trainee_lines.values()) == found.total.trainees


@pytest.mark.parametrize(
    "funding, kind, line",
    [
        ("self_funded", "professional", "d"),
        ("france_travail", "professional", "c"),
        ("opco", "external", "a"),
        ("employer", "volunteer", "a"),
        ("cpf", "professional", "a"),
        ("cpf", "volunteer", "e"),
    ],
)
def test_the_f1_line_comes_from_the_funding_first_then_the_kind(funding, kind, line):
    assert trainee_line(funding, kind) == line


def test_a_self_funded_learner_brings_the_price_once_they_did_some_hours():
    assert self_funded_income("self_funded", D("0.5"), D("420")) == D("420")
    assert self_funded_income("self_funded", D("0"), D("420")) == D("0")
    assert self_funded_income("opco", D("14"), D("420")) == D("0")


def test_sessions_whose_funders_are_not_invoiced_yet_are_listed_once():
    found = report(
        2026,
        [
            trainee("s1", "professional", "opco", "7", "0", invoiced=False),
            trainee("s1", "external", "opco", "7", "0", invoiced=False),
            trainee("s2", "external", "opco", "0", "0", invoiced=False),  # no hours: nothing to invoice
        ],
    )
    assert found.sessions_not_invoiced == ["s1"]


def test_an_empty_year_is_all_zeros():
    found = report(2026, [])
    assert (found.total.trainees, found.total.hours, found.total.income) == (0, D("0"), D("0"))
