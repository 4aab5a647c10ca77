"""gunicorn settings for the gateway (threads, no eventlet: nameko's eventlet stays in the services)."""

import os
import shutil
import tempfile

# The one-process packaging (COCOON_PROCESSES=one: Procfile.one, docker-compose.one.yml,
# deploy/kubernetes/one-process) is for small venues: one worker of 4 threads by default. A
# worker costs ~120 MiB; each thread busy at once may keep two broker connections open (an RPC
# client and a connection to publish on), docs/hosting.md, "What a venue costs".
ONE_PROCESS = os.environ.get("COCOON_PROCESSES", "split").strip().lower() == "one"

bind = os.environ.get("GATEWAY_BIND", "127.0.0.1:8000")
worker_class = "gthread"  # gunicorn 26+ has no eventlet worker; gthread measured as fast (docs/stack.md)
workers = int(os.environ.get("GATEWAY_WORKERS", "1" if ONE_PROCESS else "2"))
threads = int(os.environ.get("GATEWAY_THREADS", "4" if ONE_PROCESS else "8"))

# The gateway never lets eventlet patch it (threads); eventlet, imported with nameko's RPC client,
# would still load its green DNS resolver (dnspython): 8 MiB of every worker, for nothing (measured).
os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
timeout = 30
graceful_timeout = 10
accesslog = None  # the app logs each request as a JSON line with its correlation id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
raw_env = ["COCOON_SERVICE_NAME=gateway"]

# gunicorn answers a request it cannot parse itself, before the app sees it: a plain English page
# (400, 414 "URI Too Long", 431 "Request Header Fields Too Large") that no setting makes French.
# So its limits are raised as far as they sensibly go and the app answers everything else.
limit_request_line = 8190  # gunicorn's maximum (4094 by default): long filter URLs stay the app's
limit_request_fields = 100  # headers per request: browsers send about 20
limit_request_field_size = 16380  # bytes per header (8190 by default): room for large cookies


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
