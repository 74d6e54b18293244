"""Real network servers for storage tests: an in-memory DynamoDB (dynalite) and a TCP blackhole.

Production stores runners in DynamoDB, so the DynamoDB store is tested against dynalite (a Node
implementation of the DynamoDB API, pinned in package.json) rather than against mocks: conditional
writes and error shapes then come from a real wire protocol. The blackhole accepts connections and
never answers, which is the only honest way to prove that client timeouts are actually configured.

Also the DynamoDB client that counts its calls, for storage-call tests and benchmarks. The fixtures at the
bottom are re-exported from conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from tools.endpoint import ROOT, free_port

DYNALITE_CLI = ROOT / "node_modules" / "dynalite" / "cli.js"
REGION = "us-east-1"

# For a skill server started in a subprocess: dummy credentials so boto3 never looks further.
DUMMY_ENV = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1"}

STARTUP_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 5.0
TABLE_ACTIVE_TIMEOUT_S = 5.0
PORT_ATTEMPTS = 3

# Tables become ACTIVE (and are deleted) at once instead of after dynalite's default 500 ms.
DYNALITE_FLAGS = ("--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")

# Short timeouts and few retries: a broken local server should fail a test fast, not hang it for minutes.
DEFAULT_CLIENT_CONFIG = Config(
    connect_timeout=2, read_timeout=10, retries={"mode": "standard", "total_max_attempts": 2}
)

# Keep the developer's ~/.aws (and AWS_PROFILE, AWS_CONFIG_FILE...) out of tests entirely.
_ISOLATED_SESSION_VARS = {
    "profile": (None, None, None, None),
    "config_file": (None, None, os.devnull, None),
    "credentials_file": (None, None, os.devnull, None),
}


# --- DynamoDB clients and tables -------------------------------------------------------------------


def dynamodb_client(endpoint: str, config: Config | None = None) -> Any:
    """A DynamoDB client for `endpoint` with dummy credentials, built from a fresh, isolated session.

    A fresh botocore session (not boto3's default one) with config and credential files pointed at
    /dev/null means no developer profile, credentials or region can leak into a test.
    """
    core = botocore.session.Session(session_vars=_ISOLATED_SESSION_VARS)
    session = boto3.session.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION, botocore_session=core
    )
    return session.client("dynamodb", endpoint_url=endpoint, config=config or DEFAULT_CLIENT_CONFIG)


def unique_table_name(prefix: str = "runners") -> str:
    """A table name no other test uses, so every test can share one dynalite process."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    if not 3 <= len(name) <= 255:
        raise ValueError(f"DynamoDB table names must be 3-255 characters: {name!r}")
    return name


def create_runner_table(client: Any, name: str) -> None:
    """Create a table shaped like production's (partition key `id`, on-demand) and wait until ACTIVE.

    dynalite with --createTableMs 0 is ACTIVE at once, but polling keeps this correct for any endpoint.
    """
    client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    deadline = time.monotonic() + TABLE_ACTIVE_TIMEOUT_S
    while True:
        status = client.describe_table(TableName=name)["Table"]["TableStatus"]
        if status == "ACTIVE":
            return
        if time.monotonic() >= deadline:
            raise TimeoutError(f"table {name} still {status} after {TABLE_ACTIVE_TIMEOUT_S}s")
        time.sleep(0.05)


class CountingClient:
    """The real boto3 client, with every call counted by operation."""

    READS = frozenset({"get_item"})
    WRITES = frozenset({"put_item", "update_item", "delete_item"})

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)
        if not callable(method) or name.startswith("_") or name in ("meta", "exceptions"):
            return method

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return method(*args, **kwargs)

        return counted

    def take(self) -> tuple[int, int]:
        """Reads and writes since the last take."""
        reads = sum(n for op, n in self.calls.items() if op in self.READS)
        writes = sum(n for op, n in self.calls.items() if op in self.WRITES)
        self.calls.clear()
        return reads, writes


# --- dynalite ----------------------------------------------------------------------------------------


class PortTakenError(RuntimeError):
    """The free port we picked was grabbed by someone else before dynalite could bind it."""


@dataclass
class Dynalite:
    """A running dynalite process: where it listens, the process itself, and its log."""

    endpoint: str
    process: subprocess.Popen[bytes]
    log_path: Path


def _log_tail(log_path: Path, lines: int = 20) -> str:
    """The end of dynalite's log, for error messages that explain why it did not come up."""
    try:
        text = log_path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def _bound(log_path: Path) -> bool:
    """Whether dynalite logged that it is listening (cli.js prints this from the listen callback)."""
    try:
        return "Dynalite listening at" in log_path.read_text(errors="replace")
    except OSError:
        return False


