"""The evacuation register's composition (services/gateway/evacuation.py), alone: the children from
bookings, the adults the schedule puts in the building, and what could not be listed."""

from types import SimpleNamespace

from nameko.exceptions import RpcTimeout

from services.gateway import evacuation

UNTIL = "2030-12-03T10:00:00+01:00"
CHILDREN = {"at": "2030-12-03T09:30:00+01:00", "count": 1, "children": [{"first_name": "Léa"}]}


def venue(sessions=(), trainees=("trainee-1",), volunteers=("volunteer-1",), education=None):
    on_site = {
        "activities": [
            {
                "title": "Conte",
                "room_name": "Atelier",
                "ends_at": UNTIL,
                "trainee_ids": list(trainees),
                "volunteer_ids": list(volunteers),
            }
        ],
        "sessions": list(sessions),
    }
    bookings = SimpleNamespace(building_register=lambda query: CHILDREN, on_site_now=lambda: on_site)
    return SimpleNamespace(bookings=bookings, education=education)


def education(trainer="Claire Roux", names=("Paul Durand",), down=False):
    def get_session(session_id):
        if down:
            raise RpcTimeout("education")
        return {"id": session_id, "trainer": trainer}

    def list_enrolments(session_id, query):
        assert query == {"status": "confirmed", "limit": evacuation.SESSION_PARTICIPANTS_SHOWN}
        return {"items": [{"name": name} for name in names]}

    return SimpleNamespace(get_session=get_session, list_enrolments=list_enrolments)


SESSION = {"session_id": "s-1", "title": "Premiers secours", "room_name": "Salle 2", "ends_at": UNTIL}


def test_the_register_puts_the_children_first_then_the_adults_of_each_activity_and_session():
    names = {"trainee-1": "Inès Petit", "volunteer-1": "Jeanne Moreau"}
    found = evacuation.register_now(venue([SESSION], education=education()), names_of=lambda ids: names)
    assert found.children == CHILDREN
    assert found.adults == [
        ("Inès Petit", "Stagiaire", "Conte (Atelier)", UNTIL),
        ("Jeanne Moreau", "Bénévole", "Conte (Atelier)", UNTIL),
        ("Claire Roux", "Formateur ou formatrice", "Premiers secours (Salle 2)", UNTIL),
        ("Paul Durand", "En formation", "Premiers secours (Salle 2)", UNTIL),
    ]
    assert found.missing == []


def test_someone_without_an_account_is_still_counted_by_what_they_are():
    found = evacuation.register_now(venue(), names_of=lambda ids: {})
    assert [(name, what) for name, what, _where, _until in found.adults] == [
        ("Stagiaire", "Stagiaire"),
        ("Bénévole", "Bénévole"),
    ]


def test_the_names_are_asked_once_for_every_adult_of_the_activities():
    asked = []
    evacuation.register_now(
        venue(trainees=["t-1", "t-2"], volunteers=["v-1"]), names_of=lambda ids: asked.append(ids) or {}
    )
    assert asked == [{"t-1", "t-2", "v-1"}]


def test_a_session_education_cannot_list_is_named_as_missing_and_the_rest_stays():
    found = evacuation.register_now(venue([SESSION], education=education(down=True)), names_of=lambda ids: {})
    assert len(found.adults) == 2 and found.children == CHILDREN
    assert found.missing == ["les participants de la formation « Premiers secours »"]


def test_a_session_without_a_trainer_lists_its_participants_only():
    found = evacuation.register_now(venue([SESSION], (), (), education(trainer=None)), names_of=lambda ids: {})
    assert found.adults == [("Paul Durand", "En formation", "Premiers secours (Salle 2)", UNTIL)]
