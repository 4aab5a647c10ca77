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


def test_a_tutor_follows_three_trainees_at_most_by_default():
    assert lifecycle.tutor_has_room(2) and not lifecycle.tutor_has_room(3)
    assert lifecycle.tutor_has_room(3, max_per_tutor=4)


def test_two_placements_sharing_a_day_overlap():
    assert lifecycle.overlaps(date(2026, 1, 1), date(2026, 3, 1), date(2026, 3, 1), date(2026, 4, 1))
    assert not lifecycle.overlaps(date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 1), date(2026, 4, 1))


def test_each_programme_proposes_its_hours_and_deaes_leaves_them_to_the_agreement():
    assert programmes.default_hours("cap_aepe") == Decimal(490)
    assert programmes.default_hours("auxiliaire_puericulture") == Decimal(770)
    assert programmes.default_hours("eje") == Decimal(2100)
    assert programmes.default_hours("deaes") is None
