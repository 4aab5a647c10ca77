"""gunicorn settings for the gateway (threads, no eventlet: nameko's eventlet stays in the services)."""
import os

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
