"""A service's 4xx is logged as one INFO line without its traceback, through the logging that
deploy/nameko.yaml sets up; a fault (5xx, a bug) keeps its traceback."""

import io
import json
import logging
import logging.config
import re

import pytest
import yaml

from shared.config import REPO_ROOT
from shared.errors import Conflict, Invalid, NotFound, Unavailable


@pytest.fixture
def service_log():
    """The process's logging as `nameko run --config deploy/nameko.yaml` sets it; put back after."""
    text = (REPO_ROOT / "deploy" / "nameko.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(re.sub(r"\$\{\w+:([^}]*)\}", r"\1", text))
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logging.config.dictConfig(config["LOGGING"])
    out = io.StringIO()
    root.handlers[0].setStream(out)
    yield out
    root.handlers[:], root.level = saved


def worker_failed(error):
    """What nameko's container writes when a worker raises (nameko/containers.py, _run_worker)."""
    try:
        raise error
    except Exception as exc:
        logging.getLogger("nameko.containers").exception("error handling worker %s: %s", "<worker>", exc)


def lines(out):
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize(
    "error", [Invalid("Champ invalide.", {"name": ["Trop long."]}), NotFound("Inconnu."), Conflict("Déjà pris.")]
)
def test_a_refusal_is_one_info_line_without_traceback(service_log, error):
    worker_failed(error)
    [line] = lines(service_log)
    assert (line["level"], line["logger"]) == ("INFO", "nameko.containers")
    assert line["message"] == f"refused: {error.status} {error.code}"
    assert "exc_info" not in line


@pytest.mark.parametrize("error", [Unavailable("Base injoignable."), ZeroDivisionError("bug")])
def test_a_fault_keeps_its_level_and_traceback(service_log, error):
    worker_failed(error)
    [line] = lines(service_log)
    assert line["level"] == "ERROR"
    assert "Traceback" in line["exc_info"]
