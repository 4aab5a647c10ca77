"""Small helpers for tests."""
import time


def wait_for(predicate, timeout=10.0, interval=0.05, message="condition"):
    """Poll until predicate() is truthy; returns its value or fails with `message`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)
