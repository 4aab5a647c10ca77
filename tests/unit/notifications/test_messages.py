"""Which event gives which notification to whom, with what French text (domain/messages.py)."""

from zoneinfo import ZoneInfo

import pytest

from services.notifications.domain import messages

PARIS = ZoneInfo("Europe/Paris")
BOOKING = {
    "booking_id": "b1",
    "slot_id": "s1",
    "child_id": "c1",
    "family_id": "f1",
    "starts_at": "2030-12-03T07:30:00+00:00",  # 8 h 30 in Paris (winter)
    "ends_at": "2030-12-03T11:30:00+00:00",
    "avip": False,
    "child_first_name": "Léa",
    "room_name": "Les Lucioles",
}
ACTIVITY = {
    "activity_id": "a1",
    "title": "Heure du conte",
    "room_id": "r1",
    "room_name": "Bibliothèque",
    "starts_at": "2030-12-04T09:00:00+00:00",
    "ends_at": "2030-12-04T10:00:00+00:00",
    "previous_starts_at": "2030-12-03T08:30:00+00:00",
    "previous_ends_at": "2030-12-03T09:30:00+00:00",
    "volunteer_ids": ["v1", "v2"],
}


def test_a_time_is_written_in_the_venue_zone_the_french_way():
    assert messages.when("2030-12-03T07:30:00+00:00", PARIS) == "mardi 3 décembre, 8\u00a0h\u00a030"
    assert messages.hour("2030-12-03T11:05:00+00:00", PARIS) == "12\u00a0h\u00a005"


def test_a_loaded_payload_gives_aware_datetimes_and_reads_the_same():
    from datetime import datetime

    loaded = datetime.fromisoformat("2030-12-03T07:30:00+00:00")
    assert messages.when(loaded, PARIS) == messages.when("2030-12-03T07:30:00+00:00", PARIS)


def test_summer_time_moves_the_hour_by_two():
    assert messages.when("2030-07-01T07:00:00+00:00", PARIS) == "lundi 1 juillet, 9\u00a0h\u00a000"


def test_a_confirmed_booking_tells_its_family_the_child_the_slot_and_the_room():
    [notice] = messages.notices("bookings.booking_confirmed", BOOKING, PARIS)
    assert (notice.role, notice.subject_id, notice.kind) == ("family", "f1", "booking_confirmed")
    assert notice.text == (
        "Réservation confirmée pour Léa : mardi 3 décembre, 8\u00a0h\u00a030 – 12\u00a0h\u00a030 (salle Les Lucioles)."
    )
    assert notice.subject == "Réservation confirmée"


def test_without_the_childs_first_name_or_the_room_the_sentence_still_reads():
    old = {k: v for k, v in BOOKING.items() if k not in ("child_first_name", "room_name")}
    [notice] = messages.notices("bookings.booking_confirmed", old, PARIS)
    assert notice.text.startswith("Réservation confirmée pour votre enfant : mardi 3 décembre")
    assert "salle" not in notice.text


def test_a_waitlisted_booking_says_the_family_will_be_told():
    [notice] = messages.notices("bookings.booking_waitlisted", BOOKING, PARIS)
    assert "Léa est sur la liste d'attente" in notice.text
    assert "Vous serez prévenus" in notice.text


@pytest.mark.parametrize(("declinable", "says_free"), [(True, True), (False, False)])
def test_a_promotion_says_it_may_be_declined_free_only_inside_the_notice(declinable, says_free):
    promoted = dict(BOOKING, promoted_at="2030-12-02T10:00:00+00:00", declinable_without_charge=declinable)
    [notice] = messages.notices("bookings.booking_promoted", promoted, PARIS)
    assert notice.text.startswith("Une place s'est libérée : la réservation de Léa du mardi 3 décembre")
    assert ("ne sera pas facturée" in notice.text) is says_free


@pytest.mark.parametrize(
    ("was_status", "in_time", "says"),
    [
        ("confirmed", True, "elle ne sera pas facturée"),
        ("confirmed", False, "elle sera facturée comme réservée"),
        ("waitlisted", False, "rien n'est facturé"),
    ],
)
def test_a_cancellation_says_whether_it_is_billed(was_status, in_time, says):
    cancelled = dict(BOOKING, was_status=was_status, cancelled_in_time=in_time)
    [notice] = messages.notices("bookings.booking_cancelled", cancelled, PARIS)
    assert notice.text.startswith("La réservation de Léa du mardi 3 décembre, 8\u00a0h\u00a030")
    assert says in notice.text


