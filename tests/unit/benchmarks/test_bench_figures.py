"""`make bench`'s pure part (tests/benchmarks/figures.py): percentiles, wrk's result line, the table."""

import json

import pytest

from tests.benchmarks.figures import ms, parse_wrk, percentile, render_table, row, samples_row, wrk_row

RESULT = {
    "requests": 1420,
    "duration_us": 10000000,
    "non_2xx": 3,
    "socket_errors": 1,
    "p50_us": 52000,
    "p95_us": 90500,
    "p99_us": 151000,
    "wrapped": 0,
}
WRK_OUTPUT = f"""Running 10s test @ http://127.0.0.1:8000/api/v1/bookings
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    55.10ms   20.02ms 151.00ms   70.00%
  1420 requests in 10.00s, 1.02MB read
BENCH {json.dumps(RESULT)}
"""


def test_a_percentile_is_the_nearest_rank_of_the_sorted_values():
    values = [5, 1, 4, 2, 3]
    assert percentile(values, 50) == 3
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 5
    assert percentile(list(range(1, 101)), 99) == 99


def test_the_percentile_of_nothing_is_none_and_the_table_shows_a_dash():
    assert percentile([], 50) is None
    assert ms(None) == "—"


def test_wrk_output_becomes_requests_per_second_and_latencies_in_milliseconds():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures["rps"] == pytest.approx(142.0)
    assert (figures["p50"], figures["p95"], figures["p99"]) == (52.0, 90.5, 151.0)
    assert (figures["non_2xx"], figures["socket_errors"], figures["reused"]) == (3, 1, 0)


def test_wrk_output_without_the_bench_line_is_an_error_quoting_the_output():
    with pytest.raises(ValueError, match="unable to connect"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


def test_a_wrk_row_says_errors_and_prepared_lines_that_ran_out():
    figures = dict(parse_wrk(WRK_OUTPUT), reused=2)
    line = wrk_row("bookings, 8 conn", figures)
    assert line[:5] == ("bookings, 8 conn", "142", "52.0 ms", "90.5 ms", "151 ms")
    assert "3 non-2xx" in line[5] and "1 socket errors" in line[5] and "ran out 2×" in line[5]


def test_durations_are_written_in_units_a_reader_compares_at_a_glance():
    assert [ms(0.0046), ms(2.84), ms(85.1), ms(1234.0)] == ["4.6 µs", "2.84 ms", "85.1 ms", "1,234 ms"]


def test_the_table_is_markdown_with_padded_columns_and_dashes_where_a_figure_does_not_apply():
    table = render_table([row("floor", p50=2.9, notes="n=200"), row("fees, 1 conn", 250.4, 4.1, 5.0, 9.0)])
    lines = table.splitlines()
    assert lines[0].startswith("| measure ") and lines[1].startswith("|---")
    assert lines[2].split("|")[1:-1] == [
        " floor        ",
        " —     ",
        " 2.90 ms ",
        " —       ",
        " —       ",
        " n=200           ",
    ]
    assert len({len(line) for line in lines}) == 1  # every line as wide: columns align in plain text


def test_a_samples_row_gives_the_percentiles_and_the_count_and_leaves_p95_out_when_asked():
    samples = [float(v) for v in range(1, 101)]
    assert samples_row("x", samples) == row("x", p50=51.0, p95=95.0, p99=99.0, notes="n=100")
    assert samples_row("x", samples, with_p95=False) == row("x", p50=51.0, p99=99.0, notes="n=100")
