"""The satisfaction questionnaire at the end of a session: Qualiopi asks the organisation to
collect the appreciations of the participants (Référentiel national qualité, indicator 30
«le prestataire recueille les appréciations des parties prenantes») [unconfirmed: the
indicator's wording from memory]; the questions and the scale are the venue's [practice].

Four questions on a scale of 1 (pas du tout satisfait·e) to 4 (très satisfait·e), and a free
comment; each confirmed participant answers once, from the session's last part's day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

QUESTIONS = (
    ("objectives", "Les objectifs de la formation ont-ils été atteints ?"),
    ("content", "Le contenu répondait-il à vos besoins et à votre travail ?"),
    ("trainer", "Les explications et l'animation du formateur ou de la formatrice vous ont-elles aidé·e ?"),
    ("organisation", "L'organisation (salle, horaires, documents) vous a-t-elle convenu ?"),
)
SCALE = (
    (1, "Pas du tout satisfait·e"),
    (2, "Peu satisfait·e"),
    (3, "Satisfait·e"),
    (4, "Très satisfait·e"),
)
LOWEST, HIGHEST = SCALE[0][0], SCALE[-1][0]
COMMENT_MAX = 2000
HUNDREDTH = Decimal("0.01")


def can_answer(last_part_day: date, today: date) -> bool:
    """The questionnaire opens on the session's last part's day (its end) [practice]."""
    return today >= last_part_day


@dataclass(frozen=True)
class QuestionResult:
    key: str
    label: str
    counts: dict[int, int]  # every score of the scale, 0 when nobody gave it
    answered: int
    average: Decimal | None  # None when nobody answered


def results(answers: list[dict]) -> list[QuestionResult]:
    """Per question: how many gave each score, and the average to the hundredth."""
    found = []
    for key, label in QUESTIONS:
        scores = [a[key] for a in answers if a.get(key) is not None]
        counts = {value: scores.count(value) for value, _ in SCALE}
        average = None
        if scores:
            average = (Decimal(sum(scores)) / len(scores)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
        found.append(QuestionResult(key, label, counts, len(scores), average))
    return found
