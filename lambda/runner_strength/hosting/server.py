"""gunicorn as `make serve` runs it: the options, and a thread worker that hands a request to a thread only
once all of it has arrived.

gunicorn's gthread worker reads a request in the thread that will answer it, so a client sending a byte a second
holds a thread for as long as it likes, and a few such clients hold them all (health checks included). Here the
bytes are collected without blocking, a few at a time as they arrive, while the connection waits in gunicorn's
poller; a request must arrive whole within REQUEST_READ_SECONDS and within the size limits, or it is refused.
Plain HTTP only: TLS ends at the reverse proxy in front (see docs/deploying.md), so the bytes read here are HTTP.
"""

from __future__ import annotations

import io
import json
import re
import signal
import socket
import time
from collections.abc import Mapping

from gunicorn import http
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import _DEFER, ThreadWorker  # _DEFER: "back to the poller until readable"

from .app import MAX_BODY_BYTES
from .config import Config

REQUEST_READ_SECONDS = 5.0  # from a request's first byte to its last
MAX_HEAD_BYTES = 64 * 1024  # request line and headers (Alexa's are about 2 KB)
MAX_CHUNKS = 1024  # a chunked body is re-scanned as it arrives; Alexa itself sends a Content-Length
CLOSE_LINGER_SECONDS = 0.5  # reading what a client still sends after we close, so our answer is not reset

# What a buffered request needs next.
MORE = "more"  # wait for more bytes
READY = "ready"  # complete, or malformed in a way gunicorn's parser and the app refuse: hand it over
HEAD_TOO_LARGE = "head too large"
BODY_TOO_LARGE = "body too large"
TOO_MANY_CHUNKS = "body in too many chunks"

_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,16}")


def request_state(data: bytes, max_body: int = MAX_BODY_BYTES, max_head: int = MAX_HEAD_BYTES) -> tuple[str, bool]:
    """Whether `data` (the bytes of a request so far) holds a whole request; and whether the client asked for a
    100 Continue before it sends the body. Only framing is read here; gunicorn's parser judges the rest."""
    end = data.find(b"\r\n\r\n")
    if end < 0 or end > max_head:
        return (HEAD_TOO_LARGE if len(data) > max_head else MORE), False
    fields: dict[str, list[str]] = {}
    for line in data[:end].decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        fields.setdefault(name.strip().lower(), []).append(value.strip())
    body = data[end + 4:]
    expects = [v.lower() for v in fields.get("expect", [])] == ["100-continue"]
    codings = ",".join(fields.get("transfer-encoding", [])).lower()
    if codings:
        if codings.split(",")[-1].strip() != "chunked":
            return READY, False  # refused by the parser
        state = _chunked_state(body, max_body, max_head)
        return state, expects and state == MORE
    lengths = fields.get("content-length")
    if not lengths:
        return READY, False
    if len(lengths) != 1 or not lengths[0].isdigit():
        return READY, False  # refused by the parser
    length = int(lengths[0])
    if length > max_body:
        return BODY_TOO_LARGE, False
    if len(body) >= length:
        return READY, False
    return MORE, expects


def _chunked_state(body: bytes, max_body: int, max_head: int) -> str:
    position = payload = 0
    for _ in range(MAX_CHUNKS + 1):
        line_end = body.find(b"\r\n", position)
        if line_end < 0:
            return MORE if len(body) - position <= max_head else READY
        size_text = body[position:line_end].split(b";", 1)[0].rstrip(b" \t")
        if not _CHUNK_SIZE.fullmatch(size_text):
            return READY  # malformed framing: the parser refuses it
        size = int(size_text, 16)
        position = line_end + 2
        if size == 0:  # the last chunk, then trailer fields, then an empty line
            if body[position:position + 2] == b"\r\n" or body.find(b"\r\n\r\n", position) >= 0:
                return READY
            return MORE if len(body) - position <= max_head else READY
        payload += size
        if payload > max_body:
            return BODY_TOO_LARGE
        if len(body) < position + size + 2:
            return MORE
        if body[position + size:position + size + 2] != b"\r\n":
            return READY  # malformed framing: the parser refuses it
        position += size + 2
    return TOO_MANY_CHUNKS


def _keep_masters_signals(arbiter, worker) -> None:
    """gunicorn's post_fork hook, run in each new worker process: see RequestBufferingWorker.init_signals."""
    worker.signals_before_handlers = arbiter.SIG_QUEUE


