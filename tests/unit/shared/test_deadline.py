"""How long a command may still wait: until its caller's deadline (shared/deadline.py)."""

from shared.deadline import deadline_in, running_until, seconds_left


def test_without_a_deadline_the_default_wait_applies():
    assert seconds_left(default=10.0) == 10.0


def test_within_a_command_the_wait_is_what_is_left_before_its_deadline():
    with running_until(deadline_in(3)):
        assert 2.0 < seconds_left(default=10.0) <= 3.0


def test_a_deadline_already_passed_leaves_a_negative_wait():
    with running_until(deadline_in(-1)):
        assert seconds_left(default=10.0) < 0


def test_a_deadline_this_code_does_not_understand_is_ignored():
    with running_until("demain"):
        assert seconds_left(default=10.0) == 10.0
