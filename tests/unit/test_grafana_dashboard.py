"""deploy/grafana/cocoonage.json is what make_dashboard.py writes, and every metric its queries
read is one the code exports (a renamed metric would leave an empty panel on the night it matters)."""

import json
import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "deploy" / "grafana"
EXPORTED_IN = [
    ROOT / "shared" / "service_metrics.py",
    ROOT / "services" / "gateway" / "app.py",
    ROOT / "services" / "gateway" / "audit.py",
]
SUFFIXES = ("_bucket", "_count", "_sum")


def exported():
    names = set()
    for path in EXPORTED_IN:
        names |= set(re.findall(r'"(cocoon_[a-z_]+)"', path.read_text(encoding="utf-8")))
    return names


def queried(dashboard):
    names = set()
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            for name in re.findall(r"\b(cocoon_[a-z_]+)", target["expr"]):
                for suffix in SUFFIXES:
                    name = name.removesuffix(suffix)
                names.add(name)
    return names


def test_the_committed_dashboard_is_the_one_the_script_writes():
    script = runpy.run_path(str(GRAFANA / "make_dashboard.py"))
    committed = json.loads((GRAFANA / "cocoonage.json").read_text(encoding="utf-8"))
    assert committed == script["dashboard"](), "run `python deploy/grafana/make_dashboard.py` and commit"


def test_every_metric_a_panel_reads_is_exported_by_the_code():
    dashboard = json.loads((GRAFANA / "cocoonage.json").read_text(encoding="utf-8"))
    missing = queried(dashboard) - exported()
    assert queried(dashboard) and not missing, f"panels read metrics nothing exports: {sorted(missing)}"
