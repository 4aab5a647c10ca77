"""The bare stack's web app: Flask on gunicorn gthread, calling the no-op RPC and answering JSON.

Each worker keeps a pool of standalone nameko proxies, made when first needed (after the fork)
and reused: a proxy serves one thread at a time, as in the project's gateway, without anything
else the gateway does (no auth, schema, deadline, log line or metrics).
"""

import os
import queue

from flask import Flask, jsonify
from nameko.standalone.rpc import ClusterRpcProxy

CONFIG = {"AMQP_URI": os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")}
_idle = queue.LifoQueue()  # (standalone proxy, its cluster proxy) not in use, this worker's

app = Flask(__name__)


def _checkout():
    try:
        return _idle.get_nowait()
    except queue.Empty:
        standalone = ClusterRpcProxy(CONFIG, timeout=5)
        return standalone, standalone.start()


@app.get("/noop")
def noop():
    standalone, services = _checkout()
    try:
        answer = services.noop.quote()
    except BaseException:
        standalone.stop()
        raise
    _idle.put((standalone, services))
    return jsonify(answer)


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
