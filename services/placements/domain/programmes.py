"""The programmes the venue hosts and their default placement hours
(docs/placements-rules.md, "The French rules and their sources"). The hours of a placement come from its
agreement: these are the defaults the form proposes."""

from __future__ import annotations

from decimal import Decimal

WEEK_HOURS = Decimal(35)  # [derived] a placement week counted as the legal 35 h

PROGRAMMES = {
    # CAP AEPE, school route: 14 weeks over the course (arrêté of 21 Nov 2018) -> 490 h [derived]
    "cap_aepe": ("CAP accompagnant éducatif petite enfance", 14 * WEEK_HOURS),
    # Auxiliaire de puériculture (arrêté of 10 June 2021): 770 h of placements
    "auxiliaire_puericulture": ("Auxiliaire de puériculture", Decimal(770)),
    # Éducateur de jeunes enfants (arrêté of 22 Aug 2018): 2,100 h of practice over 3 years
    "eje": ("Éducateur de jeunes enfants", Decimal(2100)),
    # DEAES: set by the school's agreement, no default
    "deaes": ("Accompagnant éducatif et social (DEAES)", None),
}


def default_hours(programme: str) -> Decimal | None:
    """The default required hours of a programme, None when the agreement must give them."""
    return PROGRAMMES[programme][1]


def label(programme: str) -> str:
    return PROGRAMMES[programme][0]
