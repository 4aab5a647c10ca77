from services.volunteers.models import Opportunity, Volunteer
from shared.models import JsonField


def test_an_opportunity_is_still_keyed_by_its_activity_id_without_the_base_models_id():
    # The table as it always was: existing databases need no migration.
    assert Opportunity._meta.primary_key.name == "activity_id"
    assert "id" not in Opportunity._meta.fields
    assert "created_at" in Opportunity._meta.fields


def test_a_volunteer_has_the_base_models_string_id_drawn_at_creation():
    first, second = Volunteer(), Volunteer()
    assert isinstance(first.id, str) and len(first.id) == 36
    assert first.id != second.id


def test_interests_and_availability_are_lists_kept_as_json_text():
    field = JsonField()
    availability = [{"weekday": 1, "part": "morning"}]
    assert field.db_value(availability) == '[{"weekday": 1, "part": "morning"}]'
    assert field.python_value(field.db_value(availability)) == availability
    assert Volunteer().interests == []
