"""Structured log lines (one JSON object per line) carrying the request's correlation id.

The gateway gives every request a correlation id (or keeps the caller's X-Request-ID when it
is a safe one: 1 to 64 of `A-Za-z0-9._-`); it travels in nameko's context data
(`nameko.correlation_id` header) through RPC calls and in every event envelope, so one id
follows a request across all services.
"""

import logging
import logging.config
import re
import threading
import uuid

from nameko.extensions import DependencyProvider
from pythonjsonlogger.json import JsonFormatter

from shared import config

_current = threading.local()  # green-thread local inside nameko (eventlet patches threading)


def current_correlation_id():
    return getattr(_current, "correlation_id", None)


def set_correlation_id(value):
    _current.correlation_id = value


class CorrelationFilter(logging.Filter):
    def __init__(self, service=None):
        super().__init__()
        self.service = service or config.env("COCOON_SERVICE_NAME", "cocoonage")

    def filter(self, record):
        if not getattr(record, "correlation_id", None):
            record.correlation_id = current_correlation_id()
        record.service = self.service
        return True


def json_formatter():
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(service)s %(name)s %(message)s %(correlation_id)s",
        rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"},
    )


def configure(service, level=None):
    """Log JSON lines to stderr for one process (gateway, scripts); nameko services use deploy/nameko.yaml."""
    handler = logging.StreamHandler()
    handler.setFormatter(json_formatter())
    handler.addFilter(CorrelationFilter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level or config.env("LOG_LEVEL", "INFO"))


SAFE_CORRELATION_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def safe_correlation_id(value):
    """`value` when it is a safe id (1 to 64 of A-Za-z0-9._-), else a new one. Ids end up in
    log lines, message headers and a bounded outbox column: one that is too long or carries
    anything else would fail the write or the event, so it is replaced, never trimmed."""
    if isinstance(value, str) and SAFE_CORRELATION_ID.fullmatch(value):
        return value
    return str(uuid.uuid4())


def ensure_correlation_id(worker_ctx):
    """The worker's correlation id: the caller's when it is safe, else a new one. It lives in the
    worker's context data, which nameko sends along with every RPC call and event the worker makes."""
    data = worker_ctx.data
    data["correlation_id"] = safe_correlation_id(data.get("correlation_id"))
    return data["correlation_id"]


class CorrelationId(DependencyProvider):
    """Makes sure every worker has a correlation id and that log lines written by it carry it."""

    def get_dependency(self, worker_ctx):  # runs first, in the worker's own greenthread
        correlation_id = ensure_correlation_id(worker_ctx)
        set_correlation_id(correlation_id)
        return correlation_id

    def worker_teardown(self, worker_ctx):
        set_correlation_id(None)
