"""The gateway WSGI app (served by gunicorn): JSON API, health endpoints, OpenAPI document."""

import logging
import time

from flask import Flask, g, jsonify, request
from nameko.exceptions import RemoteError, RpcTimeout, UnknownService
from peewee import OperationalError
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from werkzeug.middleware.proxy_fix import ProxyFix

from services.gateway import (
    api,
    attempt_limits,
    audit,
    auth,
    body_limit,
    errors,
    openapi,
    security_headers,
    settings,
    web,
)
from services.gateway.bus_checks import BusChecks
from services.gateway.models import database
from services.gateway.rpc import RpcPool
from shared import broker_api, config, db, idempotency, logs
from shared.errors import ServiceError

log = logging.getLogger(__name__)

REQUESTS = Counter("cocoon_http_requests_total", "HTTP requests", ["method", "endpoint", "status"])
LATENCY = Histogram("cocoon_http_request_seconds", "HTTP request duration", ["endpoint"])


def create_app(overrides=None):
    """The app, its settings read from the environment here and only here (services.gateway.settings);
    `overrides`: app.config values that take precedence (tests)."""
    app = Flask(__name__)
    app.config.update(JSON_SORT_KEYS=False)
    app.config.update(settings.load(overrides))
    # The first staff account's credentials serve once, below: they are not kept in app.config.
    staff_email, staff_password = app.config.pop("BOOTSTRAP_STAFF_EMAIL"), app.config.pop("BOOTSTRAP_STAFF_PASSWORD")
    app.json.ensure_ascii = False
    _behind_proxies(app, app.config["TRUSTED_PROXIES"])

    db.bind(database, "gateway", app.config["GATEWAY_DATABASE_URL"])
    nameko_config = {"AMQP_URI": app.config["AMQP_URI"]}
    app.extensions["rpc_pool"] = RpcPool(nameko_config, timeout=app.config["RPC_TIMEOUT"])
    app.extensions["ready_pool"] = RpcPool(nameko_config, timeout=app.config["READY_TIMEOUT"], max_idle=1)
    app.extensions["bus_checks"] = BusChecks(
        app.config["AMQP_URI"], app.config["RABBIT_API_URI"], timeout=app.config["READY_TIMEOUT"]
    )

    errors.register(app)
    body_limit.init_app(app)  # first: a body too large is refused before any hook reads it
    security_headers.init_app(app)
    auth.init_app(app)
    attempt_limits.init_app(app)  # sign-ins and registrations: 429 with Retry-After
    app.register_blueprint(api.bp)
    app.register_blueprint(api.calendar_link.feeds_bp)  # /calendar/{secret}.ics, outside /api/v1
    web.init_app(app)  # the pages: session, CSRF (the API exempt), French
    _register_operations(app)
    _register_request_hooks(app)
    audit.init_app(app)  # every staff write, once its answer is known

    with database.connection_context():
        try:
            auth.bootstrap_staff(staff_email, staff_password)
        except OperationalError as exc:
            raise RuntimeError(f"the gateway database has no tables ({exc}): run `make migrate` first") from exc
        _purge_audit(app.config["AUDIT_RETENTION_DAYS"])
    return app


def _behind_proxies(app, count):
    """Behind `count` trusted reverse proxies, the client's address (request.remote_addr: the
    sign-in limits, the logs), scheme and host come from their X-Forwarded-* headers; with none
    (0), those headers are ignored: a client could write any address in them."""
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _purge_audit(retention_days):
    """The expired audit lines go at each start (and daily with `cocoon audit purge`); a failure
    is logged, the gateway starts all the same: the lines are only kept longer."""
    try:
        purged = audit.purge_expired(retention_days)
    except OperationalError:
        log.exception("audit: expired lines not purged at start")
        return
    if purged:
        log.info("audit: expired lines purged", extra={"purged": purged, "retention_days": retention_days})


