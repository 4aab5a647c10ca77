"""A local TCP proxy in front of the real RabbitMQ, for failures no broker setting gives safely.

With `swallow_confirms=True` it forwards every frame except the broker's `basic.ack`: a
publisher's confirm never arrives, although the broker routed the message. That is what a
publisher sees when the broker stalls (memory or disk alarm, network partition), without
raising an alarm that would block every other test sharing the broker.
"""

import socket
import struct

import eventlet

METHOD_FRAME = 1
BASIC_ACK = struct.pack(">HH", 60, 80)  # class basic (60), method ack (80)
FRAME_HEADER = struct.Struct(">BHI")  # type, channel, payload size; then payload and 0xCE


class AmqpProxy:
    def __init__(self, broker=("127.0.0.1", 5672), swallow_confirms=False):
        self.broker = broker
        self.swallow_confirms = swallow_confirms
        self.swallowed = 0
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets = []
        self._threads = []

    def uri(self, amqp_uri):
        """The same URI (credentials, vhost) through this proxy."""
        scheme, _, rest = amqp_uri.partition("://")
        credentials, _, host_and_path = rest.rpartition("@")
        _, _, path = host_and_path.partition("/")
        return f"{scheme}://{credentials}@127.0.0.1:{self.port}/{path}"

    def start(self):
        self._listener.listen(8)
        self._threads.append(eventlet.spawn(self._accept))
        return self

    def close(self):
        for thread in self._threads:
            thread.kill()
        for sock in self._sockets + [self._listener]:
            try:
                sock.close()
            except OSError:
                pass

    def _accept(self):
        while True:
            client, _ = self._listener.accept()
            upstream = socket.create_connection(self.broker)
            self._sockets += [client, upstream]
            self._threads.append(eventlet.spawn(self._copy, client, upstream))
            self._threads.append(eventlet.spawn(self._copy_frames, upstream, client))

    def _copy(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except (OSError, EOFError):  # either side closed: close the other
            pass
        finally:
            target.close()

    def _copy_frames(self, source, target):
        buffer = b""
        try:
            while data := source.recv(65536):
                buffer += data
                while len(buffer) >= FRAME_HEADER.size:
                    kind, _, size = FRAME_HEADER.unpack_from(buffer)
                    end = FRAME_HEADER.size + size + 1
                    if len(buffer) < end:
                        break
                    frame, buffer = buffer[:end], buffer[end:]
                    if self.swallow_confirms and kind == METHOD_FRAME and frame[7:11] == BASIC_ACK:
                        self.swallowed += 1
                        continue
                    target.sendall(frame)
        except (OSError, EOFError):  # either side closed: close the other
            pass
        finally:
            target.close()
