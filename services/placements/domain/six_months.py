"""At most 6 months per trainee per host per school year (Code de l'éducation L124-5;
urssaf.fr, « le recours encadré aux stages »; docs/placements-rules.md).

The duration counts presence (D124-6: 7 h make a day, 22 days a month), so 6 months are
132 days × 7 h = 924 h **[derived]**, over all the trainee's placements at this host in the
same school year (1 September – 31 August, `school_year`). A placement outside L124-1 (adults in
continuing vocational training, `under_convention` False) neither counts nor is limited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from services.placements.domain.gratification import Stay, hours_by_school_year
from services.placements.domain.school_year import school_year_label, school_year_of_month

LIMIT_HOURS = Decimal(924)  # 6 months x 22 days x 7 h


def hours_over(stays: Iterable[Stay], added_by_month: Mapping[str, Decimal]) -> dict[int, Decimal]:
    """The school years where the placement's planned hours (`added_by_month`) added to the
    trainee's other placements here (`stays`, the placement itself left out) would pass 924 h,
    with the total they would reach. 924 h exactly is allowed."""
    before = hours_by_school_year(stays)
    after = dict(before)
    for month, hours in added_by_month.items():
        year = school_year_of_month(month)
        after[year] = after.get(year, Decimal(0)) + Decimal(hours)
    years = {school_year_of_month(m) for m in added_by_month}
    return {year: after[year] for year in sorted(years) if after[year] > LIMIT_HOURS}


def refusal(stays: Iterable[Stay], added_by_month: Mapping[str, Decimal], under_convention: bool = True) -> str | None:
    """The French sentence of the 409 when adding the placement breaks the 6 months, else None."""
    if not under_convention:
        return None
    over = hours_over(stays, added_by_month)
    if not over:
        return None
    year, reached = next(iter(over.items()))
    return (
        f"Avec ce stage, le stagiaire serait accueilli {_hours(reached)} h sur l'année scolaire "
        f"{school_year_label(year)} : au plus 6 mois (924 h de présence) par stagiaire et par organisme "
        "d'accueil sur une année scolaire (article L124-5 du Code de l'éducation). Raccourcissez le stage "
        "ou ses horaires."
    )


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")
