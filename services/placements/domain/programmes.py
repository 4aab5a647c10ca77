"""The programmes the venue hosts, their default hours and their kind of placement
(docs/placements-rules.md, "The French rules and their sources").

The default hours are the **course's total** over all its placements, as published; a
placement's own hours come from its agreement (the form proposes the default). Each programme
also says whether its placements are conventions de stage under Code de l'éducation L124-1
(`under_l124`: gratification, tutor and host quotas apply), whether it has hours to validate,
and, for observation sequences, their length.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WEEK_HOURS = Decimal(35)  # [derived] a placement week counted as the legal 35 h


@dataclass(frozen=True)
class Programme:
    label: str
    default_hours: Decimal | None  # the course's total; None: the agreement gives it
    under_l124: bool = True  # a convention de stage under L124-1 (gratification, quotas)
    hours_to_validate: bool = True  # False: an observation sequence, nothing for the tutor to validate
    weeks: int | None = None  # the usual length of one placement, when the rule sets it
    pfmp: bool = False  # a vocational diploma's PFMP: the académie may set the host quota (R124-10)


KINDS: dict[str, Programme] = {
    # CAP AEPE, school route: 14 weeks over the course (arrêté of 21 Nov 2018) -> 490 h [derived]
    "cap_aepe": Programme("CAP accompagnant éducatif petite enfance", 14 * WEEK_HOURS, pfmp=True),
    # Auxiliaire de puériculture (arrêté of 10 June 2021): 770 h of placements
    "auxiliaire_puericulture": Programme("Auxiliaire de puériculture", Decimal(770)),
    # Éducateur de jeunes enfants (arrêté of 22 Aug 2018): 2,100 h of practice over 3 years
    "eje": Programme("Éducateur de jeunes enfants", Decimal(2100)),
    # DEAES: set by the school's agreement, no default
    "deaes": Programme("Accompagnant éducatif et social (DEAES)", None),
    # Bac pro ASSP (accompagnement, soins et services à la personne): 22 weeks of PFMP over the
    # three years [unconfirmed, from memory of the diploma's rules] -> 770 h [derived]
    "bac_pro_assp": Programme(
        "Bac pro accompagnement, soins et services à la personne (PFMP)", 22 * WEEK_HOURS, pfmp=True
    ),
    # Collège 3e: séquence d'observation en milieu professionnel, one week (Code de l'éducation
    # D332-14 [unconfirmed article number]); a pupil of 14-15: the under-16 working-time limits
    # apply by birth date; observation only: no hours to validate, no gratification, not a
    # convention under L124-1, so neither tutor nor host quota counts it [unconfirmed]
    "observation_3e": Programme(
        "Stage d'observation de 3e", Decimal(0), under_l124=False, hours_to_validate=False, weeks=1
    ),
    # Seconde générale et technologique: stage d'observation in June, two weeks since 2024
    # [unconfirmed]; the issue says a week: the placement's dates decide, `weeks` is the usual
    # length shown. Same regime as the 3e sequence [unconfirmed]
    "observation_2nde": Programme(
        "Stage d'observation de seconde", Decimal(0), under_l124=False, hours_to_validate=False, weeks=2
    ),
    # Adults in continuing vocational training: another legal regime (Code du travail, formation
    # professionnelle continue), not L124-1: no gratification by right [unconfirmed]; hours from
    # the agreement
    "formation_continue": Programme("Adulte en formation professionnelle continue", None, under_l124=False),
}

# key -> (label, default hours): the shape the schemas and presenters read
PROGRAMMES = {key: (p.label, p.default_hours) for key, p in KINDS.items()}


def programme(key: str) -> Programme:
    return KINDS[key]


def default_hours(programme: str) -> Decimal | None:
    """The default required hours of a programme (its course total), None when the agreement must give them."""
    return KINDS[programme].default_hours


def label(programme: str) -> str:
    return KINDS[programme].label


def under_l124(programme: str) -> bool:
    """Whether the programme's placements are conventions de stage under L124-1 (gratification, quotas)."""
    return KINDS[programme].under_l124
