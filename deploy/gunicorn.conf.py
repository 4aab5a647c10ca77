"""gunicorn settings for the gateway (threads, no eventlet: nameko's eventlet stays in the services)."""

import os
import shutil
import tempfile

bind = os.environ.get("GATEWAY_BIND", "127.0.0.1:8000")
worker_class = "gthread"  # gunicorn 26+ has no eventlet worker; gthread measured as fast (docs/stack.md)
workers = int(os.environ.get("GATEWAY_WORKERS", "2"))
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
timeout = 30
graceful_timeout = 10
accesslog = None  # the app logs each request as a JSON line with its correlation id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
raw_env = ["COCOON_SERVICE_NAME=gateway"]


def post_fork(server, worker):
    from shared import logs

    logs.configure("gateway")


# /metrics adds up every worker's counters (prometheus_client multiprocess mode): the
# directory must exist, empty, before the workers import prometheus_client.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="cocoon-metrics-")


def on_exit(server):
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
