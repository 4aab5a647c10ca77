"""A stack's processes as /proc shows them: the supervisor's tree, its CPU time, its memory.

Linux only (as `make bench`). CPU time is utime + stime + cutime + cstime of every process of the
tree: a child that ended and was reaped during a measure leaves its time in its parent's cutime,
so the difference of two readings holds every process that ran in between.
"""

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    """/proc/<pid>/stat after the command name (which may hold spaces): [state, ppid, …]."""
    text = (PROC / str(pid) / "stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def parents():
    """{pid: parent pid} of every process now running."""
    found = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = int(_stat_fields(entry.name)[1])
            except (OSError, ValueError, IndexError):
                continue  # ended while listed
    return found


def process_tree(root):
    """`root` and every process below it (children in their own sessions too), root first."""
    children = {}
    for pid, parent in parents().items():
        children.setdefault(parent, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop(0)
        tree.append(pid)
        todo.extend(sorted(children.get(pid, [])))
    return tree


def cpu_seconds(pids):
    """User + system CPU seconds of `pids` and of their reaped children; ended ones count 0."""
    ticks = 0
    for pid in pids:
        try:
            fields = _stat_fields(pid)
        except (OSError, ValueError):
            continue
        ticks += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime (fields 14-17)
    return ticks / CLOCK_TICKS


def tree_cpu_seconds(root):
    return cpu_seconds(process_tree(root))


@dataclass(frozen=True)
class Memory:
    name: str
    pid: int
    rss_kib: int
    pss_kib: int | None  # None where smaps_rollup cannot be read
    amqp: int = 0  # TCP connections to the broker's port


def _socket_inodes(pid):
    found = set()
    try:
        for fd in os.listdir(PROC / str(pid) / "fd"):
            try:
                target = os.readlink(PROC / str(pid) / "fd" / fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                found.add(target[8:-1])
    except OSError:
        pass
    return found


def connections_to(port, pids):
    """{pid: established TCP connections to remote `port`} (/proc/net/tcp and tcp6, by socket inode)."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()  # sl local rem st ... inode (10th)
            if int(fields[2].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    return {pid: len(_socket_inodes(pid) & inodes) for pid in pids}


def _kib(text, key):
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return None


def process_name(pid):
    """The Procfile's name of a process (HONCHO_PROCESS_NAME, set by the supervisor), else the
    start of its command."""
    try:
        environ = (PROC / str(pid) / "environ").read_bytes().split(b"\0")
        command = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    named = next((v.split(b"=", 1)[1] for v in environ if v.startswith(b"HONCHO_PROCESS_NAME=")), None)
    return named.decode() if named else " ".join(c.decode(errors="replace") for c in command[:3] if c)


def memory(pids, amqp_port=5672):
    """Memory of each of `pids` still running: RSS (status) and PSS (smaps_rollup), in KiB, and its
    connections to the broker; named as process_name, with ` worker` when the parent has the same
    name (gunicorn's workers)."""
    found, names = [], {}
    tree_parents, amqp = parents(), connections_to(amqp_port, pids)
    for pid in pids:
        try:
            status = (PROC / str(pid) / "status").read_text()
        except OSError:
            continue
        try:
            pss = _kib((PROC / str(pid) / "smaps_rollup").read_text(), "Pss")
        except OSError:
            pss = None
        raw = process_name(pid)
        names[pid] = raw
        parent_raw = names.get(tree_parents.get(pid))
        name = f"{raw} worker" if parent_raw == raw else raw
        found.append(Memory(name, pid, _kib(status, "VmRSS") or 0, pss, amqp.get(pid, 0)))
    return found
