"""What an idle venue costs as `make run` starts it: the memory of every process (RSS, PSS, USS)
and the AMQP connections and channels on its vhost, each traced to the process that opened it.

    .venv/bin/python deploy/measure_venue.py [--processes split|one] [--seconds 30] [--no-demo] [--json] [--keep]

It does what `make run` does (COCOON_PROCESSES=split: Procfile; one: Procfile.one), on a RabbitMQ
vhost made for the measure and deleted after, SQLite files in a fresh directory under /tmp and a
free port: `python -m shared.migrate`, `python -m shared.dev env`, then `python -m shared.dev run`
with the demo data loader and the mail catcher (`--once`). Once /readyz answers and the demo
loader has ended, it waits `--seconds`, then reads, for the supervisor and each of its descendants,
/proc/<pid>/status (VmRSS) and /proc/<pid>/smaps_rollup (Pss; USS = Private_Clean + Private_Dirty),
and the management API's connections of the vhost; a connection belongs to the process holding its
client-side TCP port (/proc/<pid>/fd against /proc/net/tcp), and is "consuming" when one of its
channels has a consumer (the others publish: RPC replies and requests, the outbox relay). RSS
counts the pages a process shares with others (gunicorn's workers share their master's) once per
process; PSS shares them out, so the PSS column adds up to what the venue takes. RabbitMQ itself
is not counted.
Needs RabbitMQ with its management API (guest) on 127.0.0.1, as the integration tests do.
docs/hosting.md ("What a venue costs") holds the figures.
"""

import argparse
import base64
import collections
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
API = "http://127.0.0.1:15672/api"
PYTHON = sys.executable
PROCFILES = {"split": "Procfile", "one": "Procfile.one"}