def _accepts_tcp(port: int) -> bool:
    """Whether something listens on the loopback port right now."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _answers_list_tables(endpoint: str) -> bool:
    """Whether the server speaks DynamoDB, not merely accepts TCP."""
    quick = Config(connect_timeout=1, read_timeout=1, retries={"mode": "standard", "total_max_attempts": 1})
    try:
        dynamodb_client(endpoint, quick).list_tables()
    except (BotoCoreError, ClientError):
        return False
    return True


def _wait_until_ready(server: Dynalite, port: int) -> None:
    """Block until dynalite answers ListTables; raise with the log tail if it dies or takes too long."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = _log_tail(server.log_path)
            if "EADDRINUSE" in tail:
                raise PortTakenError(f"port {port} was taken before dynalite bound it")
            raise RuntimeError(f"dynalite exited with {server.process.returncode}; log tail:\n{tail}")
        # The log line proves *our* process bound the port (not another dynalite that raced us to it).
        if _bound(server.log_path) and _accepts_tcp(port) and _answers_list_tables(server.endpoint):
            return
        time.sleep(0.05)
    raise TimeoutError(
        f"dynalite did not answer ListTables at {server.endpoint} within {STARTUP_TIMEOUT_S}s; "
        f"log tail:\n{_log_tail(server.log_path)}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate politely, then kill: a test run must never leave a dynalite behind."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _launch(port: int, log_path: Path) -> Dynalite:
    """Start dynalite in memory (no --path) on the loopback port, logging to `log_path`."""
    if not DYNALITE_CLI.is_file():
        raise RuntimeError(f"{DYNALITE_CLI} is missing; run `npm ci` in {ROOT}")
    command = ["node", str(DYNALITE_CLI), "--port", str(port), "--host", "127.0.0.1", *DYNALITE_FLAGS]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
        )
    return Dynalite(f"http://127.0.0.1:{port}", process, log_path)


@contextlib.contextmanager
def dynalite_process() -> Iterator[Dynalite]:
    """Run one in-memory dynalite for the duration of the block; retry on a port race."""
    with tempfile.TemporaryDirectory(prefix="dynalite-") as tmp:
        for attempt in range(1, PORT_ATTEMPTS + 1):
            port = free_port()
            # One log per attempt, so an EADDRINUSE from a lost race is not blamed on the next try.
            server = _launch(port, Path(tmp) / f"dynalite-{attempt}.log")
            try:
                _wait_until_ready(server, port)
            except PortTakenError:
                _stop(server.process)
                if attempt == PORT_ATTEMPTS:
                    raise
                continue
            except BaseException:
                _stop(server.process)
                raise
            break
        try:
            yield server
        finally:
            _stop(server.process)


@contextlib.contextmanager
def running_dynalite() -> Iterator[str]:
    """Run one in-memory dynalite and yield its endpoint URL, e.g. "http://127.0.0.1:54321"."""
    with dynalite_process() as server:
        yield server.endpoint


# --- blackhole ---------------------------------------------------------------------------------------


class _Blackhole:
    """Accepts every connection, reads and discards whatever arrives, never writes and never closes."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.setblocking(False)
        self.port: int = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"blackhole-{self.port}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _serve(self) -> None:
        """Poll with a short timeout so `stop` is noticed; all socket work stays on this thread."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.listener, selectors.EVENT_READ)
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=0.05):
                    sock: socket.socket = key.fileobj  # type: ignore[assignment]
                    if sock is self.listener:
                        self._accept(selector)
                    else:
                        self._drain(selector, sock)

    def _accept(self, selector: selectors.BaseSelector) -> None:
        with contextlib.suppress(BlockingIOError):
            conn, _ = self.listener.accept()
            conn.setblocking(False)
            self.held.append(conn)
            selector.register(conn, selectors.EVENT_READ)

    def _drain(self, selector: selectors.BaseSelector, sock: socket.socket) -> None:
        """Discard incoming bytes so the client's sends never block; forget sockets the client closed."""
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            selector.unregister(sock)
            self.held.remove(sock)
            sock.close()

    def stop(self) -> None:
        """Stop the thread first, then close sockets, so no socket is closed while the thread uses it."""
        self._stopping.set()
        self._thread.join(timeout=STOP_TIMEOUT_S)
        for sock in self.held:
            sock.close()
        self.held.clear()
        self.listener.close()


@contextlib.contextmanager
def blackhole() -> Iterator[str]:
    """A loopback endpoint that accepts connections and never answers: client read timeouts must fire."""
    server = _Blackhole()
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.stop()


# --- pytest fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dynalite_endpoint() -> Iterator[str]:
    """One dynalite for the whole test session; tests isolate themselves by table name."""
    with running_dynalite() as endpoint:
        yield endpoint


@pytest.fixture
def dynamo_table(dynalite_endpoint: str) -> Iterator[tuple[str, str]]:
    """A fresh, empty runner table on the shared dynalite: yields (endpoint, table_name)."""
    client = dynamodb_client(dynalite_endpoint)
    name = unique_table_name()
    create_runner_table(client, name)
    yield dynalite_endpoint, name
    # Best effort: keeps dynalite's memory small; a test may already have deleted the table.
    with contextlib.suppress(ClientError):
        client.delete_table(TableName=name)


@pytest.fixture
def blackhole_endpoint() -> Iterator[str]:
    """A loopback endpoint that accepts connections and never answers."""
    with blackhole() as endpoint:
        yield endpoint
