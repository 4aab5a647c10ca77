"""The bench's table with the baseline and the change side by side, its header line, and its
place in docs/performance.md (pure but for `machine` and `write_latest`; unit-tested)."""

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.benchmarks.figures import ms, percentile, rate, render_table

RATIO = "change ÷ baseline"
LATEST = "## Latest run"


@dataclass
class Line:
    """One row: a measure, a cell per tree label, the change ÷ baseline ratio, notes."""

    measure: str
    cells: dict
    ratio: str = ""
    notes: str = ""


def columns(trees):
    return ["measure", *(t.title for t in trees), *([RATIO] if len(trees) == 2 else []), "notes"]


def render(lines, trees):
    """The Markdown table of `lines` for `trees` (a ratio column when there are two)."""
    rows = []
    for line in lines:
        cells = [line.cells.get(t.label, "—") for t in trees]
        rows.append((line.measure, *cells, *([line.ratio] if len(trees) == 2 else []), line.notes))
    return render_table(rows, columns(trees))


def ratio(baseline, change, what=""):
    """'×0.52 what' (change ÷ baseline); '' when either is missing or the baseline is 0."""
    if baseline in (None, 0) or change is None:
        return ""
    return f"×{change / baseline:.2f}{' ' + what if what else ''}"


def ratios(*parts):
    return "; ".join(p for p in parts if p)


def both(values, key=None):
    """(baseline, change) of {label: value}, through `key` when given (None stays None)."""
    pick = (lambda v: v if v is None else key(v)) if key else (lambda v: v)
    return pick(values.get("baseline")), pick(values.get("change"))


# --- cells -----------------------------------------------------------------------------------------------
def wrk_cell(result):
    if result is None:
        return "—"
    return f"{rate(result['rps'])} req/s · p50 {ms(result['p50'])} · p99 {ms(result['p99'])}"


def wrk_notes(results):
    """non-2xx answers (and socket errors, prepared lines reused) of each tree's run."""
    notes = []
    for label, result in results.items():
        if result is None:
            continue
        note = f"{label} {result['non_2xx']} non-2xx"
        if result.get("socket_errors"):
            note += f", {result['socket_errors']} socket errors"
        if result.get("reused"):
            note += f", prepared lines ran out {result['reused']}× (409s)"
        notes.append(note)
    return "; ".join(notes)


def wrk_line(measure, results):
    """A wrk run per tree: req/s, p50, p99; the ratio of req/s and of p50."""
    (b_rps, c_rps), (b_p50, c_p50) = both(results, lambda r: r["rps"]), both(results, lambda r: r["p50"])
    cells = {label: wrk_cell(r) for label, r in results.items()}
    return Line(measure, cells, ratios(ratio(b_rps, c_rps, "req/s"), ratio(b_p50, c_p50, "p50")), wrk_notes(results))


def cpu_line(measure, results, notes=""):
    """CPU ms of the stack's processes per successful request of each tree's wrk run (and how
    long each stack took to be quiet again after the run, in the notes)."""
    values = {label: r and r.get("cpu_ms_per_ok") for label, r in results.items()}
    cells = {label: ("—" if v is None else f"{v:.2f} ms") for label, v in values.items()}
    tails = [
        f"{label} quiet {r['quiet_after_s']:.0f} s after"
        for label, r in results.items()
        if r and r.get("quiet_after_s")
    ]
    return Line(measure, cells, ratio(*both(values)), "; ".join([notes, *tails]) if notes else "; ".join(tails))


def latency_cell(latencies, sent):
    if not sent:
        return "—"
    if not latencies:
        return f"0/{sent} arrived"
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    return f"p50 {ms(p50)} · p99 {ms(p99)} · max {ms(max(latencies))} · {len(latencies)}/{sent}"


def latency_line(measure, figures, notes=""):
    """{label: (latencies in ms, sent)}: p50, p99, max, arrived/sent; the ratio of p99."""
    cells = {label: latency_cell(*f) for label, f in figures.items()}
    p99 = {label: percentile(f[0], 99) for label, f in figures.items()}
    return Line(measure, cells, ratio(*both(p99), "p99"), notes)


def mib(kib):
    return "—" if kib is None else f"{kib / 1024:,.0f} MiB"


def memory_table(columns_memory):
    """{column title: [procs.Memory] or None}: RSS (PSS) and connections to the broker per
    process name, and the total; a column whose packaging a tree lacks says n/a."""
    names = []
    for found in columns_memory.values():
        for m in found or []:
            if m.name not in names:
                names.append(m.name)
    rows = []
    for name in names + ["total"]:
        cells = []
        for found in columns_memory.values():
            picked = [m for m in found or [] if name in ("total", m.name)]
            if found is None or not picked:
                cells.append("n/a" if found is None else "—")
                continue
            rss, pss = sum(m.rss_kib for m in picked), sum(m.pss_kib or 0 for m in picked)
            several = f" · {len(picked)} processes" if name != "total" and len(picked) > 1 else ""
            cells.append(f"{mib(rss)} ({mib(pss)}) · {sum(m.amqp for m in picked)} AMQP{several}")
        rows.append((name, *cells))
    return render_table(rows, ["process: RSS (PSS) · AMQP connections", *columns_memory])


# --- header and docs/performance.md ----------------------------------------------------------------------
def machine():
    """'2 cores (AMD EPYC …), 23.5 GiB'."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        "?",
    )
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0"
    )
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) / 1024 / 1024:.1f} GiB"


def header(trees, elapsed, load_before, load_after, machine_text, now=None):
    """When, which code, which machine, and how busy it was (1-minute load average before and after)."""
    now = now or datetime.now().astimezone()
    code = ", ".join(f"{t.label} {t.commit}{' (with uncommitted changes)' if t.dirty else ''}" for t in trees)
    return (
        f"`make bench` — {now:%Y-%m-%d %H:%M %Z}; {code}; {machine_text}; "
        f"load average {load_before:.1f} before, {load_after:.1f} after; {elapsed:.0f} s."
    )


def latest_section(header_line, tables, notes=()):
    """The body of the "Latest run" section: the header line, the tables, notes."""
    parts = [header_line, *tables, *notes]
    return "\n\n".join(p.strip() for p in parts if p.strip()) + "\n"


def replace_latest(document, body):
    """`document` with its "## Latest run" section's body replaced (appended when there is none)."""
    lines = document.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\n") == LATEST]
    if not starts:
        return document.rstrip("\n") + f"\n\n{LATEST}\n\n{body}"
    start = starts[0] + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + "\n" + body + ("\n" + tail if tail else "")


def write_latest(path, body):
    path = Path(path)
    path.write_text(replace_latest(path.read_text(), body))
