"""Who gets the certificates, the assiduity mention and the evaluation's objectives
(domain/certificates.py): no database, no broker."""

from decimal import Decimal

import pytest

from services.education.domain.certificates import (
    assiduity_mention,
    assiduous,
    certifiable,
    evaluation_errors,
    in_course_order,
    objectives,
    percent,
    rate,
)

THRESHOLD = Decimal("0.80")


def test_no_hours_done_gets_no_certificate():
    assert certifiable(Decimal("0.00")) is False


def test_half_an_hour_done_gets_both_certificates():
    assert certifiable(Decimal("0.50")) is True


def test_exactly_eighty_percent_is_assiduous_and_a_hair_less_is_not():
    assert assiduous(Decimal("11.20"), Decimal("14.00"), THRESHOLD) is True  # 80 % exactly
    assert assiduous(Decimal("11.19"), Decimal("14.00"), THRESHOLD) is False
    assert assiduous(Decimal("0.00"), Decimal("0.00"), THRESHOLD) is False  # a session without hours


def test_the_rate_is_the_share_of_the_hours_to_the_hundredth():
    assert rate(Decimal("10.50"), Decimal("14.00")) == Decimal("0.75")
    assert rate(Decimal("7.00"), Decimal("0.00")) == Decimal("0.00")


def test_the_mention_says_assidu_at_the_threshold_and_below_it_names_the_threshold():
    assert assiduity_mention(Decimal("0.80"), True, THRESHOLD) == (
        "Assiduité : 80\u00a0% des heures — assidu·e (seuil de 80\u00a0% fixé par l'organisme)"
    )
    assert assiduity_mention(Decimal("0.75"), False, THRESHOLD) == (
        "Assiduité : 75\u00a0% des heures — en dessous du seuil de 80\u00a0% fixé par l'organisme"
    )


def test_a_percentage_is_written_the_french_way():
    assert percent(Decimal("0.875")) == "87,5\u00a0%"
    assert percent(Decimal("1")) == "100\u00a0%"


def test_each_non_empty_line_of_the_objectives_is_one_objective():
    text = "Réagir face à un accident\n\n  - Alerter les secours  \n• Protéger l'enfant\nRéagir face à un accident\n"
    assert objectives(text) == ["Réagir face à un accident", "Alerter les secours", "Protéger l'enfant"]
    assert objectives("") == [] and objectives("   \n ") == []


def test_one_result_per_objective_is_recorded_in_the_courses_order():
    course = ["Alerter", "Protéger"]
    results = [{"objective": "Protéger", "result": "en_cours"}, {"objective": "Alerter", "result": "acquis"}]
    assert evaluation_errors(course, results) == []
    assert in_course_order(course, results) == [
        {"objective": "Alerter", "result": "acquis"},
        {"objective": "Protéger", "result": "en_cours"},
    ]


@pytest.mark.parametrize(
    "results, sentence",
    [
        ([{"objective": "Alerter", "result": "acquis"}], "Donnez un résultat pour « Protéger »."),
        (
            [
                {"objective": "Alerter", "result": "acquis"},
                {"objective": "Protéger", "result": "acquis"},
                {"objective": "Nager", "result": "acquis"},
            ],
            "« Nager » n'est pas un objectif de cette formation.",
        ),
        (
            [{"objective": "Alerter", "result": "bien"}, {"objective": "Protéger", "result": "acquis"}],
            "Un résultat est « acquis », « en_cours » ou « non_acquis ».",
        ),
        (
            [
                {"objective": "Alerter", "result": "acquis"},
                {"objective": "Alerter", "result": "non_acquis"},
                {"objective": "Protéger", "result": "acquis"},
            ],
            "« Alerter » est évalué plusieurs fois.",
        ),
    ],
    ids=["missing", "unknown", "bad_result", "twice"],
)
def test_results_missing_unknown_or_twice_are_refused_with_a_sentence(results, sentence):
    assert sentence in evaluation_errors(["Alerter", "Protéger"], results)


def test_a_course_without_objectives_has_nothing_to_evaluate():
    assert evaluation_errors([], []) != []
