"""`make run`: start every process of the Procfile, as `honcho start` does, and keep the venue up.

    python -m shared.dev run [-f Procfile] [-e var/dev.env] [--restarts 3] [--window-minutes 5]
                             [--once "demo=python -m shared.demo"]

Without -f, the Procfile of the packaging COCOON_PROCESSES names (docs/hosting.md, "What a venue
costs"): `split` (the default) runs Procfile, one process per service; `one` runs Procfile.one,
every nameko service in one process beside the gateway.

Same Procfile, env file and output as honcho (`12:00:01 bookings.1 | <line>`, through honcho's
own parser and printer), with two differences:
- a process that exits says so in one line, with why: its exit code or signal and the last line
  it printed (for a crash, the exception);
- one that exits with an error is started again, up to `--restarts` times within
  `--window-minutes`, one line each time; past that, or when a process exits with 0, every
  process is stopped, as honcho does.
A process given with `--once` (`make run`'s demo data loader) runs once beside the others: its end,
said in one line, stops nothing and is not restarted.
Ctrl+C (or SIGTERM) stops them all: SIGTERM to each process group, SIGKILL after STOP_WAIT_SECONDS
or at a second Ctrl+C.
"""

import argparse
import collections
import datetime
import math
import os
import queue
import signal
import subprocess
import sys
import threading
import time

from honcho.colour import get_colours
from honcho.environ import ProcessParams, expand_processes, parse, parse_procfile
from honcho.printer import Message, Printer

from shared import components

SYSTEM = "system"
STOP_WAIT_SECONDS = 10
SIGNAL_EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


class RestartBudget:
    """At most `limit` restarts within any `window_seconds`: a crash loop ends, a rare crash does not."""

    def __init__(self, limit, window_seconds, clock=time.monotonic):
        self.limit = limit
        self.window_seconds = window_seconds
        self.clock = clock
        self.restarts = collections.deque()

    def take(self):
        """True (and counted) when one more restart fits in the window."""
        now = self.clock()
        while self.restarts and now - self.restarts[0] >= self.window_seconds:
            self.restarts.popleft()
        if len(self.restarts) >= self.limit:
            return False
        self.restarts.append(now)
        return True

    def __len__(self):
        return len(self.restarts)


class Child:
    """One Procfile process: its command, environment, current Popen and last line printed."""

    def __init__(self, name, command, env, colour, budget, once=False):
        self.once = once  # run once: its end stops nothing (--once)
        self.name = name
        self.command = command
        self.env = env
        self.colour = colour
        self.budget = budget
        self.popen = None
        self.alive = False  # started, and its exit not handled yet
        self.last_line = ""
        self.restart_at = None  # monotonic time of a pending restart


def why(returncode, last_line):
    """`exited with code 1 (last line: ValueError: ...)` or `was killed by SIGKILL (...)`."""
    if returncode < 0:
        try:
            what = f"was killed by {signal.Signals(-returncode).name}"
        except ValueError:
            what = f"was killed by signal {-returncode}"
    else:
        what = f"exited with code {returncode}"
    last_line = last_line.strip()
    if len(last_line) > 200:
        last_line = last_line[:197] + "..."
    return f"{what} (last line: {last_line})" if last_line else f"{what} (printed nothing)"


