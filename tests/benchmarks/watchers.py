"""Watching for what a request caused to show up elsewhere: each expected thing is timed from
the 201 that caused it to the end of the first poll that saw it.

- RowWatch: the volunteers service's SQLite file, read-only, every 2 ms (the row itself);
- OpportunityWatch: GET /api/v1/opportunities as a signed-in volunteer, every ~20 ms;
- NotificationWatch: GET /api/v1/notifications as a signed-in family, every ~20 ms: a booking
  arrives with the first notification naming its child (each child has a first name of its own).
"""

import sqlite3
import threading
import time

ARRIVAL_LIMIT = 30.0  # seconds after its commit a thing counts as arrived


class Watch:
    """Polls in a thread of its own: `look(keys)` (made in that thread by `opener()`) answers
    which of the pending keys are visible now."""

    interval = 0.02

    def __init__(self, opener):
        self.opener, self.pending, self.latencies, self.failed_polls = opener, {}, [], 0
        self.lock, self.stopped = threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def expect(self, key, committed):
        with self.lock:
            self.pending[key] = committed

    def settled(self):
        """True when nothing is pending any more within ARRIVAL_LIMIT of its commit."""
        with self.lock:
            return all(time.perf_counter() - c > ARRIVAL_LIMIT for c in self.pending.values())

    def _poll(self):
        look = self.opener()
        while not self.stopped.is_set():
            with self.lock:
                keys = list(self.pending)
            if keys:
                try:
                    found = look(keys)
                except Exception:  # an answer that failed under load: the next poll tries again
                    found = ()
                    self.failed_polls += 1
                seen = time.perf_counter()
                with self.lock:
                    for key in found:
                        if key in self.pending:
                            latency = seen - self.pending.pop(key)
                            if latency <= ARRIVAL_LIMIT:
                                self.latencies.append(latency * 1000)
            time.sleep(self.interval)

    def stop(self):
        self.stopped.set()
        self.thread.join()


class RowWatch(Watch):
    """Activity ids appearing as rows of the volunteers' SQLite file."""

    interval = 0.002

    def __init__(self, volunteers_db, table="opportunity"):
        query = f"SELECT activity_id FROM {table} WHERE activity_id IN "

        def opener():
            connection = sqlite3.connect(f"file:{volunteers_db}?mode=ro", uri=True, check_same_thread=False)
            return lambda keys: [r[0] for r in connection.execute(query + f"({','.join('?' * len(keys))})", keys)]

        super().__init__(opener)


class OpportunityWatch(Watch):
    """Activity ids appearing in a volunteer's GET /api/v1/opportunities (one page of 500)."""

    def __init__(self, volunteer):
        def look(keys):
            answer = volunteer.get("/api/v1/opportunities", params={"limit": 500})
            answer.raise_for_status()
            return {o["activity_id"] for o in answer.json()} & set(keys)

        super().__init__(lambda: look)


class NotificationWatch(Watch):
    """Children's first names appearing in the family's notifications."""

    def __init__(self, family):
        def look(keys):
            answer = family.get("/api/v1/notifications", params={"limit": 500})
            answer.raise_for_status()
            texts = " ".join(n["text"] for n in answer.json())
            return [k for k in keys if k in texts]

        super().__init__(lambda: look)
