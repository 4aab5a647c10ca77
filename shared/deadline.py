"""A command's deadline: the moment its caller stops waiting (the gateway's RPC timeout).

`@command` runs the command within `running_until(deadline)`; the transactions of shared/db.py
call `check_before_commit()` just before COMMIT. A command that outlived its caller (told 503)
then rolls back instead of committing a change the caller believes was not made. The deadline
is per greenthread (a context variable): the outbox relay and event handlers have none.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

_deadline_ms = ContextVar("cocoon_command_deadline_ms", default=None)


class DeadlinePassed(Exception):
    """The caller's deadline passed before COMMIT: the transaction was rolled back."""


def now_ms():
    return int(time.time() * 1000)


def deadline_in(seconds):
    """The deadline to send with a call the caller will wait `seconds` for."""
    return now_ms() + int(seconds * 1000)


def is_expired(deadline, now=None):
    try:
        return deadline is not None and int(deadline) < (now_ms() if now is None else now)
    except (TypeError, ValueError):
        return False  # not a deadline this code understands: run the command rather than lose it


@contextmanager
def running_until(deadline):
    """Transactions committed inside this block check `deadline` (epoch ms, or None) first."""
    token = _deadline_ms.set(deadline)
    try:
        yield
    finally:
        _deadline_ms.reset(token)


def check_before_commit():
    deadline = _deadline_ms.get()
    if is_expired(deadline):
        raise DeadlinePassed(f"the caller's deadline passed {now_ms() - int(deadline)} ms before COMMIT")


def seconds_left(default):
    """Seconds until the current command's deadline; `default` when it has none (an event handler)."""
    deadline = _deadline_ms.get()
    try:
        return (int(deadline) - now_ms()) / 1000 if deadline is not None else default
    except (TypeError, ValueError):
        return default
