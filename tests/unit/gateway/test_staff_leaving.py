"""Who marks a staff member as left (services/gateway/staff_leaving.py): `active` read as the team
service reads a boolean, and nobody marks themselves."""

from types import SimpleNamespace

from services.gateway import staff_leaving

ME = SimpleNamespace(id="compte-1")


def test_active_false_in_any_spelling_the_team_accepts_marks_as_left():
    for value in (False, "false", "False", 0, "0", "no", "off"):
        assert staff_leaving.marks_as_left({"active": value}), value


def test_active_true_absent_or_not_a_boolean_does_not_mark_as_left():
    for data in ({"active": True}, {}, {"active": None}, {"active": []}, {"active": 0.0}, {"job_title": "EJE"}):
        assert not staff_leaving.marks_as_left(data), data


def test_nobody_marks_themselves_as_left_but_may_mark_another():
    assert staff_leaving.leaving_yourself("compte-1", {"active": False}, ME) == staff_leaving.NOT_YOURSELF
    assert staff_leaving.leaving_yourself("compte-2", {"active": False}, ME) is None
    assert staff_leaving.leaving_yourself("compte-1", {"active": True}, ME) is None
