"""GET /api/v1/bookings as staff (the default first page) at each size, each tree on a stack of
its own seeded alike: p50 of 10 calls after a warm-up one."""

import statistics
import time

from tests.benchmarks import seeding
from tests.benchmarks.figures import ms
from tests.benchmarks.progress import say
from tests.benchmarks.report import Line, ratio


def timings(stack, samples=11, budget_seconds=60):
    """Milliseconds per GET /api/v1/bookings as staff (the first, warm-up, dropped), statuses, size."""
    found, statuses, size = [], set(), 0
    started = time.perf_counter()
    for n in range(samples):
        begun = time.perf_counter()
        answer = stack.staff.get("/api/v1/bookings")
        if n:
            found.append((time.perf_counter() - begun) * 1000)
        statuses.add(answer.status_code)
        size = len(answer.content)
        if time.perf_counter() - started > budget_seconds and found:
            break
    return found, statuses, size


def lines(stacks, sizes):
    found = []
    for size in sizes:
        cells, p50s, notes = {}, {}, []
        for label, stack in stacks.items():
            say(f"{label}: lists at {size} bookings")
            seeding.seed_bookings(stack, size)
            samples, statuses, size_bytes = timings(stack)
            p50s[label] = statistics.median(samples)
            cells[label] = f"p50 {ms(p50s[label])} · n={len(samples)}"
            notes.append(f"{label} HTTP {','.join(map(str, sorted(statuses)))}, {size_bytes / 1024:,.0f} KB")
        found.append(
            Line(
                f"list GET /api/v1/bookings (staff), {size:,} bookings",
                cells,
                ratio(p50s.get("baseline"), p50s.get("change"), "p50"),
                "; ".join(notes),
            )
        )
    return found
