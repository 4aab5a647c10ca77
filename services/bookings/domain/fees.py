"""CNAF PSU family fee ("barème national des participations familiales"), collective care.

hourly rate = monthly resources x effort rate, the resources being clamped between the floor
of the calendar year and the ceiling in force on the day of care (the ceiling moves on 1 Sep).

Rounding rule: the hourly rate is kept exact (never rounded); each amount (rate x hours) is
rounded once, to the cent, ROUND_HALF_UP. Rounding the rate first would drift: 2.064 x 138 h
= 284.832 -> 284.83, whereas a rate rounded to 2.06 would give 284.28.

The figures live in ../data/cnaf_scale.json as dated rows with a status; they are loaded once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from pathlib import Path

SCALE_PATH = Path(__file__).resolve().parent.parent / "data" / "cnaf_scale.json"
MAX_CHILDREN = 10  # the scale stops at the 8-10 row
# From most to least certain; a quote carries the weakest status of the rows it used.
# "provisional": the new year's floor is not known yet (CNAF publishes it early in the year);
# until then the last known floor is applied [practice], for one year at most.
STATUSES = ("published", "derived", "unconfirmed", "provisional")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeeQuote:
    """Everything needed to explain an hourly rate on an invoice."""

    hourly_rate: Decimal  # exact, not rounded
    effort_rate: Decimal  # fraction per hour, e.g. Decimal("0.000516")
    resources_used: Decimal  # monthly resources after clamping
    floor: Decimal
    ceiling: Decimal
    on: date
    status: str = "published"  # weakest status among the rate, floor and ceiling rows used
    aeeh_children: int = 0  # the household's children receiving AEEH: one row down each
    emergency: str | None = None  # resources unknown: "floor" or "average" (emergency.py), else None


@dataclass(frozen=True)
class _Row:
    start: date
    end: date | None  # inclusive; None = still in force
    value: object  # Decimal amount, or dict column -> Decimal rate
    status: str
    source: str

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class CnafScale:
    rates: tuple[_Row, ...]
    ceilings: tuple[_Row, ...]
    floors: tuple[_Row, ...]


def _status(raw: dict) -> str:
    if raw["status"] not in STATUSES:
        raise ValueError(f"unknown status {raw['status']!r} in cnaf_scale.json")
    return raw["status"]


def _rows(raws: list[dict], value) -> tuple[_Row, ...]:
    rows = []
    for raw in raws:
        if "year" in raw:  # floors are set per calendar year
            start, end = date(raw["year"], 1, 1), date(raw["year"], 12, 31)
        else:
            start = date.fromisoformat(raw["from"])
            end = date.fromisoformat(raw["to"]) if raw["to"] else None
        rows.append(_Row(start, end, value(raw), _status(raw), raw.get("source", "")))
    rows.sort(key=lambda r: r.start)
    for a, b in zip(rows, rows[1:], strict=False):  # overlapping rows would make a date ambiguous
        if a.end is None or a.end >= b.start:
            raise ValueError(f"overlapping rows in cnaf_scale.json at {b.start}")
    return tuple(rows)


@lru_cache(maxsize=1)
def load_scale() -> CnafScale:
    """Read and check the packaged CNAF tables once."""
    data = json.loads(SCALE_PATH.read_text(encoding="utf-8"))
    columns = data["effort_rates"]["columns"]
    return CnafScale(
        rates=_rows(
            data["effort_rates"]["rows"],
            lambda r: {c: Decimal(r["rates"][c]) for c in columns},
        ),
        ceilings=_rows(data["ceilings"], lambda r: Decimal(r["amount"])),
        floors=_rows(data["floors"], lambda r: Decimal(r["amount"])),
    )


def _find(rows: tuple[_Row, ...], on: date, what: str) -> _Row:
    for row in rows:
        if row.covers(on):
            return row
    raise ValueError(f"no CNAF {what} in force on {on.isoformat()} in cnaf_scale.json")


def _floor_row(scale: CnafScale, on: date) -> _Row:
    try:
        return _find(scale.floors, on, "floor")
    except ValueError:
        last = scale.floors[-1]
        if last.end is not None and last.end.year + 1 == on.year:
            return replace(last, status="provisional")
        raise


def _column(children: int) -> str:
    if children <= 3:
        return str(children)
    return "4-7" if children <= 7 else "8-10"


def effort_rate(dependent_children: int, aeeh_children: int, on: date) -> tuple[Decimal, str]:
    """Effort rate and its row status.

    AEEH (allocation d'éducation de l'enfant handicapé): the rate moves one row down per
    dependent child receiving it, as if the family had that many more children, capped at the
    table's last row (10 children). Source: the CNAF PSU circular on the barème national des
    participations familiales: the next lower effort rate applies when a child of the household
    receives AEEH, and the measure applies « autant de fois qu'il y a d'enfants à charge et en
    situation de handicap dans le foyer » (docs/childcare-rules.md). With 10 columns 1..10 in
    the CNAF table, 2 children + 2 AEEH go to the 4-7 row, 6 children + 1 AEEH stay on it and
    7 + 1 move to 8-10. `aeeh_children` counts children of the household (0 to
    dependent_children), whether or not they are in the crèche.
    """
    if isinstance(dependent_children, bool) or not isinstance(dependent_children, int):
        raise TypeError("dependent_children must be an int")
    if not 1 <= dependent_children <= MAX_CHILDREN:
        raise ValueError(
            f"dependent_children must be between 1 and {MAX_CHILDREN} "
            f"(CNAF rows 1, 2, 3, 4-7, 8-10), got {dependent_children}"
        )
    if isinstance(aeeh_children, bool) or not isinstance(aeeh_children, int):
        raise TypeError("aeeh_children must be an int (a number of children, not a flag)")
    if not 0 <= aeeh_children <= dependent_children:
        raise ValueError(
            f"aeeh_children must be between 0 and dependent_children ({dependent_children}), got {aeeh_children}"
        )
    if isinstance(on, datetime) or not isinstance(on, date):
        raise TypeError("on must be a date (the local date of care)")
    scale = load_scale()
    if on < scale.rates[0].start:
        raise ValueError(f"{on.isoformat()} is before the earliest CNAF row ({scale.rates[0].start.isoformat()})")
    row = _find(scale.rates, on, "effort rate")
    children = min(dependent_children + aeeh_children, MAX_CHILDREN)
    return row.value[_column(children)], row.status


def quote(monthly_resources: Decimal, dependent_children: int, aeeh_children: int, on: date) -> FeeQuote:
    """Hourly family rate for care given on `on` (exact Decimal)."""
    if isinstance(monthly_resources, (bool, float)) or not isinstance(monthly_resources, (Decimal, int)):
        raise TypeError("monthly_resources must be a Decimal (floats are not exact)")
    resources = Decimal(monthly_resources)
    if not resources.is_finite():
        raise ValueError("monthly_resources must be a finite number")
    rate, rate_status = effort_rate(dependent_children, aeeh_children, on)
    scale = load_scale()
    floor_row = _floor_row(scale, on)
    ceiling_row = _find(scale.ceilings, on, "ceiling")
    floor, ceiling = floor_row.value, ceiling_row.value
    # Below the floor (including a declared deficit) the floor applies; above, the ceiling.
    used = min(max(resources, floor), ceiling)
    with localcontext() as ctx:
        ctx.prec = 50  # far more digits than needed: the product stays exact
        hourly = used * rate
    status = max((rate_status, floor_row.status, ceiling_row.status), key=STATUSES.index)
    return FeeQuote(hourly, rate, used, floor, ceiling, on, status, aeeh_children)


def amount(hourly_rate: Decimal, hours: Decimal) -> Decimal:
    """hourly_rate x hours, rounded to the cent half-up (the only rounding step)."""
    for name, v in (("hourly_rate", hourly_rate), ("hours", hours)):
        if isinstance(v, (bool, float)) or not isinstance(v, (Decimal, int)):
            raise TypeError(f"{name} must be a Decimal")
        if not Decimal(v).is_finite() or v < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {v}")
    with localcontext() as ctx:
        ctx.prec = 50
        return (Decimal(hourly_rate) * Decimal(hours)).quantize(CENT, rounding=ROUND_HALF_UP)
