"""What one idle venue process costs: its memory (VmRSS, VmHWM), its AMQP connections and
channels and its PostgreSQL sessions, measured by starting it on its own broker vhost and database.

    .venv/bin/python deploy/kubernetes/measure.py [--seconds 20] [component ...]

Each component of shared/components.py given (all by default) is migrated, then started alone
(`python -m shared.run_service …`, or gunicorn for the gateway) on a vhost and a database made for
the measure and dropped after; after `--seconds` idle the script reads /proc/<pid>/status of the
process and its children, and the management API's connections and channels of that vhost. It
also runs `cocoon health <service>` once under the same settings and reports that probe's peak
memory: an exec probe runs inside the container, so it counts against the container's limit.
Needs RabbitMQ with its management API (guest) and PostgreSQL (trust) on 127.0.0.1, as the
integration tests do. docs/hosting.md holds the figures and what they are for.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from shared import components  # noqa: E402

API = "http://127.0.0.1:15672/api"
PYTHON = sys.executable


def api(method, path, body=None):
    request = urllib.request.Request(
        f"{API}{path}", method=method, data=None if body is None else json.dumps(body).encode()
    )
    request.add_header("Authorization", "Basic Z3Vlc3Q6Z3Vlc3Q=")  # guest:guest, the local broker's
    request.add_header("content-type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def psql(sql):
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-qtAc", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def status_kb(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def family(pid):
    """The process and its descendants (gunicorn's workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        children = Path(f"/proc/{current}/task/{current}/children")
        if children.exists():
            todo.extend(int(child) for child in children.read_text().split())
    return found


def command(component):
    if component.runner == components.NAMEKO:
        return [PYTHON, "-m", "shared.run_service", component.target]
    return [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "deploy/gunicorn.conf.py", component.target]


def measure(component, seconds):
    vhost, database = f"measure-{component.name}", f"measure_{component.name}"
    api("PUT", f"/vhosts/{vhost}")
    api("PUT", f"/permissions/{vhost}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
    psql(f"DROP DATABASE IF EXISTS {database}")
    psql(f"CREATE DATABASE {database}")
    env = dict(
        os.environ,
        AMQP_URI=f"amqp://guest:guest@127.0.0.1:5672/{vhost}",
        RABBIT_API_URI="http://guest:guest@127.0.0.1:15672",
        COCOON_SERVICE_NAME=component.name,
        COCOON_VAR_DIR=f"/tmp/{database}",
        GATEWAY_BIND="127.0.0.1:18765",
        **{component.database_env: f"postgresql://postgres@127.0.0.1:5432/{database}"},
    )
    try:
        subprocess.run(
            [PYTHON, "-m", "shared.migrate", component.name], cwd=ROOT, env=env, check=True, capture_output=True
        )
        process = subprocess.Popen(
            command(component), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            time.sleep(seconds)
            pids = family(process.pid)
            rss = {pid: status_kb(pid, "VmRSS") for pid in pids}
            peak = {pid: status_kb(pid, "VmHWM") for pid in pids}
            connections = [c for c in api("GET", "/connections") if c.get("vhost") == vhost]
            channels = sum(c.get("channels", 0) for c in connections)
            sessions = int(psql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'"))
            probe = None
            if component.runner == components.NAMEKO:
                probe = probe_peak_kb(component.name, env)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    finally:
        api("DELETE", f"/vhosts/{vhost}")
        psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    return {
        "component": component.name,
        "processes": len(pids),
        "rss_mib": round(sum(rss.values()) / 1024, 1),
        "peak_rss_mib": round(sum(peak.values()) / 1024, 1),
        "amqp_connections": len(connections),
        "amqp_channels": channels,
        "postgres_sessions": sessions,
        "probe_peak_rss_mib": probe,
    }


PROBE = (
    "import resource, runpy, sys\n"
    "sys.argv = ['cocoon', 'health', sys.argv[1]]\n"
    "try:\n"
    "    runpy.run_module('shared.operator', run_name='__main__')\n"
    "finally:\n"
    "    print('peak_kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def probe_peak_kb(service, env):
    """`cocoon health SERVICE` once, as the exec probe runs it; its own peak RSS in MiB."""
    started = time.monotonic()
    done = subprocess.run([PYTHON, "-c", PROBE, service], cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.monotonic() - started
    peak = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("peak_kib ")]
    print(f"  cocoon health {service}: exit {done.returncode} in {took:.1f} s: {done.stdout.strip()}", file=sys.stderr)
    return round(int(peak[0]) / 1024, 1) if peak else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("components", nargs="*", default=list(components.COMPONENT_NAMES))
    args = parser.parse_args(argv)
    rows = [measure(components.named(name), args.seconds) for name in args.components]
    for row in rows:
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
