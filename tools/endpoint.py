"""Start the skill's web service on a free loopback port, as `make serve` would, and wait until it answers.

Used by `make chat` and by the end-to-end tests, so both talk to the real served endpoint.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback port that was free a moment ago (the OS picks it; someone may still take it first)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the endpoint exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(url + "healthz", timeout=1) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise RuntimeError(f"the endpoint at {url} did not become healthy in {timeout:.0f}s")


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
    url = f"http://127.0.0.1:{port}/"
    with running([sys.executable, "-m", "runner_strength.hosting"], full_env, log_path,
                 lambda process: wait_healthy(url, process)):
        yield url