class Supervisor:
    def __init__(self, processes, printer, restarts=3, window_seconds=300, restart_delay=1.0, once=()):
        colours = get_colours()
        self.children = [
            Child(p.name, p.cmd, p.env, next(colours), RestartBudget(restarts, window_seconds)) for p in processes
        ] + [Child(p.name, p.cmd, p.env, next(colours), RestartBudget(0, window_seconds), once=True) for p in once]
        self.printer = printer
        self.printer.width = max([len(SYSTEM)] + [len(c.name) for c in self.children])
        self.restart_delay = restart_delay
        self.events = queue.Queue()
        self.returncode = None
        self.stopping_since = None
        self.received_signal = None  # set by the handler, acted on by the loop (no lock in a handler)

    # --- output ---
    def say(self, text, name=SYSTEM, colour=None):
        self.printer.write(Message(type="line", data=text, time=datetime.datetime.now(), name=name, colour=colour))

    # --- processes ---
    def start(self, child):
        # `exec`: the shell becomes the command, so signals and exit codes are the command's own;
        # its own session: Ctrl+C reaches this supervisor only, which stops the children in order
        child.popen = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {child.command}"],
            env=child.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        child.alive, child.restart_at = True, None
        self.say(f"{child.name} started (pid={child.popen.pid})")
        threading.Thread(target=self._relay_output, args=(child, child.popen), daemon=True).start()

    def _relay_output(self, child, popen):
        for raw in iter(popen.stdout.readline, b""):
            self.events.put(("line", child, raw))
        popen.stdout.close()
        popen.wait()
        self.events.put(("exit", child, popen))

    def on_line(self, child, raw):
        text = raw.decode("utf-8", "replace").rstrip("\n")
        if text.strip():
            child.last_line = text
        self.say(text, name=child.name, colour=child.colour)

    def on_exit(self, child, popen):
        child.alive = False
        code = popen.returncode
        said = f"{child.name} {why(code, child.last_line)}"
        if self.stopping_since is not None:
            self.say(f"{child.name} stopped")
        elif child.once:
            self.say(f"{said}: it runs once, the others keep running")
        elif code != 0 and child.budget.take():
            child.restart_at = time.monotonic() + self.restart_delay
            self.say(
                f"{said}: restarting it ({len(child.budget)} of {child.budget.limit} restarts "
                f"within {child.budget.window_seconds / 60:g} min)"
            )
        elif code != 0:
            self.say(
                f"{said}, and was restarted {child.budget.limit} times within "
                f"{child.budget.window_seconds / 60:g} min: stopping every process"
            )
            self.stop(returncode=code if code > 0 else 1)
        else:
            self.say(f"{said}: stopping every process")
            self.stop(returncode=0)
        child.last_line = ""

    def stop(self, returncode):
        if self.stopping_since is not None:
            return
        self.stopping_since = time.monotonic()
        self.returncode = returncode
        for child in self.children:
            child.restart_at = None
            if child.alive:
                self.say(f"sending SIGTERM to {child.name} (pid {child.popen.pid})")
                _signal_group(child.popen, signal.SIGTERM)

    def on_signal(self, signum, frame):
        self.received_signal = signum

    # --- the loop ---
    def run(self):
        for signum in SIGNAL_EXIT_CODES:
            signal.signal(signum, self.on_signal)
        for child in self.children:
            self.start(child)
        while any(c.alive or c.restart_at is not None for c in self.children):
            self._handle_next_event()
            self._handle_signal()
            now = time.monotonic()
            self._start_due_restarts(now)
            self._kill_when_stop_overdue(now)
        return self.returncode or 0

    def _handle_next_event(self):
        """A child's line or exit; waits at most 0.1 s, so signals and restarts are seen in time."""
        try:
            kind, child, data = self.events.get(timeout=0.1)
        except queue.Empty:
            return
        if kind == "line":
            self.on_line(child, data)
        elif kind == "exit":
            self.on_exit(child, data)

    def _handle_signal(self):
        """Ctrl+C or SIGTERM, noted by on_signal: stop everything; asked twice, kill now rather than wait."""
        if self.received_signal is None:
            return
        signum, self.received_signal = self.received_signal, None
        self.say(f"{signal.Signals(signum).name} received")
        if self.stopping_since is not None:
            self.stopping_since = -math.inf
        self.stop(returncode=SIGNAL_EXIT_CODES[signum])

    def _start_due_restarts(self, now):
        for child in self.children:
            if child.restart_at is not None and now >= child.restart_at:
                self.start(child)

    def _kill_when_stop_overdue(self, now):
        """SIGKILL to the children still alive STOP_WAIT_SECONDS after the SIGTERM."""
        if self.stopping_since is None or now - self.stopping_since <= STOP_WAIT_SECONDS:
            return
        for child in self.children:
            if child.alive:
                self.say(f"sending SIGKILL to {child.name} (pid {child.popen.pid})")
                _signal_group(child.popen, signal.SIGKILL)
        self.stopping_since = now  # then wait for their exits, again


def stop_group(popen, grace_seconds):
    """SIGTERM to the process group `popen` leads, SIGKILL if it has not ended `grace_seconds`
    later; reaped either way (tests, the bench and deploy/measure_venue.py stop their stacks so)."""
    _signal_group(popen, signal.SIGTERM)
    try:
        popen.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        _signal_group(popen, signal.SIGKILL)
        popen.wait()


