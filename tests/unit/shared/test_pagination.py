"""Keyset pages (shared/pagination.py) on a SQLite table: every row once, in order, whatever is
inserted between two pages; a limit out of bounds or a cursor that is not ours is a 422."""

import base64
import json
from datetime import datetime, timedelta

import pytest
from marshmallow import Schema
from peewee import CharField, DateField, DateTimeField, IntegerField, Model, SqliteDatabase

from shared.errors import Invalid, load
from shared.pagination import MAX_LIMIT, PageQuery, cursor_field, limit_field, page, page_of_list

database = SqliteDatabase(":memory:")
START = datetime(2030, 1, 7, 8, 0)


class Row(Model):
    id = CharField(primary_key=True)
    starts_at = DateTimeField()
    rank = IntegerField()

    class Meta:
        database = database


ORDER = [Row.starts_at, Row.rank, Row.id]


@pytest.fixture(autouse=True)
def table():
    database.connect(reuse_if_open=True)
    database.create_tables([Row])
    yield
    database.drop_tables([Row])
    database.close()


def add(number, hours, rank):
    return Row.create(id=f"r{number:04d}", starts_at=START + timedelta(hours=hours), rank=rank)


def in_order():
    return [row.id for row in Row.select().order_by(*ORDER)]


def walk(limit, between_pages=lambda page_number: None):
    """The ids of every page, following next_cursor, calling `between_pages` after each page."""
    seen, cursor, pages = [], None, 0
    while True:
        found = page(Row.select(), ORDER, load(PageQuery(), {"limit": limit, "cursor": cursor}))
        seen += [row.id for row in found.rows]
        pages += 1
        between_pages(pages)
        if found.next_cursor is None:
            return seen, pages
        cursor = found.next_cursor


def test_walking_every_page_gives_each_row_once_in_the_list_order_with_ties_on_every_key():
    for number in range(57):  # several rows share a start, and some a start and a rank
        add(number, hours=number // 7, rank=number % 2)
    seen, pages = walk(limit=10)
    assert seen == in_order()
    assert pages == 6


class Dated(Model):
    """A list sorted by a day, as contracts (starts_on) and placements are."""

    id = CharField(primary_key=True)
    starts_on = DateField()

    class Meta:
        database = database


def test_a_list_sorted_by_a_date_pages_through_every_row_once():
    database.create_tables([Dated])
    for number in range(7):  # two rows a day
        Dated.create(id=f"d{number}", starts_on=START.date() + timedelta(days=number // 2))
    order, seen, cursor = [Dated.starts_on, Dated.id], [], None
    while True:
        found = page(Dated.select(), order, load(PageQuery(), {"limit": 3, "cursor": cursor}))
        seen += [row.id for row in found.rows]
        if found.next_cursor is None:
            break
        cursor = found.next_cursor
    assert seen == [f"d{number}" for number in range(7)]


def test_a_limit_that_divides_the_list_ends_with_a_full_page_and_no_empty_one():
    for number in range(20):
        add(number, hours=number, rank=0)
    seen, pages = walk(limit=10)
    assert (len(seen), pages) == (20, 2)


def test_rows_inserted_between_pages_appear_once_if_after_the_cursor_and_nothing_repeats_or_vanishes():
    for number in range(30):
        add(number, hours=number, rank=0)
    before = set(in_order())
    behind, ahead = [], []

    def insert_around(page_number):
        if page_number > 3:
            return
        behind.append(add(100 + page_number, hours=-1, rank=0).id)  # before the cursor: not given
        ahead.append(add(200 + page_number, hours=100 + page_number, rank=0).id)  # given on a later page
        ahead.append(add(300 + page_number, hours=page_number * 10 - 1, rank=1).id)  # just after the page given

    seen, _ = walk(limit=10, between_pages=insert_around)
    assert len(seen) == len(set(seen))
    assert set(seen) == before | set(ahead)
    assert not set(behind) & set(seen)
    assert seen == sorted(seen, key=in_order().index)  # still in the list's order


def test_the_default_limit_is_100_and_above_the_maximum_is_refused_in_french():
    assert load(PageQuery(), {})["limit"] == 100
    assert load(PageQuery(), {"limit": str(MAX_LIMIT)})["limit"] == MAX_LIMIT
    with pytest.raises(Invalid) as refused:
        load(PageQuery(), {"limit": str(MAX_LIMIT + 1)})
    assert refused.value.fields == {"limit": ["Entre 1 et 500 éléments par page."]}
    with pytest.raises(Invalid):
        load(PageQuery(), {"limit": "0"})


def _cursor(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        "e30",  # {} in base64
        _cursor(["2030-01-07T08:00:00", 0]),  # one value short
        _cursor(["hier", 0, "r0001"]),  # not a time
        _cursor([{"a": 1}, 0, "r0001"]),
        _cursor([]),
    ],
)
def test_a_tampered_cursor_is_a_422_on_the_cursor_field(cursor):
    add(1, hours=0, rank=0)
    with pytest.raises(Invalid) as refused:
        page(Row.select(), ORDER, load(PageQuery(), {"cursor": cursor}))
    assert list(refused.value.fields) == ["cursor"]
    assert "Curseur de pagination invalide" in refused.value.fields["cursor"][0]


def test_a_query_schema_lists_limit_and_cursor_after_its_own_filters():
    class SomeQuery(Schema):
        other = limit_field()  # any field of its own
        limit = limit_field()
        cursor = cursor_field()

    assert list(SomeQuery().fields) == ["other", "limit", "cursor"]


def test_a_list_ranked_in_python_pages_the_same_way():
    items = [(-(number % 3), f"2030-01-0{number % 9 + 1}", f"a{number:03d}") for number in range(25)]
    items.sort()
    seen, cursor = [], None
    while True:
        found = page_of_list(items, lambda item: item, load(PageQuery(), {"limit": 7, "cursor": cursor}))
        seen += found.rows
        if found.next_cursor is None:
            break
        cursor = found.next_cursor
    assert seen == items
    with pytest.raises(Invalid):
        page_of_list(items, lambda item: item, load(PageQuery(), {"cursor": _cursor([{"x": 1}])}))
