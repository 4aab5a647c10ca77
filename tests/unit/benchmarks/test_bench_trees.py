"""`make bench`'s check that a stack runs the code of its own tree (tests/benchmarks/trees.py)."""

import subprocess
import sys
from pathlib import Path

from tests.benchmarks import trees
from tests.support import REPO


def test_a_process_started_from_a_tree_logs_that_it_imported_the_project_from_that_tree(tmp_path):
    env = trees.probe_env(tmp_path / "imports")
    subprocess.run([sys.executable, "-c", "import shared.config, services"], cwd=REPO, env=env, check=True)
    (packages,) = trees.imports_of(tmp_path / "imports").values()
    assert packages == {
        "shared": str(REPO / "shared" / "__init__.py"),
        "services": str(REPO / "services" / "__init__.py"),
    }
    assert trees.foreign_imports(tmp_path / "imports", trees.Tree("change", REPO, "abc1234")) == []


def test_code_imported_from_another_tree_is_reported(tmp_path):
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "4242").write_text("shared /work/main/shared/__init__.py\n")
    tree = trees.Tree("baseline", Path("/work/var/bench-baseline-8d2cb3e"), "8d2cb3e")
    assert trees.foreign_imports(tmp_path / "imports", tree) == [(4242, "shared", "/work/main/shared/__init__.py")]