def _register_request_hooks(app):
    @app.before_request
    def _start():
        g.started = time.perf_counter()
        # read from the environ: werkzeug's headers.get builds an HTTP exception for a missing header
        g.correlation_id = logs.safe_correlation_id(request.environ.get("HTTP_X_REQUEST_ID"))
        logs.set_correlation_id(g.correlation_id)
        g.idempotency_key = _idempotency_key()
        # No connection here: the first query takes one from the pool (peewee connects on use), and
        # a request that reads nothing of the gateway's (a public route, /healthz) takes none.

    @app.after_request
    def _finish(response):
        response.headers["X-Request-ID"] = g.get("correlation_id", "")
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        seconds = time.perf_counter() - g.get("started", time.perf_counter())
        REQUESTS.labels(request.method, endpoint, response.status_code).inc()
        LATENCY.labels(endpoint).observe(seconds)
        account = g.get("account")  # known only when the request asked who it is: never looked up for the log
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "account_id": getattr(account, "id", None),
                "client": request.remote_addr,  # the family's own address behind COCOON_TRUSTED_PROXIES
            },
        )
        return response

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()
        logs.set_correlation_id(None)


def _idempotency_key():
    """The request's Idempotency-Key (POST and PATCH only), or None; 422 when it is malformed."""
    if request.method not in ("POST", "PATCH") or idempotency.HEADER not in request.headers:
        return None
    return idempotency.checked_key(request.headers[idempotency.HEADER])  # Invalid: a 422 like any other


def _register_operations(app):
    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz():
        """ready (200); not_ready (503) when the broker or a service does not answer; degraded (503)
        when they do but a binding of the event catalogue is missing or a dead-letter queue holds events."""
        bus = app.extensions["bus_checks"]
        checks = {"broker": bus.broker_problem() or "ok"}
        if checks["broker"] == "ok":
            health = _service_health(app.extensions["ready_pool"], g.correlation_id)
            checks.update({name: "ok" if isinstance(answer, dict) else answer for name, answer in health.items()})
            checks["topology"] = _topology_state(bus)
            checks["dead_letters"] = _dead_letter_state(bus.dead_letters())
        else:
            checks.update({name: "skipped: broker unreachable" for name in config.SERVICES})
        failed = sorted(name for name, state in checks.items() if state != "ok")
        status = "ready" if not failed else "degraded" if set(failed) <= DEGRADING else "not_ready"
        body = {"status": status, "checks": checks, "failed": failed}
        return jsonify(body), (200 if not failed else 503)

    @app.get("/api/openapi.json")
    def openapi_document():
        return jsonify(openapi.document())

    @app.get("/metrics")
    def metrics():
        registry = REGISTRY
        if app.config["METRICS_MULTIPROCESS_DIR"]:  # under gunicorn: every worker's counters
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry, path=app.config["METRICS_MULTIPROCESS_DIR"])
        bus = app.extensions["bus_checks"]
        problem = bus.broker_problem()
        asked = CollectorRegistry()  # asked at each scrape, so every worker process tells the same
        asked.register(_OutboxGauges(_reachable_service_health(app, problem, g.get("correlation_id"))))
        if not problem:
            asked.register(_DeadLetterGauges(bus.dead_letters()))
            asked.register(_QueueGauges(_queue_depths(bus)))
        return generate_latest(registry) + generate_latest(asked), 200, {"Content-Type": CONTENT_TYPE_LATEST}


DEGRADING = {"topology", "dead_letters"}  # the bus works, but some events miss a consumer or wait for a person


def _topology_state(bus):
    try:
        missing = bus.missing_bindings()
    except broker_api.BrokerApiError as exc:
        return f"unknown: {exc}"
    if not missing:
        return "ok"
    return f"{len(missing)} binding(s) missing: " + ", ".join(m["queue"] for m in missing)


def _dead_letter_state(depths):
    parked = {queue: count for queue, count in depths.items() if count}
    if not parked:
        return "ok"
    return f"{sum(parked.values())} event(s) parked in " + ", ".join(sorted(parked))


def _reachable_service_health(app, broker_problem, correlation_id):
    if broker_problem:
        return {name: f"skipped: broker {broker_problem}" for name in config.SERVICES}
    return _service_health(app.extensions["ready_pool"], correlation_id)


