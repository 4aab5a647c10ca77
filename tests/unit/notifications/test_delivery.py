"""When an email that failed is tried again, and when it is given up (domain/delivery.py)."""

from datetime import datetime, timedelta

import pytest

from services.notifications.domain import delivery

NOW = datetime(2030, 12, 3, 9, 0)


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (4, 240)])
def test_each_wait_is_twice_the_one_before(attempts, seconds):
    assert delivery.retry_delay(attempts, 30, 3600) == timedelta(seconds=seconds)


@pytest.mark.parametrize(("attempts", "seconds"), [(7, 1920), (8, 3600), (9, 3600), (100, 3600)])
def test_the_wait_stops_growing_at_its_cap(attempts, seconds):
    assert delivery.retry_delay(attempts, 30, 3600) == timedelta(seconds=seconds)


def test_attempts_count_from_one():
    with pytest.raises(ValueError):
        delivery.retry_delay(0, 30, 3600)


def test_a_failure_before_the_last_attempt_keeps_the_email_pending_after_its_wait():
    assert delivery.after_failure(4, 5, NOW, 30, 3600) == (delivery.PENDING, NOW + timedelta(seconds=240))


def test_the_last_attempt_failing_gives_the_email_up():
    assert delivery.after_failure(5, 5, NOW, 30, 3600) == (delivery.FAILED, None)
    assert delivery.after_failure(6, 5, NOW, 30, 3600) == (delivery.FAILED, None)


def test_one_attempt_allowed_gives_up_at_the_first_failure():
    assert delivery.after_failure(1, 1, NOW, 30, 3600) == (delivery.FAILED, None)
