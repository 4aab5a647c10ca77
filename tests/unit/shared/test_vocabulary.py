"""One French label per value, for every value the services share (shared/vocabulary.py)."""

from shared import vocabulary


def test_every_activity_kind_age_group_and_resources_source_has_one_label():
    assert set(vocabulary.ACTIVITY_KIND_LABELS) == set(vocabulary.ACTIVITY_KINDS)
    assert set(vocabulary.AGE_GROUP_LABELS) == set(vocabulary.AGE_GROUPS)
    assert set(vocabulary.RESOURCES_SOURCE_LABELS) == set(vocabulary.RESOURCES_SOURCES)
    assert vocabulary.ACTIVITY_KIND_LABELS["story_time"] == "Heure du conte"
