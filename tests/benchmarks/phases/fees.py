"""The fee quote through the gateway (an RPC that computes nothing) next to the bare stack's
no-op RPC (bare_stack/), at each connection count; GET /healthz (no RPC) at 1 connection.

At each count: the baseline's fee quote, the bare stack, the change's fee quote, the bare stack
again: each tree's fee quote ÷ bare uses the bare run next to it, and the bare row's own ratio
shows how much the machine drifted between the two.
"""

from tests.benchmarks.load import run_wrk
from tests.benchmarks.progress import say
from tests.benchmarks.report import Line, cpu_line, ratio, wrk_line

QUOTE = "/api/v1/fees/quote?monthly_resources=3000&dependent_children=1"
RATIO_AT = (8, 32)
CPU_NOTE = "every process of the stack, per 2xx"  # connection counts of the fee quote ÷ bare line (target ≤ 1.15)


def quote_over_bare(connections, quotes, bares):
    """The fee quote's p50 ÷ the bare stack's, per tree (and its req/s against the bare's in notes)."""
    cells, p50s, notes = {}, {}, []
    for label, quote in quotes.items():
        bare = bares[label]
        p50s[label] = quote["p50"] / bare["p50"] if bare["p50"] else None
        cells[label] = "—" if p50s[label] is None else f"×{p50s[label]:.2f} p50"
        if quote["rps"]:
            notes.append(f"{label} bare req/s ÷ fee quote req/s ×{bare['rps'] / quote['rps']:.2f}")
    return Line(
        f"fee quote ÷ bare stack, {connections} conn (target ≤ 1.15)",
        cells,
        ratio(p50s.get("baseline"), p50s.get("change")),
        "; ".join(notes),
    )


def lines(stacks, bare, connections, seconds):
    say("fees: GET /healthz, the fee quote, the bare stack")
    health = {label: run_wrk(stack, "/healthz", 1, seconds) for label, stack in stacks.items()}
    found = [wrk_line("gateway GET /healthz (no RPC), 1 conn", health)]
    for c in connections:
        quotes, bares = {}, {}
        for label, stack in stacks.items():
            say(f"{label}: fee quote at {c} connection(s), then the bare stack")
            quotes[label] = run_wrk(stack, QUOTE, c, seconds)
            bares[label] = run_wrk(bare, "/noop", c, seconds)
        found.append(wrk_line(f"fee quote GET /api/v1/fees/quote, {c} conn", quotes))
        found.append(wrk_line(f"bare nameko + Flask, no-op RPC, {c} conn", bares))
        if c in RATIO_AT:
            found.append(quote_over_bare(c, quotes, bares))
        if c == max(connections):
            found.append(cpu_line(f"CPU per fee quote, {c} conn", quotes, CPU_NOTE))
            found.append(cpu_line(f"CPU per bare no-op request, {c} conn", bares, CPU_NOTE))
    return found
