"""Configuration from environment variables, with defaults that make `make run` work as is."""

import os
from pathlib import Path

from shared import components

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/"

SERVICES = components.SERVICE_NAMES  # the nameko services' names (the list itself: shared/components.py)


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def amqp_uri():
    return env("AMQP_URI", DEFAULT_AMQP_URI)


def var_dir():
    """Where SQLite files live by default (created on demand)."""
    path = Path(env("COCOON_VAR_DIR", REPO_ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(component):
    """`<COMPONENT>_DATABASE_URL`, else a SQLite file under var/ named after the component."""
    return env(components.named(component).database_env, f"sqlite:///{var_dir() / (component + '.db')}")


def nameko_config(**overrides):
    """The config dict a standalone nameko proxy or a test container needs."""
    config = {"AMQP_URI": amqp_uri()}
    config.update(overrides)
    return config
