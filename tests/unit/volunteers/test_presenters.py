from datetime import date, datetime

from services.volunteers import presenters
from services.volunteers.domain.matching import Ranked
from services.volunteers.models import Opportunity, Volunteer


def test_an_opportunity_is_answered_in_the_venues_zone_with_its_match():
    row = Opportunity(
        activity_id="a1",
        title="Heure du conte",
        kind="story_time",
        room_name="Lucioles",
        starts_at=datetime(2030, 12, 3, 8, 30),
        ends_at=datetime(2030, 12, 3, 9, 30),
        volunteer_slots=2,
        status="open",
        children_capacity=8,
        filled=1,
    )  # stored naive UTC
    assert presenters.ranked_opportunities([Ranked(row, 3)]) == [
        {
            "activity_id": "a1",
            "title": "Heure du conte",
            "kind": "story_time",
            "room_name": "Lucioles",
            "starts_at": "2030-12-03T09:30:00+01:00",
            "ends_at": "2030-12-03T10:30:00+01:00",
            "volunteer_slots": 2,
            "status": "open",
            "children_capacity": 8,
            "volunteers_confirmed": 1,
            "free_places": 1,
            "match": 3,
        }
    ]


def test_a_volunteer_is_answered_with_interests_and_availability_as_lists():
    row = Volunteer(
        id="v1",
        email="jeanne@example.fr",
        first_name="Jeanne",
        last_name="Roux",
        birth_date=date(1950, 4, 2),
        phone="0601020304",
        interests=["gardening"],
        availability=[{"weekday": 1, "part": "morning"}],
    )
    assert presenters.volunteer(row) == {
        "id": "v1",
        "email": "jeanne@example.fr",
        "first_name": "Jeanne",
        "last_name": "Roux",
        "birth_date": "1950-04-02",
        "phone": "0601020304",
        "interests": ["gardening"],
        "availability": [{"weekday": 1, "part": "morning"}],
    }
