"""One writer at a time per SQLite file in a process, waiting without blocking eventlet's hub.

SQLite admits one writer per file. Its own wait (busy_timeout) sleeps in C: in a nameko service
every greenthread shares one OS thread, so a writer waiting there froze the whole process for up
to 5 s, the greenthread holding the lock included (it could not reach its COMMIT): every write
failed with "database is locked", RPCs timed out, the outbox relay stalled. So in a green process:

- every outermost transaction, and every write outside one, first takes this process's lock for
  that file (`lock_of`), a green lock: a writer waiting there lets the others run. It waits at
  most WRITE_WAIT_SECONDS, then fails as "database is locked" (the call's 503, an event's retry);
- SQLite's busy_timeout is GREEN_BUSY_TIMEOUT_MS, only for another process holding the file (make
  migrate, a second process started by mistake): a BEGIN refused as busy is tried again after a
  green sleep, within the same WRITE_WAIT_SECONDS. The hub then stalls at most that long per try.

A process without eventlet (the gateway's gunicorn threads) gets a plain thread lock and keeps
SQLite's 5 s busy wait: a thread waiting in C holds no other thread up.
"""

import itertools
import os
import threading
import time

from peewee import OperationalError

WRITE_WAIT_SECONDS = 5.0  # as long as SQLite's busy_timeout waited before
GREEN_BUSY_TIMEOUT_MS = 50
THREAD_BUSY_TIMEOUT_MS = 5000
_BUSY_PAUSES = (0.01, 0.02, 0.05, 0.1, 0.2)  # between BEGINs refused by another process

_locks = {}
_locks_guard = threading.Lock()


def is_green():
    """True in a process monkey-patched by eventlet (nameko services, the test suite)."""
    try:
        import eventlet.patcher
    except ImportError:
        return False
    return eventlet.patcher.is_monkey_patched("thread")


def busy_timeout_ms():
    return GREEN_BUSY_TIMEOUT_MS if is_green() else THREAD_BUSY_TIMEOUT_MS


class WriterLock:
    def __init__(self):
        if is_green():
            from eventlet.semaphore import Semaphore

            self._lock = Semaphore(1)
        else:
            self._lock = threading.Lock()

    def acquire(self, timeout=WRITE_WAIT_SECONDS):
        return self._lock.acquire(timeout=timeout)

    def release(self):
        self._lock.release()

    def locked(self):
        return self._lock.locked()


def lock_of(database):
    """The writer lock of this process for `database`'s file (one per file, whatever the object)."""
    key = os.path.realpath(database.database) if database.database != ":memory:" else id(database)
    with _locks_guard:
        if key not in _locks:
            _locks[key] = WriterLock()
        return _locks[key]


def acquire(database):
    if not lock_of(database).acquire(WRITE_WAIT_SECONDS):
        raise OperationalError(
            f"database is locked: another writer of this process held it over {WRITE_WAIT_SECONDS:g} s"
        )


def release(database):
    lock_of(database).release()


def is_busy(exc):
    return "database is locked" in str(exc) or "database is busy" in str(exc)


def retry_while_busy(run):
    """`run()` (a BEGIN, or a write outside a transaction: nothing done when refused) again while
    another process holds the file, with green pauses, for up to WRITE_WAIT_SECONDS."""
    deadline = time.monotonic() + WRITE_WAIT_SECONDS
    for attempt in itertools.count():
        try:
            return run()
        except OperationalError as exc:
            pause = _BUSY_PAUSES[min(attempt, len(_BUSY_PAUSES) - 1)]
            if not is_busy(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)  # green under eventlet's monkey patch