def _queue_depths(bus):
    try:
        return bus.queue_depths()
    except broker_api.BrokerApiError as exc:  # the scrape goes on without them, the log says why
        log.warning("queue depths unknown", extra={"error": str(exc)})
        return {}


class _QueueGauges:
    """Every queue of the venue's vhost as the broker's management API sees it: what waits, what a
    consumer holds, how many consume (0 on a handler's queue: its service is down)."""

    def __init__(self, depths):
        self.depths = depths

    def collect(self):
        ready = GaugeMetricFamily("cocoon_queue_messages_ready", "Messages waiting in a queue", labels=["queue"])
        held = GaugeMetricFamily(
            "cocoon_queue_messages_unacknowledged", "Messages a consumer holds, not yet acknowledged", labels=["queue"]
        )
        consumers = GaugeMetricFamily("cocoon_queue_consumers", "Consumers of a queue", labels=["queue"])
        for queue, (waiting, unacked, count) in sorted(self.depths.items()):
            ready.add_metric([queue], waiting)
            held.add_metric([queue], unacked)
            consumers.add_metric([queue], count)
        return [ready, held, consumers]


class _DeadLetterGauges:
    """Events parked in each dead-letter queue of the catalogue (docs/operations.md, "Dead letters")."""

    def __init__(self, depths):
        self.depths = depths

    def collect(self):
        parked = GaugeMetricFamily(
            "cocoon_dead_letter_messages",
            "Events parked in a dead-letter queue, waiting for a person",
            labels=["queue"],
        )
        for queue, count in sorted(self.depths.items()):
            parked.add_metric([queue], count)
        return [parked]


class _OutboxGauges:
    """Each service's outbox backlog (its health RPC answer, shared.outbox.backlog) as gauges."""

    def __init__(self, health):
        self.health = health

    def collect(self):
        up = GaugeMetricFamily(
            "cocoon_service_health_up", "1 when the service answered its health RPC", labels=["service"]
        )
        pending = GaugeMetricFamily(
            "cocoon_outbox_pending_events",
            "Unsent outbox events a service will keep trying (backlog)",
            labels=["service", "event_type"],
        )
        oldest = GaugeMetricFamily(
            "cocoon_outbox_oldest_pending_seconds",
            "Age of the oldest unsent event of the backlog (0 when none)",
            labels=["service"],
        )
        unconsumed = GaugeMetricFamily(
            "cocoon_outbox_unconsumed_events",
            "Outbox events of types no service consumes (kept, not a backlog)",
            labels=["service"],
        )
        for service, answer in sorted(self.health.items()):
            up.add_metric([service], 1 if isinstance(answer, dict) else 0)
            if not isinstance(answer, dict):
                continue
            for event_type, count in sorted(answer.get("outbox_pending_by_type", {}).items()):
                pending.add_metric([service, event_type], count)
            oldest.add_metric([service], answer.get("outbox_oldest_pending_seconds") or 0)
            unconsumed.add_metric([service], answer.get("outbox_unconsumed", 0))
        return [up, pending, oldest, unconsumed]


def _service_health(pool, correlation_id):
    """Ask every service's health RPC at once; each gets READY_TIMEOUT seconds to answer.
    Returns {service: its answer (a dict) or why there is none (a sentence)}."""
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
                    results[name] = reply.result()
                except RpcTimeout:
                    results[name] = "no answer in time"
                except (ServiceError, RemoteError) as exc:  # it answered, with an error (its database down)
                    results[name] = f"error: {getattr(exc, 'code', None) or exc.exc_type}"
            if len(results) != len(config.SERVICES) or any(not isinstance(v, dict) for v in results.values()):
                raise _DropProxy()  # late replies may still arrive on it: do not reuse
    except _DropProxy:
        pass
    except Exception as exc:  # broker trouble mid-way: say so for every service not yet checked
        for name in config.SERVICES:
            results.setdefault(name, f"error: {exc.__class__.__name__}")
    return results


class _DropProxy(Exception):
    pass