class RequestBufferingWorker(ThreadWorker):
    """gunicorn's gthread worker, but a request is read without holding a thread: see the module's docstring."""

    def init_signals(self) -> None:
        super().init_signals()
        # A stop that reached this process after the fork but before its own handlers existed went to the master's
        # handler it inherited, into the master's (copied) queue, and was lost: the worker then served on until
        # the master's graceful timeout. Seen when a server with several workers is stopped as it starts.
        queue = getattr(self, "signals_before_handlers", None)
        while queue is not None and not queue.empty():
            if queue.get_nowait() in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT):
                self.alive = False

    def handle(self, conn):
        outcome = self._buffer_request(conn)
        if outcome is True:
            outcome = super().handle(conn)
        if outcome is False:
            self._close_in_thread(conn.sock)
        return outcome

    def _buffer_request(self, conn) -> object:
        """True when the whole request is buffered in the connection's parser; _DEFER to wait for more bytes in
        the poller; False to close (the client left, or the request was refused)."""
        if conn.parser is None:
            conn.parser = http.get_parser(self.cfg, conn.sock, conn.client)
        unreader = conn.parser.unreader
        data, closed = unreader.buf.getvalue(), False
        try:
            conn.sock.setblocking(False)
            while len(data) <= MAX_HEAD_BYTES + MAX_BODY_BYTES:
                piece = conn.sock.recv(65536)
                if not piece:
                    closed = True
                    break
                data += piece
        except BlockingIOError:
            pass
        except OSError:
            return False
        unreader.buf = io.BytesIO()
        unreader.buf.write(data)
        if not data:
            return False if closed else _DEFER
        now = time.monotonic()
        deadline = getattr(conn, "read_deadline", None) or now + REQUEST_READ_SECONDS
        state, expects_continue = request_state(data)
        if state == READY:
            conn.read_deadline = conn.sent_continue = None
            conn.data_ready = True  # the bytes are in the parser now, not waiting on the socket
            return True
        if state != MORE:
            return self._refuse(conn, f"request {state}")
        if closed:
            return False
        if now > deadline:
            return self._refuse(conn, f"request not received within {REQUEST_READ_SECONDS:g} s")
        conn.read_deadline = deadline
        if expects_continue and not getattr(conn, "sent_continue", None):
            conn.sent_continue = self._send(conn.sock, b"HTTP/1.1 100 Continue\r\n\r\n")
        return _DEFER

    def _refuse(self, conn, reason: str) -> bool:
        """A 400 like the app's, then close. Said here because the request never reaches the app."""
        self.log.warning("400: %s from %s", reason, conn.client)
        body = json.dumps({"error": reason}).encode()
        self._send(conn.sock, b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                   b"Connection: close\r\n\r\n%s" % (len(body), body))
        return False

    @staticmethod
    def _send(sock: socket.socket, data: bytes) -> bool:
        try:
            sock.settimeout(1.0)
            sock.sendall(data)
            return True
        except OSError:
            return False

    @staticmethod
    def _close_in_thread(sock: socket.socket) -> None:
        """End the connection here, with a short bounded linger: gunicorn's own graceful close runs in its event
        loop and lingers up to 2 s for a client that keeps sending, stalling every other connection meanwhile."""
        try:
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + CLOSE_LINGER_SECONDS
            drained = 0
            while drained < 65536 and (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                piece = sock.recv(4096)
                if not piece:
                    break
                drained += len(piece)
            sock.shutdown(socket.SHUT_RD)
        except OSError:
            pass


class Server(BaseApplication):
    def __init__(self, app, options: dict) -> None:
        self.app = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.app


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_options(config: Config, env: Mapping[str, str]) -> dict:
    """What `make serve` runs: WEB_WORKERS processes (the app is built before forking), WEB_THREADS threads each,
    since a turn mostly waits on storage."""
    return {
        "bind": bind_address(config.host, config.port),
        "workers": int(env.get("WEB_WORKERS", "1")),
        "threads": int(env.get("WEB_THREADS", "8")),
        "worker_class": RequestBufferingWorker,
        "keepalive": 5,  # also how long a connection may sit silent mid-request
        "timeout": 30,
        "accesslog": "-" if env.get("WEB_ACCESS_LOG") else None,
        # gunicorn's runtime control socket (one path per user, shared by every server on the machine) is unused.
        "control_socket_disable": True,
        "post_fork": _keep_masters_signals,
    }
