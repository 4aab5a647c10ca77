"""On PYTHONPATH of every process `make bench` starts for a stack (tests/benchmarks/trees.py).

Each process appends, to BENCH_IMPORT_LOG/<pid>, the file its `services` and `shared` packages
were imported from: the bench checks that a stack runs the code of the tree it was started
from (the shared venv also holds an editable install of the main checkout, which a process
whose sys.path misses its tree would import instead). One lookup per package, then nothing.
"""

import os
import sys

_LOG = os.environ.get("BENCH_IMPORT_LOG")
_NAMES = ("services", "shared")


class _Where:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name not in _NAMES:
            return None
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is not cls and find is not None:
                spec = find(name, path, target)
                if spec is not None:
                    break
        if spec is not None:
            with open(os.path.join(_LOG, str(os.getpid())), "a") as log:
                log.write(f"{name} {spec.origin}\n")
        return spec


if _LOG and os.path.isdir(_LOG):
    sys.meta_path.insert(0, _Where)
