"""The bench's pure part: percentiles, wrk's result line, the one table (unit-tested without a run)."""

import json

WRK_MARK = "BENCH "  # booking_load.lua's done() prints this, then one JSON object


def percentile(values, p):
    """The nearest-rank `p`th percentile (0-100) of `values`; None when there are none."""
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def parse_wrk(output):
    """wrk's run as figures: req/s, p50/p95/p99 in ms, non-2xx answers, socket errors, lines reused.

    `output` is wrk's stdout with booking_load.lua; ValueError quoting it when the line is missing."""
    for line in output.splitlines():
        if line.startswith(WRK_MARK):
            raw = json.loads(line[len(WRK_MARK) :])
            seconds = raw["duration_us"] / 1e6
            return {
                "requests": raw["requests"],
                "rps": raw["requests"] / seconds if seconds else 0.0,
                "p50": raw["p50_us"] / 1000,
                "p95": raw["p95_us"] / 1000,
                "p99": raw["p99_us"] / 1000,
                "non_2xx": raw["non_2xx"],
                "socket_errors": raw["socket_errors"],
                "reused": raw.get("wrapped", 0),
            }
    raise ValueError(f"no {WRK_MARK.strip()} line in wrk's output:\n{output[-2000:]}")


def ms(value):
    """A duration in ms for the table: 3 significant figures, µs below 0.1 ms, '—' when unknown."""
    if value is None:
        return "—"
    if value < 0.1:
        return f"{value * 1000:.1f} µs"
    if value < 10:
        return f"{value:.2f} ms"
    if value < 100:
        return f"{value:.1f} ms"
    return f"{value:,.0f} ms"


def rate(value):
    return "—" if value is None else f"{value:,.0f}"


COLUMNS = ("measure", "req/s", "p50", "p95", "p99", "non-2xx / notes")


def row(measure, rps=None, p50=None, p95=None, p99=None, notes=""):
    """One line of the table; durations in ms, None where a column does not apply."""
    return (measure, rate(rps), ms(p50), ms(p95), ms(p99), notes)


def samples_row(measure, samples, with_p95=True):
    """A table line from raw durations (ms): p50, p95 (unless `with_p95` is False), p99, n."""
    p95 = percentile(samples, 95) if with_p95 else None
    return row(measure, p50=percentile(samples, 50), p95=p95, p99=percentile(samples, 99), notes=f"n={len(samples)}")


def wrk_row(measure, result):
    """A table line from parse_wrk's figures."""
    notes = [f"{result['non_2xx']} non-2xx"]
    if result["socket_errors"]:
        notes.append(f"{result['socket_errors']} socket errors")
    if result["reused"]:
        notes.append(f"prepared lines ran out {result['reused']}× (later requests repeat: 409s)")
    return row(measure, result["rps"], result["p50"], result["p95"], result["p99"], ", ".join(notes))


def render_table(rows, columns=COLUMNS):
    """A Markdown table, columns padded so it also reads as plain text."""
    cells = [tuple(str(c) for c in columns)] + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns))]

    def line(values):
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule] + [line(values) for values in cells[1:]])
