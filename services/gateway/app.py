"""The gateway WSGI app (served by gunicorn): JSON API, health endpoints, OpenAPI document."""
import logging
import os
import time
import uuid

from flask import Flask, g, jsonify, render_template, request
from nameko.exceptions import RpcTimeout, UnknownService
from peewee import OperationalError
from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest,
                               multiprocess)

from services.gateway import api, auth, errors, openapi
from services.gateway.models import database
from services.gateway.rpc import RpcPool
from shared import config, db, logs, topology

log = logging.getLogger(__name__)

REQUESTS = Counter("cocoon_http_requests_total", "HTTP requests", ["method", "endpoint", "status"])
LATENCY = Histogram("cocoon_http_request_seconds", "HTTP request duration", ["endpoint"])


def create_app(overrides=None):
    app = Flask(__name__)
    app.config.update(
        AMQP_URI=config.amqp_uri(),
        GATEWAY_DATABASE_URL=config.database_url("gateway"),
        RPC_TIMEOUT=config.env_float("COCOON_RPC_TIMEOUT", 5.0),
        READY_TIMEOUT=config.env_float("COCOON_READY_TIMEOUT", 2.0),
        JSON_SORT_KEYS=False,
    )
    app.config.update(overrides or {})
    app.json.ensure_ascii = False

    db.bind(database, "gateway", app.config["GATEWAY_DATABASE_URL"])
    nameko_config = {"AMQP_URI": app.config["AMQP_URI"]}
    app.extensions["rpc_pool"] = RpcPool(nameko_config, timeout=app.config["RPC_TIMEOUT"])
    app.extensions["ready_pool"] = RpcPool(nameko_config, timeout=app.config["READY_TIMEOUT"], max_idle=1)

    errors.register(app)
    app.register_blueprint(api.bp)
    _register_operations(app)
    _register_request_hooks(app)

    with database.connection_context():
        try:
            auth.bootstrap_staff()
        except OperationalError as exc:
            raise RuntimeError(f"the gateway database has no tables ({exc}): run `make migrate` first") from exc
    return app


def _register_request_hooks(app):
    @app.before_request
    def _start():
        g.started = time.perf_counter()
        g.correlation_id = request.headers.get("X-Request-ID") or str(uuid.uuid4())
        logs.set_correlation_id(g.correlation_id)
        database.connect(reuse_if_open=True)

    @app.after_request
    def _finish(response):
        response.headers["X-Request-ID"] = g.get("correlation_id", "")
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        REQUESTS.labels(request.method, endpoint, response.status_code).inc()
        LATENCY.labels(endpoint).observe(time.perf_counter() - g.get("started", time.perf_counter()))
        log.info("request", extra={"method": request.method, "path": request.path, "status": response.status_code})
        return response

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()
        logs.set_correlation_id(None)


def _register_operations(app):
    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz():
        checks = {"broker": topology.broker_problem(app.config["AMQP_URI"], app.config["READY_TIMEOUT"]) or "ok"}
        if checks["broker"] == "ok":
            checks.update(_service_checks(app.extensions["ready_pool"], g.correlation_id))
        else:
            checks.update({name: "skipped: broker unreachable" for name in config.SERVICES})
        failed = sorted(name for name, state in checks.items() if state != "ok")
        body = {"status": "ready" if not failed else "not_ready", "checks": checks, "failed": failed}
        return jsonify(body), (200 if not failed else 503)

    @app.get("/api/openapi.json")
    def openapi_document():
        return jsonify(openapi.document())

    @app.get("/metrics")
    def metrics():
        registry = REGISTRY
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # under gunicorn: every worker's counters
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), 200, {"Content-Type": CONTENT_TYPE_LATEST}

    @app.get("/")
    def home():
        return render_template("home.html")


def _service_checks(pool, correlation_id):
    """Ask every service's health RPC at once; each gets READY_TIMEOUT seconds to answer."""
    results, pending = {}, {}
    try:
        with pool.cluster(correlation_id) as rpc:
            for name in config.SERVICES:
                try:
                    pending[name] = getattr(rpc, name).health.call_async()
                except UnknownService:
                    results[name] = "not running (no one listens)"
            for name, reply in pending.items():
                try:
                    reply.result()
                    results[name] = "ok"
                except RpcTimeout:
                    results[name] = "no answer in time"
            if len(results) != len(config.SERVICES) or any(v != "ok" for v in results.values()):
                raise _DropProxy()  # late replies may still arrive on it: do not reuse
    except _DropProxy:
        pass
    except Exception as exc:  # broker trouble mid-way: say so for every service not yet checked
        for name in config.SERVICES:
            results.setdefault(name, f"error: {exc.__class__.__name__}")
    return results


class _DropProxy(Exception):
    pass
