"""gunicorn for the bare stack: the project's gateway settings (deploy/gunicorn.conf.py) without
its hooks: gthread, 2 workers x 8 threads, no access log."""

import os

bind = os.environ.get("BARE_BIND", "127.0.0.1:8001")
worker_class = "gthread"
workers = 2
threads = 8
timeout = 30
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"
