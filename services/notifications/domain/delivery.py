"""When an email that could not be sent is tried again, and when it is given up.

An email is tried right after its notification is committed; an SMTP failure (server down,
refused, timed out) keeps it pending and tries again later, each wait twice the one before
(exponential back-off, capped), up to a bounded number of attempts; then it is marked failed
(and logged) and never sent. The notification itself stays on the person's page whatever
happens to its email. [practice]
"""

from datetime import timedelta

PENDING = "pending"  # to send (again) once `next_attempt_at` has passed
SENDING = "sending"  # claimed by a sender until `next_attempt_at` (its lease), then pending again
SENT = "sent"
FAILED = "failed"  # given up after the last attempt


def retry_delay(attempts, base_seconds, max_seconds):
    """The wait after the `attempts`-th failed attempt (1, 2, …): base, 2 × base, 4 × base, … at most max."""
    if attempts < 1:
        raise ValueError("attempts counts from 1")
    return timedelta(seconds=min(max_seconds, base_seconds * 2 ** min(attempts - 1, 30)))


def after_failure(attempts, max_attempts, now, base_seconds, max_seconds):
    """(status, next attempt time) once the `attempts`-th attempt failed: failed at the last one,
    else pending again after its back-off."""
    if attempts >= max_attempts:
        return FAILED, None
    return PENDING, now + retry_delay(attempts, base_seconds, max_seconds)
