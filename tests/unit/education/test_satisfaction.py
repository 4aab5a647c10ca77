"""The end-of-session questionnaire's rules (domain/satisfaction.py)."""

from datetime import date
from decimal import Decimal

from services.education.domain.satisfaction import QUESTIONS, can_answer, results

ALL_FOUR = {key: 4 for key, _ in QUESTIONS}


def test_the_questionnaire_opens_on_the_last_parts_day():
    assert can_answer(date(2026, 12, 8), date(2026, 12, 7)) is False
    assert can_answer(date(2026, 12, 8), date(2026, 12, 8)) is True


def test_results_count_each_score_and_average_to_the_hundredth():
    answers = [ALL_FOUR, {**ALL_FOUR, "objectives": 3}, {**ALL_FOUR, "objectives": 2}]
    objectives = results(answers)[0]
    assert objectives.key == "objectives"
    assert objectives.counts == {1: 0, 2: 1, 3: 1, 4: 1}
    assert (objectives.answered, objectives.average) == (3, Decimal("3.00"))
    assert results([ALL_FOUR, {**ALL_FOUR, "trainer": 3}, ALL_FOUR])[2].average == Decimal("3.67")


def test_nobody_answered_has_no_average():
    assert [r.average for r in results([])] == [None] * len(QUESTIONS)
