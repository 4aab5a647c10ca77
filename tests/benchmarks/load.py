"""wrk against a stack, with the CPU time every process of the stack spent meanwhile.

wrk (C, two threads, Debian package `wrk`) drives the gateway with booking_load.lua, so the
client takes little of the CPU it measures. The stack's CPU is read from /proc before and after
(procs.py): the supervisor's whole tree, the broker excluded (it is shared with other runs).
The CPU of a run is counted from wrk's start until the stack is quiet again, so the work the
requests set off (events relayed and consumed downstream) is in it, less the stack's idle rate
(its timers) over that time, measured just before, once what the previous run set off is done.
"""

import subprocess
import time
from pathlib import Path

from tests.benchmarks.figures import parse_wrk

LUA = Path(__file__).resolve().parent / "booking_load.lua"
WRK_THREADS = 2  # the machine's cores; more threads only take CPU from what is measured
LINES_PER_SECOND = 1000  # booking requests prepared per second of wrk: more than any rate seen (reuse is reported)


def wrk_command(url, connections, seconds, lines_path=None):
    threads = min(connections, WRK_THREADS)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(LUA), url]
    return command + (["--", str(lines_path), str(threads)] if lines_path else [])


QUIET_WINDOW = 1.0  # seconds over which the stack's CPU rate is read
QUIET_LIMIT = 60.0  # seconds waited at most for the stack to be quiet again (its idle rate is ~0.01-0.03)


def with_cpu(result, cpu_seconds, tail=None):
    """parse_wrk's figures plus the stack's CPU: in all, and per successful (2xx) request."""
    ok = result["requests"] - result["non_2xx"]
    per_ok = cpu_seconds * 1000 / ok if ok else None
    return dict(result, cpu_s=cpu_seconds, ok=ok, cpu_ms_per_ok=per_ok, quiet_after_s=tail)


def cpu_rate(stack, window=QUIET_WINDOW):
    """CPU seconds per second the stack spends now."""
    before = stack.cpu_seconds()
    time.sleep(window)
    return (stack.cpu_seconds() - before) / window


def quiet(stack, idle_rate=0.0, limit=QUIET_LIMIT):
    """Wait until the stack's CPU rate is back near `idle_rate` (at most 0.05 CPU s/s when that
    is lower); the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < limit and cpu_rate(stack) > max(2 * idle_rate, 0.05):
        pass
    return time.monotonic() - started


def run_wrk(stack, path, connections, seconds, lines_path=None):
    """wrk on stack.base + path; its figures with the CPU the stack spent on it."""
    command = wrk_command(stack.base + path, connections, seconds, lines_path)
    quiet(stack)  # what the previous run set off is done
    idle_rate = cpu_rate(stack)
    before, started = stack.cpu_seconds(), time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    tail = quiet(stack, idle_rate)
    spent = stack.cpu_seconds() - before - idle_rate * (time.monotonic() - started)
    return with_cpu(parse_wrk(done.stdout + done.stderr), spent, tail)


class Background:
    """wrk running while the caller does something else: `finish()` gives run_wrk's figures."""

    def __init__(self, stack, path, connections, seconds, lines_path=None):
        self.stack, self.seconds = stack, seconds
        self.before = stack.cpu_seconds()
        command = wrk_command(stack.base + path, connections, seconds, lines_path)
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def running(self):
        return self.process.poll() is None

    def finish(self):
        output = self.process.communicate(timeout=self.seconds + 120)[0]
        return with_cpu(parse_wrk(output), self.stack.cpu_seconds() - self.before)