def api(method, path, body=None):
    request = urllib.request.Request(
        f"{API}{path}", method=method, data=None if body is None else json.dumps(body).encode()
    )
    request.add_header("Authorization", "Basic " + base64.b64encode(b"guest:guest").decode())
    request.add_header("content-type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read()
    return json.loads(text) if text else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- processes --------------------------------------------------------------------------------
def family(pid):
    """The process and its descendants, parents first."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = task / "children"
            if children.exists():
                todo.extend(int(child) for child in children.read_text().split())
    return found


def kib(path, *fields):
    values = dict.fromkeys(fields, 0)
    for line in Path(path).read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0])
    return values


def memory(pid):
    status = kib(f"/proc/{pid}/status", "VmRSS", "VmHWM")
    rollup = kib(f"/proc/{pid}/smaps_rollup", "Pss", "Private_Clean", "Private_Dirty")
    return {
        "rss": status["VmRSS"],
        "peak_rss": status["VmHWM"],
        "pss": rollup["Pss"],
        "uss": rollup["Private_Clean"] + rollup["Private_Dirty"],
    }


def label(pid, names):
    """The Procfile name the supervisor gave the process (or its parent's, for gunicorn's workers)."""
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    text = " ".join(a.decode(errors="replace") for a in argv if a)
    if "shared.dev run" in text:
        return "supervisor"
    return names.get(pid) or text[:60]


def socket_ports(pid):
    """{local TCP port: pid} of the sockets this process holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


# --- the run ----------------------------------------------------------------------------------
def wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise SystemExit(f"measure_venue: timed out waiting for {what}")


def ready(url):
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return answer.status == 200
    except OSError:
        return False


def measure(processes, seconds, demo=True, extra_env=None, keep=False):
    vhost = f"measure-venue-{uuid.uuid4().hex[:8]}"
    api("PUT", f"/vhosts/{quote(vhost, safe='')}")
    api("PUT", f"/permissions/{quote(vhost, safe='')}/guest", {"configure": ".*", "write": ".*", "read": ".*"})
    var_dir = Path(tempfile.mkdtemp(prefix="cocoon-measure-"))
    port, smtp_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        AMQP_URI=f"amqp://guest:guest@127.0.0.1:5672/{quote(vhost, safe='')}",
        COCOON_VAR_DIR=str(var_dir),
        GATEWAY_BIND=f"127.0.0.1:{port}",
        COCOON_PUBLIC_URL=base,
        COCOON_SMTP_PORT=str(smtp_port),
        COCOON_PROCESSES=processes,
        PATH=str(Path(PYTHON).parent) + os.pathsep + os.environ["PATH"],
        **(extra_env or {}),
    )
    for key in [k for k in env if k.endswith("_DATABASE_URL")]:
        del env[key]
    env_file = var_dir / "dev.env"
    log_path = var_dir / "run.log"
    process = None
    try:
        subprocess.run([PYTHON, "-m", "shared.migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run(
            [PYTHON, "-m", "shared.dev", "env", str(env_file)], cwd=ROOT, env=env, check=True, stdout=sys.stderr
        )
        command = [PYTHON, "-m", "shared.dev", "run", "-f", PROCFILES[processes], "-e", str(env_file)]
        command += ["--once", "mailcatcher=python -m services.notifications.catcher"]
        if demo:
            command += ["--once", f"demo=python -m shared.demo --base-url {base}"]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait(lambda: ready(f"{base}/readyz"), 180, f"{base}/readyz")
        if demo:
            wait(lambda: b"demo.1 exited" in log_path.read_bytes(), 300, "the demo data loader to end")
        time.sleep(seconds)
        return snapshot(process.pid, vhost, log_path)
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        api("DELETE", f"/vhosts/{quote(vhost, safe='')}")
        if keep:
            print(f"measure_venue: the venue's files and run.log are in {var_dir}", file=sys.stderr)
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def started_names(log_path):
    """{pid: Procfile name} from the supervisor's `bookings.1 started (pid=123)` lines."""
    names = {}
    for line in log_path.read_text(errors="replace").splitlines():
        if " started (pid=" in line:
            words = line.split("|", 1)[-1].split()
            names[int(line.rsplit("pid=", 1)[1].rstrip(")"))] = words[0].removesuffix(".1")
    return names


def snapshot(supervisor_pid, vhost, log_path):
    names = started_names(log_path)
    rows = []
    for pid in family(supervisor_pid):
        try:
            name = label(pid, names)
            if name not in names.values() and name != "supervisor":  # a gunicorn worker: its master's name
                parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                name = f"{names.get(parent, '?')} worker"
            rows.append({"pid": pid, "name": name, **memory(pid), "ports": socket_ports(pid)})
        except FileNotFoundError:  # ended meanwhile (a probe, the demo loader)
            continue
    connections = [c for c in api("GET", "/connections?columns=name,vhost,peer_port,channels") if c["vhost"] == vhost]
    consuming = {
        c["channel_details"]["connection_name"]
        for c in api("GET", f"/consumers/{quote(vhost, safe='')}")
        if c["channel_details"]  # [] while the statistics do not know the channel yet
    }
    by_port = {port: row for row in rows for port in row["ports"]}
    for row in rows:
        row["amqp_connections"], row["amqp_channels"], row["amqp_consuming"] = 0, 0, 0
    unknown = 0
    for connection in connections:
        row = by_port.get(connection["peer_port"])
        if row is None:
            unknown += 1
            continue
        row["amqp_connections"] += 1
        row["amqp_channels"] += connection.get("channels", 0)
        row["amqp_consuming"] += connection["name"] in consuming
    for row in rows:
        del row["ports"]
    return {"processes": rows, "amqp_connections": len(connections), "amqp_unattributed": unknown}


def table(result):
    lines = [
        "| process | RSS MiB | PSS MiB | USS MiB | AMQP connections (consuming) |",
        "|---|---:|---:|---:|---:|",
    ]
    merged = collections.OrderedDict()
    for row in result["processes"]:
        merged.setdefault(row["name"], []).append(row)
    for name, rows in merged.items():
        count = f" ×{len(rows)}" if len(rows) > 1 else ""
        rss = "+".join(f"{r['rss'] / 1024:.0f}" for r in rows)
        pss = "+".join(f"{r['pss'] / 1024:.0f}" for r in rows)
        uss = "+".join(f"{r['uss'] / 1024:.0f}" for r in rows)
        amqp = sum(r["amqp_connections"] for r in rows)
        consuming = sum(r.get("amqp_consuming", 0) for r in rows)
        lines.append(f"| {name}{count} | {rss} | {pss} | {uss} | {amqp} ({consuming}) |")
    rows = result["processes"]
    total = {k: sum(r[k] for r in rows) / 1024 for k in ("rss", "pss", "uss")}
    lines.append(
        f"| **total** ({len(rows)} processes) | {total['rss']:.0f} | {total['pss']:.0f} | {total['uss']:.0f} | "
        f"{result['amqp_connections']} ({sum(r.get('amqp_consuming', 0) for r in rows)}) |"
    )
    if result["amqp_unattributed"]:
        lines.append(f"({result['amqp_unattributed']} connections of no process found)")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", choices=sorted(PROCFILES), default="split")
    parser.add_argument("--seconds", type=float, default=30.0, help="idle time before the reading")
    parser.add_argument("--no-demo", action="store_true", help="start empty (COCOON_DEMO=0)")
    parser.add_argument("--json", action="store_true", help="the raw figures, one JSON object")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="one more variable")
    parser.add_argument("--keep", action="store_true", help="keep the venue's directory (its run.log)")
    args = parser.parse_args(argv)
    extra = dict(item.split("=", 1) for item in args.env)
    if args.no_demo:
        extra["COCOON_DEMO"] = "0"
    result = measure(args.processes, args.seconds, demo=not args.no_demo, extra_env=extra, keep=args.keep)
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
