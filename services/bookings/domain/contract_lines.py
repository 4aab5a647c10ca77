"""The contract lines of a month: the contract's hours per month, split between the rate periods
when the rate changes inside it, in proportion when the contract covers the month only partly.

Sources: CNAF circular of 26 March 2014 (mensualisation: the same hours every month, whatever
its number of days); [practice] the split by planned hours, and the share of a partial month.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from .care_pattern import hours_by_day, scheduled_days
from .covered_month import ContractLine, CoveredMonth, planned_hours, statement_line
from .day_rates import rate_segments
from .exact_numbers import shown_hours, terminates
from .french_text import fr_dates, fr_days, fr_number


def contract_lines(month: CoveredMonth) -> tuple[list[ContractLine], Fraction]:
    """The month's contract lines, one per rate period, and the contract hours they bill."""
    segments = rate_segments(month.cover_first, month.cover_end, month.rate_of)
    if not month.whole:
        return _partial_month_lines(month, segments)
    if len(segments) == 1:
        return [_whole_month_line(month, segments[0])], month.per_month
    return _split_month_lines(month, segments), month.per_month


def _whole_month_line(month: CoveredMonth, segment: tuple[date, date, Decimal]) -> ContractLine:
    first, last, rate = segment
    label = f"Contrat : {fr_number(shown_hours(month.per_month))} h au tarif de {fr_number(rate)} €/h"
    return statement_line("contract", label, month.per_month, rate, first, last)


def _split_month_lines(month: CoveredMonth, segments: list[tuple[date, date, Decimal]]) -> list[ContractLine]:
    """A whole month whose rate changes: its hours split between the rate periods in proportion
    to the planned hours of each [practice]."""
    weights = [planned_hours(month.by_day, a, b) for a, b, _ in segments]
    if not any(weights):  # every planned day closed: share by the pattern alone
        weights = [
            planned_hours(
                hours_by_day(scheduled_days(month.starts_on, month.ends_on, month.pattern, a, b + timedelta(days=1))),
                a,
                b,
            )
            for a, b, _ in segments
        ]
    lines = []
    for (a, b, rate), share in zip(segments, _split(month.per_month, weights), strict=True):
        if share:
            label = (
                f"Contrat {fr_dates(a, b)} : {fr_number(shown_hours(share))} h sur "
                f"{fr_number(shown_hours(month.per_month))} h du mois (au prorata des heures prévues) au tarif de "
                f"{fr_number(rate)} €/h"
            )
            lines.append(statement_line("contract", label, share, rate, a, b))
    return lines


def _partial_month_lines(
    month: CoveredMonth, segments: list[tuple[date, date, Decimal]]
) -> tuple[list[ContractLine], Fraction]:
    """A month the contract covers only partly: the month's hours in proportion to the planned
    hours the contract covers in it, so a month begun on its first Monday costs no more than a
    whole month [practice]; split between the rate periods as a whole month is."""
    month_plan = hours_by_day(
        scheduled_days(
            month.first_day,
            month.end_day - timedelta(days=1),
            month.pattern,
            month.first_day,
            month.end_day,
            closed_days=month.closed_days,
        )
    )
    planned_month = sum((Fraction(h) for h in month_plan.values()), Fraction(0))
    covered = planned_hours(month.by_day, month.cover_first, month.cover_end - timedelta(days=1))
    part = month.per_month * covered / planned_month if planned_month else Fraction(0)
    part = part if terminates(part) else Fraction(shown_hours(part))
    weights = [planned_hours(month.by_day, a, b) for a, b, _ in segments]
    shares = _split(part, weights) if any(weights) else [Fraction(0)] * len(segments)
    lines = []
    for (a, b, rate), share in zip(segments, shares, strict=True):
        if share:
            n = sum(1 for d in month.by_day if a <= d <= b)
            label = (
                f"Contrat {fr_dates(a, b)} (mois incomplet : {fr_days(n)} sur {len(month_plan)} prévus) : "
                f"{fr_number(shown_hours(share))} h sur {fr_number(shown_hours(month.per_month))} h du mois "
                f"au tarif de {fr_number(rate)} €/h"
            )
            lines.append(statement_line("contract", label, share, rate, a, b))
    return lines, part


def _split(total: Fraction, weights: list[Fraction]) -> list[Fraction]:
    """`total` shared in proportion to `weights`; exact when the share terminates, else rounded
    to 0.01 h; the last weighted share takes the remainder, so the shares add up exactly to
    `total`, and a weight of 0 gets 0."""
    whole = sum(weights, Fraction(0))
    last = max(i for i, w in enumerate(weights) if w)
    shares = []
    for i, w in enumerate(weights):
        share = total * w / whole
        shares.append(share if i == last or terminates(share) else Fraction(shown_hours(share)))
    shares[last] = total - sum((s for i, s in enumerate(shares) if i != last), Fraction(0))
    return shares
