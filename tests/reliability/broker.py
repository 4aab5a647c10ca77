"""A second RabbitMQ node of the proof suite's own, which it may stop and start at will.

The shared broker (127.0.0.1:5672, node `rabbit@…`) is never touched: this node has its own name
(`cocoonfault<pid>@localhost`), AMQP and distribution ports (free ones), data, log and pid
files under a temporary directory, only the management plugin (on a free port of its own: the
venue's readiness check compares its queues with the event catalogue through it), and its own
Erlang cookie (its HOME is that directory, so neither /var/lib/rabbitmq/.erlang.cookie nor
$HOME/.erlang.cookie is read or written). The server and CLI scripts are called directly
(/usr/lib/rabbitmq/bin): Debian's /usr/sbin wrappers would switch to the `rabbitmq` user, which
cannot write the directory.

The suite inspects queues over AMQP (passive declarations, basic.get), not the management API.
"""

import os
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import amqp
from kombu import Connection

from tests.support import free_port

RABBITMQ_BIN = Path(os.environ.get("COCOON_RABBITMQ_BIN", "/usr/lib/rabbitmq/bin"))


def rabbitmq_available():
    return (RABBITMQ_BIN / "rabbitmq-server").exists() and (RABBITMQ_BIN / "rabbitmqctl").exists()


class FaultBroker:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.node = f"cocoonfault{os.getpid()}@localhost"
        self.port = free_port()
        self.dist_port = free_port()
        self.api_port = free_port()
        self.api_uri = f"http://guest:guest@127.0.0.1:{self.api_port}"
        self.uri = self.uri_of("/")
        self.pid_file = self.directory / "rabbitmq.pid"
        self.log_dir = self.directory / "log"

    # --- the node's life ------------------------------------------------------------------------
    def _env(self):
        home = self.directory / "home"
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(home),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(self.directory / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.log_dir),
            "RABBITMQ_PID_FILE": str(self.pid_file),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.directory / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.directory / "rabbitmq.conf"),
            "RABBITMQ_CONF_ENV_FILE": str(self.directory / "rabbitmq-env.conf"),  # not /etc/rabbitmq's
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }

    def start(self):
        home = self.directory / "home"
        for path in (home, self.directory / "mnesia", self.log_dir):
            path.mkdir(parents=True, exist_ok=True)
        cookie = home / ".erlang.cookie"
        cookie.write_text(secrets.token_hex(16).upper())
        cookie.chmod(0o400)
        (self.directory / "enabled_plugins").write_text("[rabbitmq_management].\n")
        (self.directory / "rabbitmq-env.conf").write_text("")
        # The memory and disk alarms stay at their defaults; a small node with a quick heartbeat.
        (self.directory / "rabbitmq.conf").write_text(
            "loopback_users = none\nheartbeat = 10\n"
            f"management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = {self.api_port}\n"
        )
        subprocess.run(
            [str(RABBITMQ_BIN / "rabbitmq-server"), "-detached"],
            cwd=self.directory,
            env=self._env(),
            check=True,
            capture_output=True,
            timeout=60,
        )
        self.ctl("wait", "--timeout", "90", str(self.pid_file), timeout=120)

    def ctl(self, *args, timeout=90):
        """rabbitmqctl -n <this node> …; its output, or an AssertionError with it."""
        done = subprocess.run(
            [str(RABBITMQ_BIN / "rabbitmqctl"), "-n", self.node, *args],
            cwd=self.directory,
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(f"rabbitmqctl {' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def queues_report(self, vhost="/"):
        """Each queue with its consumers, ready and unacknowledged messages (rabbitmqctl's table)."""
        return self.ctl("list_queues", "-p", vhost, "name", "consumers", "messages_ready", "messages_unacknowledged")

    def stop_app(self):
        """The broker goes away (every connection closed), the Erlang node stays."""
        self.ctl("stop_app")

    def start_app(self):
        self.ctl("start_app")
        self.ctl("await_startup", "--timeout", "90", timeout=120)

    def stop(self):
        """Halt the node; the pid file's process is killed if it does not halt in time."""
        try:
            self.ctl("stop", timeout=60)
        except (AssertionError, subprocess.TimeoutExpired):
            pid = self._pid()
            if pid:
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass

    def _pid(self):
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def accepts_connections(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def remove(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    # --- virtual hosts and queues, over AMQP ------------------------------------------------------------
    def uri_of(self, vhost):
        return f"amqp://guest:guest@127.0.0.1:{self.port}/{quote(vhost, safe='')}"

    def add_vhost(self, vhost):
        """A virtual host of its own (for a second stack on this node); returns its AMQP URI."""
        self.ctl("add_vhost", vhost)
        self.ctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        return self.uri_of(vhost)

    def depths(self, names, vhost="/"):
        """{queue: messages ready} for the queues named (a missing queue is left out)."""
        found = {}
        with Connection(self.uri_of(vhost), connect_timeout=5) as connection:
            for name in names:
                channel = connection.channel()
                try:
                    found[name] = channel.queue_declare(name, passive=True).message_count
                except Exception:  # noqa: BLE001  (404: not declared; the channel is closed by the broker)
                    pass
                finally:
                    try:
                        channel.close()
                    except Exception:  # noqa: BLE001
                        pass
        return found

    def take(self, queue, limit=50, vhost="/"):
        """Up to `limit` messages taken (acked) from `queue`: [(headers, body bytes)]."""
        taken = []
        with Connection(self.uri_of(vhost), connect_timeout=5) as connection:
            channel = connection.default_channel
            for _ in range(limit):
                message = channel.basic_get(queue, no_ack=False)
                if message is None:
                    break
                body = message.body  # py-amqp decodes a body with a content encoding to str
                taken.append((dict(message.headers or {}), body.encode() if isinstance(body, str) else body))
                channel.basic_ack(message.delivery_tag)
        return taken

    def publish_bytes(self, exchange, routing_key, body, content_type=None):
        """Exactly these bytes, as any client could send them (persistent; no content type unless given)."""
        properties = {"delivery_mode": 2}
        if content_type:
            properties.update(content_type=content_type, content_encoding="utf-8")
        with Connection(self.uri, connect_timeout=5) as connection:
            channel = connection.default_channel
            channel.basic_publish(amqp.Message(body, **properties), exchange=exchange, routing_key=routing_key)


def wait_until_down(broker, timeout=30):
    deadline = time.monotonic() + timeout
    while broker.accepts_connections():
        if time.monotonic() > deadline:
            raise AssertionError("the fault broker still accepts connections after stop_app")
        time.sleep(0.2)
