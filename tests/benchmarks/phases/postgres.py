"""Bookings on PostgreSQL with one then two bookings instances (the Procfile plus a `bookings2:`
line), 4 requests per slot of 3 places (locks contended, some waitlisted), then the overbooking
check; each tree on a stack of its own, with databases of its own."""

import uuid
from contextlib import contextmanager

from shared.components import COMPONENT_NAMES
from tests.benchmarks import seeding
from tests.benchmarks.load import LINES_PER_SECOND, run_wrk
from tests.benchmarks.progress import say
from tests.benchmarks.report import Line, ratio, wrk_line
from tests.benchmarks.stacks import running_stack


@contextmanager
def databases(admin_url):
    import psycopg2
    from psycopg2 import sql

    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    names = {c: f"cocoon_bench_{c}_{uuid.uuid4().hex[:8]}" for c in COMPONENT_NAMES}
    try:
        with admin.cursor() as cursor:
            for name in names.values():
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield {c: admin_url.rsplit("/", 1)[0] + "/" + n for c, n in names.items()}
    finally:
        with admin.cursor() as cursor:
            for name in names.values():
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def one_run(tree, workdir, admin_url, instances, connections, seconds, packaging):
    with databases(admin_url) as urls:
        label = f"postgres-{tree.label}-{instances}"
        with running_stack(tree, workdir, label, urls, instances, packaging) as stack:
            lines = seeding.prepare_bookings(
                stack, stack.var_dir / "load.tsv", LINES_PER_SECOND * seconds, per_slot=4, places=3
            )
            result = run_wrk(stack, "/api/v1/bookings", connections, seconds, lines)
            return result, seeding.overbooked_slots(stack)


def lines(trees, workdir, admin_url, connections, seconds, packaging=None):
    found, single = [], {}
    for instances in (1, 2):
        results, checks = {}, {}
        for tree in trees:
            say(f"{tree.label}: PostgreSQL, {instances} bookings instance(s)")
            results[tree.label], checks[tree.label] = one_run(
                tree, workdir, admin_url, instances, connections, seconds, packaging
            )
        found.append(wrk_line(f"bookings on PostgreSQL, {instances} instance(s), {connections} conn", results))
        cells = {label: f"{over} overbooked; {statuses}" for label, (over, statuses) in checks.items()}
        found.append(Line(f"PostgreSQL, {instances} instance(s): overbooked slots", cells))
        if instances == 1:
            single = {label: r["rps"] for label, r in results.items()}
        else:
            scale = {label: r["rps"] / single[label] for label, r in results.items() if single.get(label)}
            cells = {label: f"×{v:.2f}" for label, v in scale.items()}
            found.append(
                Line(
                    "PostgreSQL: 2 instances' req/s ÷ 1 instance's",
                    cells,
                    ratio(scale.get("baseline"), scale.get("change")),
                )
            )
    return found