def _signal_group(popen, signum):
    try:
        os.killpg(popen.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass  # already gone


def _env_file_values(env_file):
    """The variables of the env file (honcho's reading), none when there is no such file."""
    if not (env_file and os.path.exists(env_file)):
        return {}
    with open(env_file) as fh:
        return parse(fh.read())


def processes(procfile, env_file=None, names=()):
    """honcho's reading of the Procfile and env file: names `<type>.1`, PORT, HONCHO_PROCESS_NAME."""
    with open(procfile) as fh:
        declared = parse_procfile(fh.read()).processes
    unknown = [n for n in names if n not in declared]
    if unknown:
        raise SystemExit(f"not in {procfile}: {', '.join(unknown)}")
    chosen = {n: declared[n] for n in names} if names else declared
    env = _env_file_values(env_file)
    port = int(env.get("PORT") or os.environ.get("PORT") or 5000)
    return [
        p._replace(env=with_metrics_port(dict(os.environ, **p.env), p.name))
        for p in expand_processes(chosen, env=env, port=port)
    ]


# `make run` gives each nameko service its metrics port (docs/operations.md, "Metrics"): 9101 for
# the first of shared/components.py, and so on; a port set in the environment is kept. The
# one-process packaging's `services` process serves every service's series on the first one.
METRICS_FIRST_PORT = 9101
ALL_SERVICES_PROCESS = "services"  # Procfile.one's process running every nameko service


def with_metrics_port(env, process_name):
    names = [c.name for c in components.COMPONENTS if c.runner == components.NAMEKO]
    kind = process_name.partition(".")[0]
    if kind in names and not env.get("COCOON_METRICS_PORT"):
        env["COCOON_METRICS_PORT"] = str(METRICS_FIRST_PORT + names.index(kind))
    if kind == ALL_SERVICES_PROCESS and not env.get("COCOON_METRICS_PORT"):
        env["COCOON_METRICS_PORT"] = str(METRICS_FIRST_PORT)
    return env


# COCOON_PROCESSES: how the venue's nameko services are packaged into processes.
PROCFILES = {"split": "Procfile", "one": "Procfile.one"}
DEFAULT_PACKAGING = "split"


def packaging_procfile(environ=os.environ):
    """The Procfile of the packaging COCOON_PROCESSES names (split when unset); SystemExit otherwise."""
    packaging = (environ.get("COCOON_PROCESSES") or DEFAULT_PACKAGING).strip().lower()
    if packaging not in PROCFILES:
        raise SystemExit(
            f"COCOON_PROCESSES={environ.get('COCOON_PROCESSES')!r}: expected split (one process per service, "
            f"the default) or one (every nameko service in one process)"
        )
    return PROCFILES[packaging]


def once_processes(specs, env_file=None):
    """The `--once NAME=COMMAND` processes, with the environment the Procfile's get (the env file's values)."""
    env = _env_file_values(env_file)
    found = []
    for spec in specs:
        name, _, command = spec.partition("=")
        if not name.strip() or not command.strip():
            raise SystemExit(f"--once {spec!r}: expected NAME=COMMAND")
        found.append(ProcessParams(f"{name.strip()}.1", command.strip(), False, dict(os.environ, **env)))
    return found


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m shared.dev run", description=__doc__.split("\n\n")[0])
    parser.add_argument("-f", "--procfile", help="default: the Procfile of COCOON_PROCESSES (split: Procfile)")
    parser.add_argument("-e", "--env", default=None, help="env file, KEY=value lines (as honcho's -e)")
    parser.add_argument("--restarts", type=int, default=3, help="restarts of one process within the window")
    parser.add_argument("--window-minutes", type=float, default=5)
    parser.add_argument("--restart-delay", type=float, default=1.0, help="seconds before a restart")
    parser.add_argument(
        "--once",
        action="append",
        default=[],
        metavar="NAME=COMMAND",
        help="also run COMMAND once (its end stops nothing)",
    )
    parser.add_argument("names", nargs="*", help="processes to start (default: all)")
    args = parser.parse_args(argv)
    supervisor = Supervisor(
        processes(args.procfile or packaging_procfile(), args.env, args.names),
        Printer(sys.stdout),
        restarts=args.restarts,
        window_seconds=args.window_minutes * 60,
        restart_delay=args.restart_delay,
        once=once_processes(args.once, args.env),
    )
    return supervisor.run()
