"""Document numbers (shared/numbering.py) on SQLite: continuous per series and year, given back
by a rollback, refused outside a write transaction."""

import pytest
from peewee import SqliteDatabase

from shared.numbering import next_number, number_text, numbering_model, parse_number


@pytest.fixture
def database(tmp_path):
    database = SqliteDatabase(str(tmp_path / "n.db"))
    counter = numbering_model(database)
    database.connect()
    database.create_tables([counter])
    yield database
    database.close()


def take(database, series="F", year=2026):
    with database.atomic("IMMEDIATE"):
        return next_number(database, series, year)


def test_a_number_is_the_series_the_year_and_six_digits():
    assert number_text("F", 2026, 42) == "F-2026-000042"
    assert number_text("A", 2026, 3) == "A-2026-000003"
    assert parse_number("F-2026-000042") == ("F", 2026, 42)
    with pytest.raises(ValueError):
        parse_number("F-26-42")


def test_numbers_follow_each_other_from_one_in_each_series_and_year(database):
    assert [take(database) for _ in range(3)] == ["F-2026-000001", "F-2026-000002", "F-2026-000003"]
    assert take(database, "A") == "A-2026-000001"
    assert take(database, "F", 2027) == "F-2027-000001"
    assert take(database) == "F-2026-000004"


def test_a_rolled_back_transaction_gives_its_number_back(database):
    take(database)
    with pytest.raises(ZeroDivisionError):
        with database.atomic("IMMEDIATE"):
            assert next_number(database, "F", 2026) == "F-2026-000002"
            1 / 0  # noqa: B018 (the caller's transaction fails after taking its number)
    assert take(database) == "F-2026-000002"


def test_outside_a_transaction_or_in_a_plain_one_nothing_is_given(database):
    with pytest.raises(RuntimeError, match="outside a transaction"):
        next_number(database, "F", 2026)
    with pytest.raises(RuntimeError, match="BEGIN IMMEDIATE"):
        with database.atomic():
            next_number(database, "F", 2026)


def test_a_series_is_one_to_four_capital_letters(database):
    with pytest.raises(ValueError):
        take(database, "f")
    with pytest.raises(ValueError):
        take(database, "FACTU")
    assert take(database, "FUND") == "FUND-2026-000001"
