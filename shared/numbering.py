"""Document numbers continuous per year and without gaps: invoices `F-2026-000042`, credit notes
`A-2026-000003`, and any other series a service keeps (the funders' invoices use their own).

The law asks of an invoice « un numéro unique basé sur une séquence chronologique et continue ;
la numérotation peut être établie […] par séries distinctes » (CGI, annexe II, art. 242 nonies A,
I, 7°): a number is never skipped or given twice, and a cancelled invoice keeps its number (a
credit note cancels it).

A service keeps one counter row per (series, year) in its own database:

    NumberCounter = numbering_model(database)       # in models.py, listed in MODELS
    ...
    with self.uow.atomic(exclusive=True):
        number = next_number(database, "F", 2026)    # "F-2026-000042"
        Invoice.create(number=number, ...)

`next_number` adds one to the counter inside the caller's transaction: the counter row stays
locked until that transaction ends, so a second caller waits, then reads the first one's
number; a transaction that fails gives its number back with its rollback (no gap). On
PostgreSQL the row is created if missing and incremented by one statement (INSERT … ON CONFLICT
DO UPDATE … RETURNING), which locks it as SELECT … FOR UPDATE would; two first calls of a year
at once cannot both create it (the primary key). On SQLite the caller's BEGIN IMMEDIATE already
admits one writer at a time.
"""

import re

from peewee import CharField, CompositeKey, IntegerField, Model

from shared import db

TABLE = "number_counter"
DIGITS = 6  # F-2026-000042: a million documents a year per series
SERIES_PATTERN = re.compile(r"^[A-Z]{1,4}$")
_NUMBER = re.compile(r"^([A-Z]{1,4})-(\d{4})-(\d{6,})$")


def numbering_model(service_database):
    """The `number_counter` table (series, year, last number given), bound to one service's database."""

    class NumberCounter(Model):
        series = CharField(max_length=4)
        year = IntegerField()
        last = IntegerField(default=0)

        class Meta:
            table_name = TABLE
            database = service_database
            primary_key = CompositeKey("series", "year")

    return NumberCounter


def number_text(series, year, sequence):
    """ "F", 2026, 42 -> "F-2026-000042"."""
    return f"{series}-{year:04d}-{sequence:0{DIGITS}d}"


def parse_number(text):
    """ "F-2026-000042" -> ("F", 2026, 42); ValueError for another text."""
    found = _NUMBER.match(text or "")
    if not found:
        raise ValueError(f"not a document number: {text!r}")
    return found.group(1), int(found.group(2)), int(found.group(3))


def next_number(database, series, year):
    """The next number of `series` in `year` ("F-2026-000042"), taken inside the caller's write
    transaction (`uow.atomic(exclusive=True)`): RuntimeError outside one."""
    if not SERIES_PATTERN.match(series or ""):
        raise ValueError(f"a series is 1 to 4 capital letters, got {series!r}")
    if not 1900 <= int(year) <= 9999:
        raise ValueError(f"year out of range: {year!r}")
    if not database.in_transaction():
        raise RuntimeError("next_number() outside a transaction: call it inside uow.atomic(exclusive=True)")
    if not db.is_postgres(database) and not db._holds_sqlite_write_lock(database):
        raise RuntimeError("next_number() on SQLite needs uow.atomic(exclusive=True) (BEGIN IMMEDIATE)")
    param = database.param  # "?" on SQLite, "%s" on PostgreSQL
    cursor = database.execute_sql(
        f"INSERT INTO {TABLE} (series, year, last) VALUES ({param}, {param}, 1) "
        f"ON CONFLICT (series, year) DO UPDATE SET last = {TABLE}.last + 1 RETURNING last",
        (series, int(year)),
    )
    (sequence,) = cursor.fetchone()
    return number_text(series, int(year), sequence)
