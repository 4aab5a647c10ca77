"""`make bench`'s table with the baseline and the change side by side (tests/benchmarks/report.py),
and its place in docs/performance.md."""

from datetime import datetime, timezone
from pathlib import Path

from tests.benchmarks import report
from tests.benchmarks.procs import Memory
from tests.benchmarks.trees import Tree

BASELINE, CHANGE = Tree("baseline", Path("/b"), "8d2cb3e"), Tree("change", Path("/c"), "abc1234", dirty=True)


def _wrk(rps, p50, non_2xx=0, cpu=None):
    return {
        "rps": rps,
        "p50": p50,
        "p95": p50 * 2,
        "p99": p50 * 3,
        "non_2xx": non_2xx,
        "socket_errors": 0,
        "reused": 0,
        "cpu_ms_per_ok": cpu,
        "quiet_after_s": None,
    }


def test_the_table_has_a_column_per_tree_and_the_ratio_of_the_change_to_the_baseline():
    line = report.wrk_line("bookings, 32 conn", {"baseline": _wrk(100, 200), "change": _wrk(250, 80, non_2xx=2)})
    table = report.render([line], [BASELINE, CHANGE]).splitlines()
    assert [c.strip() for c in table[0].strip("|").split("|")] == [
        "measure",
        "baseline 8d2cb3e",
        "change abc1234 + uncommitted",
        "change ÷ baseline",
        "notes",
    ]
    cells = [c.strip() for c in table[2].strip("|").split("|")]
    assert cells[1] == "100 req/s · p50 200 ms · p99 600 ms"
    assert cells[2] == "250 req/s · p50 80.0 ms · p99 240 ms"
    assert cells[3] == "×2.50 req/s; ×0.40 p50"
    assert cells[4] == "baseline 0 non-2xx; change 2 non-2xx"


def test_with_the_working_tree_alone_there_is_no_ratio_column():
    line = report.wrk_line("fee quote, 8 conn", {"change": _wrk(300, 20)})
    header = report.render([line], [CHANGE]).splitlines()[0]
    assert "change abc1234" in header and "÷" not in header and "baseline" not in header


def test_a_figure_missing_on_one_side_leaves_the_ratio_empty():
    assert report.ratio(None, 3) == report.ratio(2, None) == report.ratio(0, 3) == ""
    assert report.ratio(4, 2, "p99") == "×0.50 p99"


def test_cpu_per_request_is_shown_in_milliseconds_with_its_ratio():
    line = report.cpu_line("CPU per booking", {"baseline": _wrk(1, 1, cpu=12.0), "change": _wrk(1, 1, cpu=5.4)})
    assert line.cells == {"baseline": "12.00 ms", "change": "5.40 ms"}
    assert line.ratio == "×0.45"


def test_latencies_show_their_median_99th_percentile_maximum_and_how_many_arrived():
    line = report.latency_line("activity → volunteer", {"baseline": ([10.0] * 99 + [900.0], 100), "change": ([], 5)})
    assert line.cells["baseline"] == "p50 10.0 ms · p99 10.0 ms · max 900 ms · 100/100"
    assert line.cells["change"] == "0/5 arrived"
    assert line.ratio == ""


def test_the_memory_table_has_a_row_per_process_a_total_and_n_a_for_a_packaging_a_tree_lacks():
    found = [Memory("bookings.1", 1, 102400, 81920, amqp=3), Memory("gateway.1 worker", 2, 51200, None, amqp=2)]
    table = report.memory_table({"baseline": found, "change (Procfile.one)": None}).splitlines()
    assert [c.strip() for c in table[2].strip("|").split("|")] == ["bookings.1", "100 MiB (80 MiB) · 3 AMQP", "n/a"]
    assert [c.strip() for c in table[-1].strip("|").split("|")] == ["total", "150 MiB (80 MiB) · 5 AMQP", "n/a"]


def test_the_header_says_when_which_code_which_machine_and_the_load_average():
    when = datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc)
    text = report.header([BASELINE, CHANGE], 312.4, 1.25, 3.5, "2 cores (AMD EPYC), 23.5 GiB", now=when)
    assert text == (
        "`make bench` — 2026-12-01 09:30 UTC; baseline 8d2cb3e, change abc1234 (with uncommitted changes); "
        "2 cores (AMD EPYC), 23.5 GiB; load average 1.2 before, 3.5 after; 312 s."
    )


def test_the_latest_run_section_is_replaced_and_the_sections_around_it_kept():
    document = "# Performance\n\nIntro.\n\n## Latest run\n\nold table\n\nold notes\n\n## The targets\n\nkept\n"
    replaced = report.replace_latest(document, "new header\n\nnew table\n")
    assert replaced == "# Performance\n\nIntro.\n\n## Latest run\n\nnew header\n\nnew table\n\n## The targets\n\nkept\n"


def test_a_document_without_the_section_gets_it_at_its_end():
    assert report.replace_latest("# Performance\n", "body\n") == "# Performance\n\n## Latest run\n\nbody\n"
