"""A fault-injecting TCP proxy for DynamoDB on loopback: storage blips on demand, between the skill and dynalite.

Each HTTP request from the client is read whole and, unless a fault is due, forwarded to the server on a fresh
connection and its reply passed back. Faults, chosen per request (for the DynamoDB operations named, or all):

- ``drop``: the connection is closed before anything is forwarded (a killed connection);
- ``delay:S``: the request is held S seconds (at most 10) before it is forwarded (past the client's read timeout
  this is a blackhole);
- ``throttle``: a DynamoDB ``ThrottlingException`` (HTTP 400) is answered without forwarding;
- ``error500``: a DynamoDB ``InternalServerError`` (HTTP 500) is answered without forwarding;
- ``lose_reply``: the request is forwarded, so the write lands, and the connection is closed before the reply.

Faults are queued (``proxy.inject("throttle", times=2, ops={"UpdateItem"})``) or drawn at a rate from a seeded
random (``proxy.rate = 0.3``, ``proxy.rate_fault = "throttle"``). Bounded: loopback only, at most 32 connections,
64 KiB of headers and 1 MiB of body per request, 10 s socket timeouts.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Collection, Iterator
from urllib.parse import urlsplit

MAX_CONNECTIONS = 32
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
SOCKET_TIMEOUT_S = 10.0
MAX_DELAY_S = 10.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")
FAULTS = ("drop", "throttle", "error500", "lose_reply")  # and "delay:S"

_ERRORS = {
    "throttle": (400, "Bad Request", "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                 "Rate of requests exceeds the allowed throughput."),
    "error500": (500, "Internal Server Error", "com.amazonaws.dynamodb.v20120810#InternalServerError",
                 "Internal server error"),
}


def _reply(fault: str) -> bytes:
    status, reason, kind, message = _ERRORS[fault]
    body = json.dumps({"__type": kind, "message": message}).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/x-amz-json-1.0\r\n"
            f"Content-Length: {len(body)}\r\nx-amzn-RequestId: fault-proxy\r\n\r\n")
    return head.encode() + body


def _read_request(conn: socket.socket, buffer: bytearray) -> tuple[bytes, dict[str, str]] | None:
    """One whole HTTP request (head and Content-Length body) from `conn`; None at a clean end."""
    while b"\r\n\r\n" not in buffer:
        if len(buffer) > MAX_HEADER_BYTES:
            raise ValueError("request head too long")
        chunk = conn.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    end = buffer.index(b"\r\n\r\n") + 4
    lines = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    length = int(headers.get("content-length", "0"))
    if length > MAX_BODY_BYTES:
        raise ValueError("request body too long")
    while len(buffer) < end + length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    request = bytes(buffer[:end + length])
    del buffer[:end + length]
    return request, headers


def _closing(request: bytes) -> bytes:
    """The request with `Connection: close`, so the server's reply ends where its connection does."""
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(self, endpoint: str, seed: int = 0) -> None:
        target = urlsplit(endpoint)
        if target.hostname not in LOOPBACK:
            raise ValueError(f"the fault proxy only fronts loopback servers, not {target.hostname}")
        self.target = (target.hostname, target.port or 80)
        self.rate = 0.0  # chance that any request gets `rate_fault`
        self.rate_fault = "throttle"
        self.rate_ops: Collection[str] | None = None
        self.seen: Counter[str] = Counter()  # requests by operation
        self.injected: Counter[str] = Counter()  # faults by kind
        self._queue: deque[tuple[str, Collection[str] | None]] = deque()
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fault-proxy", daemon=True)
        self.endpoint = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def inject(self, fault: str, times: int = 1, ops: Collection[str] | None = None) -> None:
        """The next `times` requests for `ops` (DynamoDB operation names such as "UpdateItem"; None: any) get
        `fault`."""
        if fault not in FAULTS and not fault.startswith("delay:"):
            raise ValueError(f"unknown fault {fault!r}")
        with self._lock:
            self._queue.extend([(fault, ops)] * times)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self.rate = 0.0

    def _fault_for(self, operation: str) -> str | None:
        with self._lock:
            self.seen[operation] += 1
            for index, (fault, ops) in enumerate(self._queue):
                if ops is None or operation in ops:
                    del self._queue[index]
                    self.injected[fault] += 1
                    return fault
            if self.rate and (self.rate_ops is None or operation in self.rate_ops) \
                    and self._random.random() < self.rate:
                self.injected[self.rate_fault] += 1
                return self.rate_fault
        return None

    # Serving ----------------------------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            if not self._slots.acquire(blocking=False):
                conn.close()  # bounded: refuse beyond MAX_CONNECTIONS
                continue
            threading.Thread(target=self._connection, args=(conn,), daemon=True).start()

    def _connection(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(SOCKET_TIMEOUT_S)
            buffer = bytearray()
            while not self._stopping.is_set():
                read = _read_request(conn, buffer)
                if read is None:
                    return
                request, headers = read
                operation = headers.get("x-amz-target", "").rpartition(".")[2] or "?"
                fault = self._fault_for(operation)
                if fault == "drop":
                    return
                if fault in _ERRORS:
                    conn.sendall(_reply(fault))
                    continue
                if fault and fault.startswith("delay:"):
                    time.sleep(min(MAX_DELAY_S, float(fault.partition(":")[2])))
                reply = self._forward(request)
                if fault == "lose_reply":
                    return
                conn.sendall(reply)
        except (OSError, ValueError):
            return
        finally:
            conn.close()
            self._slots.release()

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.target, timeout=SOCKET_TIMEOUT_S) as upstream:
            upstream.sendall(_closing(request))
            reply = bytearray()
            while chunk := upstream.recv(65536):
                reply += chunk
                if len(reply) > MAX_BODY_BYTES + MAX_HEADER_BYTES:
                    raise ValueError("reply too long")
        return bytes(reply)


@contextlib.contextmanager
def fault_proxy(endpoint: str, seed: int = 0) -> Iterator[FaultProxy]:
    proxy = FaultProxy(endpoint, seed).start()
    try:
        yield proxy
    finally:
        proxy.stop()
