"""The shared labels (shared/vocabulary.py: one French label per value, the same in the services'
emails and files) as the pages and the calendar file show them: translated from the catalogue."""

from flask_babel import gettext as _

from shared.vocabulary import (
    ACTIVITY_KIND_LABELS,
    AGE_GROUP_LABELS,
    AGE_GROUP_UNKNOWN_LABEL,
    OUTCOME_LABELS,
    RESOURCES_SOURCE_LABELS,
    STAFF_ROLE_LABELS,
)


def translated(labels):
    return {value: _(text) for value, text in labels.items()}


def kind_label(kind):
    """« Heure du conte » for "story_time"; a value with no label as it is."""
    return _(ACTIVITY_KIND_LABELS[kind]) if kind in ACTIVITY_KIND_LABELS else kind or ""


def age_group_label(code):
    """The children's age group; « Âge non précisé » when there is none."""
    return _(AGE_GROUP_LABELS.get(code, AGE_GROUP_UNKNOWN_LABEL))


def staff_role_label(code):
    """« Comptabilité » for "accounting"; a value with no label as it is."""
    return _(STAFF_ROLE_LABELS[code]) if code in STAFF_ROLE_LABELS else code


def for_templates():
    """What every template may use: the labels of one value, and the tables the forms choose from."""
    return {
        "kind_label": kind_label,
        "age_group_label": age_group_label,
        "activity_kinds": translated(ACTIVITY_KIND_LABELS),
        "age_groups": translated(AGE_GROUP_LABELS),
        "resources_sources": translated(RESOURCES_SOURCE_LABELS),
        "staff_role_labels": translated(STAFF_ROLE_LABELS),
        "outcome_kinds": translated(OUTCOME_LABELS),
    }
