"""The venue idle: each tree's stack started, ready, then left ~10 s; the memory of every process
the supervisor started (RSS, and PSS from smaps_rollup: shared pages split between processes)
and the AMQP connections on the stack's vhost. Also the one-process packaging where the tree
has it (Procfile.one, COCOON_PROCESSES=one); "n/a" where it has not (the baseline)."""

import time

from tests.benchmarks import broker, procs
from tests.benchmarks.progress import say
from tests.benchmarks.report import Line, memory_table, mib, ratio
from tests.benchmarks.stacks import ONE_PROCESS, running_stack

IDLE_SECONDS = 10


def measure(tree, workdir, packaging=None):
    """(the supervisor's children's Memory list, AMQP connections on the vhost: the management
    API's count, which lags by a few seconds) of an idle stack."""
    suffix = "-one" if packaging == ONE_PROCESS else ""
    with running_stack(tree, workdir, f"idle-{tree.label}{suffix}", packaging=packaging) as stack:
        say(f"{stack.label}: idle {IDLE_SECONDS} s")
        time.sleep(IDLE_SECONDS)
        memory = procs.memory(stack.processes()[1:])  # the supervisor's own is not the venue's
        return memory, len(broker.connections(stack.vhost))


def _cells(figures):
    cells = {}
    for label, found in figures.items():
        if found is None:
            cells[label] = "n/a"
            continue
        memory, connections = found
        rss, pss = sum(m.rss_kib for m in memory), sum(m.pss_kib or 0 for m in memory)
        cells[label] = f"RSS {mib(rss)} · PSS {mib(pss)} · {len(memory)} processes · {connections} AMQP connections"
        if sum(m.amqp for m in memory) != connections:
            cells[label] += f" ({sum(m.amqp for m in memory)} by /proc)"
    return cells


def _total(found):
    return None if found is None else sum(m.rss_kib for m in found[0])


def lines(trees, workdir, packaging=None):
    """The rows, and the per-process table (Markdown)."""
    usual, one = {}, {}
    for tree in trees:
        usual[tree.label] = measure(tree, workdir, packaging)
    for tree in trees:
        if not tree.has("Procfile.one"):
            one[tree.label] = None
        else:
            one[tree.label] = usual[tree.label] if packaging == ONE_PROCESS else measure(tree, workdir, ONE_PROCESS)
    title = "Procfile.one where there is one" if packaging == ONE_PROCESS else "Procfile"
    found = [
        Line(
            f"idle venue ({title}): memory of every process, AMQP connections",
            _cells(usual),
            ratio(_total(usual.get("baseline")), _total(usual.get("change")), "RSS"),
            "after ready + 10 s; the supervisor itself not counted",
        ),
        Line(
            "idle venue, one process (Procfile.one, COCOON_PROCESSES=one; target ≤ 300 MiB RSS, ≤ 20 connections)",
            _cells(one),
            ratio(_total(usual.get("baseline")), _total(one.get("change")), "RSS vs the baseline's row above"),
        ),
    ]
    columns = {f"{label} ({title})": f[0] for label, f in usual.items()}
    if packaging != ONE_PROCESS and any(one.values()):
        columns.update({f"{label} (Procfile.one)": (f[0] if f else None) for label, f in one.items()})
    return found, memory_table(columns)
