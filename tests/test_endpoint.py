"""tools/endpoint.py: the one set of helpers that start a server process on a free port (IPv4 or IPv6) and wait
until it is healthy, for make chat, the end-to-end tests and the hostile-HTTP tests."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tools.endpoint import base_url, free_port, has_ipv6_loopback, healthy, running, wait_healthy

HOSTS = ["127.0.0.1", pytest.param("::1", marks=pytest.mark.skipif(not has_ipv6_loopback(), reason="no IPv6"))]


@contextmanager
def health_server(host: str, status: int) -> Iterator[str]:
    """A server on `host` whose /healthz answers `status`; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    server = Server((host, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url(host, server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("host", HOSTS)
def test_a_free_port_can_be_bound_on_ipv4_and_ipv6(host):
    port = free_port(host)
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, port))


@pytest.mark.parametrize("host", HOSTS)
def test_healthy_is_a_200_from_healthz_and_nothing_else(host):
    with health_server(host, 200) as url:
        assert healthy(url)
    with health_server(host, 503) as url:
        assert not healthy(url)
    assert not healthy(url), "nothing listens there now"
    assert base_url("::1", 8080) == "http://[::1]:8080/" and base_url("127.0.0.1", 80) == "http://127.0.0.1:80/"


def test_waiting_ends_when_the_server_is_healthy(tmp_path):
    with health_server("127.0.0.1", 200) as url:
        command = [sys.executable, "-c", "import time; time.sleep(30)"]
        with running(command, {}, tmp_path / "log", lambda process: wait_healthy(url, process, timeout=5)) as process:
            assert process.poll() is None
    assert process.poll() is not None, "stopped after"


def test_a_server_that_exits_before_it_is_healthy_is_reported_with_its_log(tmp_path):
    command = [sys.executable, "-c", "print('port already in use', flush=True); raise SystemExit(3)"]
    log = tmp_path / "server.log"
    url = base_url("127.0.0.1", free_port())
    with pytest.raises(RuntimeError, match=r"exited with 3 before it was ready:\nport already in use"), \
            running(command, {}, log, lambda process: wait_healthy(url, process, timeout=10, log_path=log)):
        pass


def test_a_server_never_healthy_is_given_up_on(tmp_path):
    command = [sys.executable, "-c", "import time; time.sleep(30)"]
    url = base_url("127.0.0.1", free_port())
    with pytest.raises(RuntimeError, match="did not become healthy in 1s"), \
            running(command, {}, tmp_path / "log", lambda process: wait_healthy(url, process, timeout=1)):
        pass
