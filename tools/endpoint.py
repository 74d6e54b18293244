"""Start the skill's web service on a free loopback port, as `make serve` would, and wait until it answers.

Used by `make chat` and by the end-to-end tests, so both talk to the real served endpoint; the hostile-HTTP tests and
tests/support/servers.py start their own servers with the same helpers (a free port, IPv4 or IPv6, a process and
its log, and a wait until it is healthy).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port(host: str = "127.0.0.1") -> int:
    """A port on `host` (an IPv4 or IPv6 address) that was free a moment ago (the OS picks it; someone may still take
    it first)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def has_ipv6_loopback() -> bool:
    """Whether this machine can listen on ::1 (tests served over IPv6 are skipped where it cannot)."""
    try:
        free_port("::1")
        return True
    except OSError:
        return False


def base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def healthy(url: str, timeout: float = 1.0) -> bool:
    """Whether the endpoint at `url` answers its health check (GET /healthz) with a 200 within `timeout` seconds.
    Asked directly, never through a proxy the environment names: the endpoint is local."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path.rstrip("/") + "/healthz")
        return connection.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 20.0, log_path: Path | None = None) -> None:
    """Returns once the endpoint `process` serves at `url` is healthy; raises RuntimeError, with the end of its log,
    if it exits first or is not healthy within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the endpoint exited with {process.returncode} before it was ready{_tail(log_path)}")
        if healthy(url):
            return
        time.sleep(0.05)
    raise RuntimeError(f"the endpoint at {url} did not become healthy in {timeout:.0f}s{_tail(log_path)}")


def _tail(log_path: Path | None, lines: int = 40) -> str:
    if log_path is None or not log_path.exists():
        return ""
    return ":\n" + "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def running(command: list[str], env: Mapping[str, str], log_path: Path,
            ready: Callable[[subprocess.Popen], None]) -> Iterator[subprocess.Popen]:
    """A server process, its output in `log_path`, once `ready(process)` returns; stopped (then killed) after."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, env=dict(env), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        ready(process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def served(env: Mapping[str, str], log_path: Path) -> Iterator[str]:
    """The endpoint, served with `env` on top of this process's environment; yields its base URL."""
    port = free_port()
    full_env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "ALEXA_VERIFY": "off",
                "PYTHONPATH": str(ROOT / "lambda"), "WEB_THREADS": "4", **env}
    url = base_url("127.0.0.1", port)
    with running([sys.executable, "-m", "runner_strength.hosting"], full_env, log_path,
                 lambda process: wait_healthy(url, process, log_path=log_path)):
        yield url
