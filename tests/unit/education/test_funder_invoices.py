"""Funders' invoices: who is billed, for which hours, at which price (domain/funder_invoices.py)."""

from datetime import date
from decimal import Decimal

import pytest

from services.education.domain.funder_invoices import (
    Participant,
    can_invoice,
    groups,
    hourly_price,
    line,
    lines,
    total,
)


def person(name, funding, hours, funder_name="", kind="professional"):
    return Participant(f"e-{name}", f"p-{name}", kind, name, funding, funder_name, Decimal(hours))


def test_self_funded_learners_are_left_out_and_each_funding_is_one_funder():
    found = groups(
        [
            person("Zoé", "opco", "14"),
            person("Ana", "self_funded", "14"),
            person("Bea", "opco", "7"),
            person("Lou", "cpf", "14"),
        ]
    )
    assert list(found) == [("opco", ""), ("cpf", "")]  # in the order of FUNDING
    assert [p.name for p in found[("opco", "")]] == ["Bea", "Zoé"]


def test_two_employers_named_on_the_enrolments_are_two_funders():
    found = groups(
        [
            person("Ana", "employer", "7", "Crèche Les Lutins"),
            person("Bea", "employer", "7", "Mairie de Lyon"),
            person("Lou", "employer", "7", " Crèche Les Lutins "),
        ]
    )
    assert list(found) == [("employer", "Crèche Les Lutins"), ("employer", "Mairie de Lyon")]
    assert len(found[("employer", "Crèche Les Lutins")]) == 2


def test_the_hourly_price_is_the_price_over_the_duration():
    assert hourly_price(Decimal("420"), Decimal("14")) == Decimal("30.0000")
    assert hourly_price(Decimal("350"), Decimal("21")) == Decimal("16.6667")
    with pytest.raises(ValueError):
        hourly_price(Decimal("350"), Decimal("0"))


def test_a_line_bills_the_hours_done_and_a_whole_course_exactly_its_price():
    assert line(person("Ana", "opco", "10.5"), Decimal("420"), Decimal("14")).amount == Decimal("315.00")
    whole = line(person("Bea", "opco", "21"), Decimal("350"), Decimal("21"))
    assert whole.amount == Decimal("350.00")  # not 21 × 16.6667
    assert line(person("Lou", "opco", "0"), Decimal("420"), Decimal("14")).amount == Decimal("0.00")


def test_hours_beyond_the_courses_duration_are_not_billed():
    billed = line(person("Ana", "opco", "16"), Decimal("420"), Decimal("14"))
    assert (billed.hours, billed.amount) == (Decimal("14.00"), Decimal("420.00"))


def test_the_total_is_the_sum_of_the_lines_rounded_line_by_line():
    found = lines([person("Ana", "opco", "1"), person("Bea", "opco", "1")], Decimal("100"), Decimal("3"))
    assert [item.amount for item in found] == [Decimal("33.33"), Decimal("33.33")]
    assert total(found) == Decimal("66.66")
    assert total([]) == Decimal("0.00")


def test_a_session_is_invoiced_from_its_last_parts_day():
    assert can_invoice(date(2026, 12, 8), date(2026, 12, 7)) is False
    assert can_invoice(date(2026, 12, 8), date(2026, 12, 8)) is True
