"""wrk against a stack, with the CPU time every process of the stack spent meanwhile.

wrk (C, two threads, Debian package `wrk`) drives the gateway with booking_load.lua, so the
client takes little of the CPU it measures. The stack's CPU is read from /proc before and after
(procs.py): the supervisor's whole tree, the broker excluded (it is shared with other runs).
"""

import subprocess
from pathlib import Path

from tests.benchmarks.figures import parse_wrk

LUA = Path(__file__).resolve().parent / "booking_load.lua"
WRK_THREADS = 2  # the machine's cores; more threads only take CPU from what is measured
LINES_PER_SECOND = 1000  # booking requests prepared per second of wrk: more than any rate seen (reuse is reported)


def wrk_command(url, connections, seconds, lines_path=None):
    threads = min(connections, WRK_THREADS)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(LUA), url]
    return command + (["--", str(lines_path), str(threads)] if lines_path else [])


def with_cpu(result, cpu_seconds):
    """parse_wrk's figures plus the stack's CPU: in all, and per successful (2xx) request."""
    ok = result["requests"] - result["non_2xx"]
    return dict(result, cpu_s=cpu_seconds, ok=ok, cpu_ms_per_ok=cpu_seconds * 1000 / ok if ok else None)


def run_wrk(stack, path, connections, seconds, lines_path=None):
    """wrk on stack.base + path; its figures with the CPU the stack spent during the run."""
    command = wrk_command(stack.base + path, connections, seconds, lines_path)
    before = stack.cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    spent = stack.cpu_seconds() - before
    return with_cpu(parse_wrk(done.stdout + done.stderr), spent)


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
