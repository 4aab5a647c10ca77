"""The code trees `make bench` measures side by side: a baseline commit, checked out in a git
worktree under var/, and the working tree (the change).

A stack runs the code of its tree when each of its processes starts with that tree as its
current directory: `python -m` puts the current directory first on sys.path, and gunicorn does
too (its `chdir`). The shared venv also holds an editable install of the main checkout (its
finder comes after sys.path), so this is checked, not assumed: every process of a stack logs
where it imported `services` and `shared` from (import_probe/sitecustomize.py), and a stack
whose processes imported another tree's code is refused (`imports_of`).
"""

import os
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks.progress import say
from tests.support import REPO

DEFAULT_BASELINE = "8d2cb3e"  # main when the second performance pass began
PROBE = Path(__file__).resolve().parent / "import_probe"


@dataclass(frozen=True)
class Tree:
    label: str  # "baseline" or "change": the table's columns
    path: Path
    commit: str  # short hash
    dirty: bool = False  # uncommitted changes (the working tree only)

    @property
    def python(self):
        """The tree's own .venv/bin/python (the baseline's .venv links to the repository's)."""
        return str(self.path / ".venv" / "bin" / "python")

    def has(self, name):
        return (self.path / name).exists()

    @property
    def title(self):
        return f"{self.label} {self.commit}{' + uncommitted' if self.dirty else ''}"


def _git(*args, cwd=REPO):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def working_tree():
    commit = _git("rev-parse", "--short", "HEAD")
    return Tree("change", REPO, commit, dirty=bool(_git("status", "--porcelain", "--untracked-files=no")))


@contextmanager
def baseline_tree(ref, var_dir, keep=False):
    """`ref` checked out (detached) in var_dir/bench-baseline-<sha>, reused when already there,
    with a .venv link to the repository's; removed at the end unless `keep`."""
    sha = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    path = Path(var_dir) / f"bench-baseline-{sha[:12]}"
    if path.exists() and _git("rev-parse", "HEAD", cwd=path) != sha:
        raise RuntimeError(f"{path} holds another commit than {sha[:12]}: remove it (git worktree remove)")
    if not path.exists():
        _git("worktree", "prune")
        _git("worktree", "add", "--detach", str(path), sha)
        say(f"baseline {ref} ({sha[:12]}) checked out in {path}")
    venv = path / ".venv"
    if not venv.exists():
        venv.symlink_to((REPO / ".venv").resolve())
    try:
        yield Tree("baseline", path, sha[:7])
    finally:
        if keep:
            say(f"kept the baseline worktree {path}")
        else:
            _git("worktree", "remove", "--force", str(path))


def probe_env(log_dir):
    """Environment variables that make each process log where it imports the project from."""
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    path = os.pathsep.join(p for p in (str(PROBE), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path, "BENCH_IMPORT_LOG": str(log_dir)}


def imports_of(log_dir):
    """{pid: {package: file}} from the probe's logs."""
    found = {}
    for entry in Path(log_dir).iterdir():
        for line in entry.read_text().splitlines():
            name, _, origin = line.partition(" ")
            found.setdefault(int(entry.name), {})[name] = origin
    return found


def foreign_imports(log_dir, tree):
    """[(pid, package, file)] imported from outside `tree`: should be none."""
    root = str(tree.path.resolve()) + os.sep
    return [
        (pid, name, origin)
        for pid, packages in sorted(imports_of(log_dir).items())
        for name, origin in sorted(packages.items())
        if not str(Path(origin).resolve()).startswith(root)
    ]