def test_a_moved_activity_tells_each_of_its_volunteers_once_with_the_new_and_old_times():
    moved = dict(ACTIVITY, volunteer_ids=["v1", "v2", "v1"])
    notices = messages.notices("bookings.activity_rescheduled", moved, PARIS)
    assert [(n.role, n.subject_id) for n in notices] == [("volunteer", "v1"), ("volunteer", "v2")]
    assert notices[0].text == (
        "L'activité « Heure du conte » est déplacée : désormais le mercredi 4 décembre, 10\u00a0h\u00a000 – "
        "11\u00a0h\u00a000 (salle Bibliothèque), au lieu du mardi 3 décembre, 9\u00a0h\u00a030."
    )


def test_an_activity_without_volunteers_tells_nobody():
    assert messages.notices("bookings.activity_rescheduled", dict(ACTIVITY, volunteer_ids=[]), PARIS) == []
    assert messages.notices("bookings.activity_cancelled", {"activity_id": "a1", "reason": "Pluie"}, PARIS) == []


def test_a_cancelled_activity_gives_its_reason_as_a_sentence():
    cancelled = {"activity_id": "a1", "reason": "Intervenant malade", "title": "Heure du conte"}
    cancelled.update(starts_at=ACTIVITY["starts_at"], volunteer_ids=["v1"])
    [notice] = messages.notices("bookings.activity_cancelled", cancelled, PARIS)
    assert notice.text == (
        "L'activité « Heure du conte » du mercredi 4 décembre, 10\u00a0h\u00a000 est annulée. "
        "Motif : Intervenant malade."
    )


def test_an_event_no_rule_is_about_gives_nothing():
    assert messages.notices("bookings.room_released", {"session_id": "x", "room_id": "r"}, PARIS) == []


def test_every_rule_is_about_a_registered_event():
    from shared.events import registry

    for name in messages.RULES:
        registry.contract_for(name)  # KeyError for an unknown one


def test_the_email_carries_the_notice_and_where_to_read_the_others():
    [notice] = messages.notices("bookings.booking_confirmed", BOOKING, PARIS)
    body = messages.email_body(notice)
    assert notice.text in body
    assert body.startswith("Bonjour,")
    assert "Notifications" in body


HOURS = {"trainee_id": "t1", "starts_at": "2026-12-01T08:00:00+01:00", "ends_at": "2026-12-01T12:30:00+01:00"}


def test_a_trainee_is_told_when_the_tutor_validates_their_hours():
    [notice] = messages.notices("placements.hours_validated", dict(HOURS, hours="4.50"), PARIS)
    assert (notice.role, notice.subject_id, notice.kind) == ("trainee", "t1", "hours_validated")
    assert notice.text == (
        "Votre tuteur ou tutrice a validé vos heures du mardi 1 décembre, "
        "8\u00a0h\u00a000 – 12\u00a0h\u00a030 (4,5\u00a0h)."
    )


def test_a_trainee_is_told_why_their_hours_are_refused_and_where_to_correct_them():
    [notice] = messages.notices("placements.hours_rejected", dict(HOURS, hours="4.5", reason="Pause non notée"), PARIS)
    assert "sont refusées. Motif : Pause non notée. Vous pouvez les corriger" in notice.text
    assert notice.subject == "Heures de stage à corriger"


def test_a_volunteer_is_told_once_when_a_move_cancels_their_signup_and_not_twice_for_a_cancelled_activity():
    signup = {"signup_id": "s1", "activity_id": "a1", "volunteer_id": "v1", "title": "Éveil musical"}
    signup["starts_at"] = "2026-12-03T10:00:00+01:00"
    [notice] = messages.notices("volunteers.signup_cancelled", dict(signup, reason="activity_moved"), PARIS)
    assert (notice.role, notice.subject_id) == ("volunteer", "v1")
    assert "jeudi 3 décembre, 10\u00a0h\u00a000 a changé d'horaire" in notice.text
    assert messages.notices("volunteers.signup_cancelled", dict(signup, reason="activity_cancelled"), PARIS) == []


def test_a_volunteer_is_told_their_attestation_expires():
    expiring = {"volunteer_id": "v1", "honorability_id": "h1", "expires_on": "2027-01-09"}
    [notice] = messages.notices("volunteers.honorability_expiring", expiring, PARIS)
    assert notice.text.startswith("Votre attestation d'honorabilité expire le 9 janvier 2027.")
