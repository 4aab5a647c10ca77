"""A placement's life, its completion and the tutor's limit (domain/lifecycle.py, programmes.py)."""

from datetime import date
from decimal import Decimal

from services.placements.domain import lifecycle, programmes


def test_a_placement_goes_planned_active_completed_or_is_interrupted_and_never_comes_back():
    assert lifecycle.can_move("planned", "active") and lifecycle.can_move("active", "completed")
    assert lifecycle.can_move("planned", "interrupted") and lifecycle.can_move("active", "interrupted")
    assert not lifecycle.can_move("completed", "active") and not lifecycle.can_move("interrupted", "active")
    assert not lifecycle.can_move("planned", "completed")


def test_a_planned_placement_starts_on_its_first_day():
    assert not lifecycle.starts_today("planned", date(2026, 3, 2), date(2026, 3, 1))
    assert lifecycle.starts_today("planned", date(2026, 3, 2), date(2026, 3, 2))
    assert not lifecycle.starts_today("active", date(2026, 3, 2), date(2026, 3, 3))


def test_completion_needs_the_required_hours_validated_and_the_end_date_reached():
    end = date(2026, 6, 30)
    assert lifecycle.can_complete(Decimal(490), Decimal(490), end, end)
    assert not lifecycle.can_complete(Decimal("489.75"), Decimal(490), end, end)
    assert not lifecycle.can_complete(Decimal(490), Decimal(490), end, date(2026, 6, 29))


def test_two_placements_sharing_a_day_overlap():
    assert lifecycle.overlaps(date(2026, 1, 1), date(2026, 3, 1), date(2026, 3, 1), date(2026, 4, 1))
    assert not lifecycle.overlaps(date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 1), date(2026, 4, 1))


def test_each_programme_proposes_its_hours_and_deaes_leaves_them_to_the_agreement():
    assert programmes.default_hours("cap_aepe") == Decimal(490)
    assert programmes.default_hours("auxiliaire_puericulture") == Decimal(770)
    assert programmes.default_hours("eje") == Decimal(2100)
    assert programmes.default_hours("deaes") is None


def test_the_four_first_programmes_keep_their_course_totals_and_fall_under_l124_1():
    for key, hours in (("cap_aepe", 490), ("auxiliaire_puericulture", 770), ("eje", 2100)):
        assert programmes.default_hours(key) == Decimal(hours) and programmes.under_l124(key)
    assert programmes.under_l124("deaes") and programmes.programme("deaes").hours_to_validate


def test_observation_stages_of_3e_and_2nde_have_no_hours_to_validate_and_are_not_under_l124_1():
    for key, weeks in (("observation_3e", 1), ("observation_2nde", 2)):
        kind = programmes.programme(key)
        assert kind.default_hours == 0 and not kind.hours_to_validate and not kind.under_l124 and kind.weeks == weeks


def test_a_bac_pro_assp_pfmp_is_a_convention_under_l124_1_with_the_academies_quota():
    kind = programmes.programme("bac_pro_assp")
    assert kind.under_l124 and kind.pfmp and kind.default_hours == Decimal(770)


def test_an_adult_in_continuing_training_is_not_under_l124_1_and_the_agreement_gives_the_hours():
    assert not programmes.under_l124("formation_continue") and programmes.default_hours("formation_continue") is None


def test_the_programmes_mapping_keeps_its_label_and_hours_shape_for_every_kind():
    assert programmes.PROGRAMMES["eje"] == ("Éducateur de jeunes enfants", Decimal(2100))
    assert set(programmes.PROGRAMMES) == set(programmes.KINDS)
    assert programmes.label("observation_3e") == "Stage d'observation de 3e"
