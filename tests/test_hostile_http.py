"""Hostile HTTP against the web service as `make serve` runs it (gunicorn, its worker and options), with request
verification on (trusting a test-time root, with a slow fake S3) and off on loopback: broken chunked framing,
oversize chunked bodies, slow clients, forged certificate URLs, bodies the JSON parser chokes on, and IPv6
loopback. Each answer is a 400, never a 500, nothing personal reaches the log, and health checks stay fast."""

from __future__ import annotations

import base64
import http.client
import json
import os
import select
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from runner_strength.hosting import verify
from runner_strength.hosting.config import Config, ConfigError, is_loopback, plain_host
from runner_strength.hosting.server import (
    BODY_TOO_LARGE,
    HEAD_TOO_LARGE,
    MORE,
    READY,
    REQUEST_READ_SECONDS,
    TOO_MANY_CHUNKS,
    request_state,
)
from runner_strength.hosting.verify import Rejected, SigningKeys
from tests.support.clock import NOW
from tests.support.envelopes import envelope, launch
from tests.support.hostile_server import CHAIN_URL
from tests.support.pki import GOOD, ROOT, sign
from tools.endpoint import ROOT as REPO
from tools.endpoint import base_url, free_port, has_ipv6_loopback, running, wait_healthy

FETCH_SECONDS = 2.0  # how long the fake S3 takes to say "not found"
PRIVATE_USER = "amzn1.ask.account.PRIVATE-RUNNER-7731"
PRIVATE_TOKEN = "PRIVATE-ACCESS-TOKEN-5521"


@dataclass
class Served:
    host: str
    port: int
    log: Path

    @property
    def url(self) -> str:
        return base_url(self.host, self.port)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 10.0) -> tuple[int, bytes, float]:
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            reply = connection.getresponse()
            return reply.status, reply.read(), time.monotonic() - started
        finally:
            connection.close()

    def post(self, body: bytes, headers: dict | None = None) -> tuple[int, bytes, float]:
        return self.request("POST", "/", body, {"Content-Type": "application/json", **(headers or {})})

    def health(self, timeout: float = 2.0) -> float | None:
        """Seconds until /healthz answered 200, or None if it did not within `timeout`."""
        try:
            status, _, took = self.request("GET", "/healthz", timeout=timeout)
        except OSError:
            return None
        return took if status == 200 and took <= timeout else None

    def exchange(self, data: bytes, timeout: float = 10.0) -> bytes:
        """Send raw bytes; everything the server answers until it closes."""
        with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
            sock.sendall(data)
            answer = b""
            while piece := sock.recv(65536):
                answer += piece
            return answer

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def fetches(self) -> list[str]:
        return [line.split(" ", 1)[1] for line in self.log_text().splitlines() if line.startswith("fetching ")]


@contextmanager
def serving(command: list[str], env: dict[str, str], served: Served) -> Iterator[Served]:
    full_env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "lambda"), str(REPO)]),
                "WEB_WORKERS": "1", "WEB_THREADS": "8", **env}
    with running(command, full_env, served.log, lambda process: wait_healthy(served.url, process, log_path=served.log)):
        yield served


@contextmanager
def hostile_server(folder: Path, *, verified: bool) -> Iterator[Served]:
    served = Served("127.0.0.1", free_port(), folder / "server.log")
    settings = {
        "host": served.host, "port": served.port, "verify": verified, "fetch_seconds": FETCH_SECONDS,
        "store": f"sqlite:{folder / 'runners.sqlite3'}",
        "root": ROOT.certificate.public_bytes(serialization.Encoding.PEM).decode(), "chain": GOOD.chain().decode(),
    }
    command = [sys.executable, "-m", "tests.support.hostile_server"]
    with serving(command, {"HOSTILE_SERVE": json.dumps(settings)}, served):
        yield served


@pytest.fixture(scope="module")
def verified(tmp_path_factory) -> Iterator[Served]:
    with hostile_server(tmp_path_factory.mktemp("verified"), verified=True) as served:
        yield served


@pytest.fixture(scope="module")
def unverified(tmp_path_factory) -> Iterator[Served]:
    with hostile_server(tmp_path_factory.mktemp("unverified"), verified=False) as served:
        yield served


def private_envelope(**changes) -> dict:
    data = envelope(launch(), user_id=PRIVATE_USER)
    data["context"]["System"]["apiAccessToken"] = PRIVATE_TOKEN
    data["request"]["timestamp"] = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    data["request"].update(changes)
    return data


def signed(body: bytes, url: str = CHAIN_URL) -> dict[str, str]:
    return {"SignatureCertChainUrl": url, "Signature-256": sign(body, GOOD.key)}


def chunked_request(body: bytes, chunk: int = 8192) -> bytes:
    framed = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + chunk]), body[i:i + chunk]) for i in range(0, len(body), chunk))
    return (b"POST / HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n" + framed + b"0\r\n\r\n")


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def test_a_genuine_signed_request_is_answered_and_its_runner_is_not_logged(verified):
    body = json.dumps(private_envelope()).encode()
    status, answer, _ = verified.post(body, signed(body))
    assert status == 200 and json.loads(answer)["response"]["outputSpeech"]
    assert PRIVATE_USER not in verified.log_text() and PRIVATE_TOKEN not in verified.log_text()


# Item 9: chunked framing.

@pytest.mark.parametrize("server", ["verified", "unverified"])
def test_malformed_chunked_framing_is_a_400_not_a_500_with_a_traceback(server, request):
    served = request.getfixturevalue(server)
    answer = served.exchange(b"POST / HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                             b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nab\r\n0\r\n\r\n")
    assert status_of(answer) == 400, answer[:200]
    assert served.health() is not None
    assert "Traceback" not in served.log_text()


def test_a_chunked_body_over_256_kib_is_refused_not_cut_short_and_answered(unverified):
    # Verification off, so that a body cut at the limit would be answered: it is an envelope and then spaces.
    turn = json.dumps(envelope(launch())).encode()
    assert status_of(unverified.exchange(chunked_request(turn + b" " * (200 * 1024)))) == 200, "chunked is fine"
    answer = unverified.exchange(chunked_request(turn + b" " * (300 * 1024)))
    assert status_of(answer) == 400 and b"too large" in answer
    status, _, _ = unverified.post(turn + b" " * (300 * 1024))  # with a Content-Length
    assert status == 400
    assert "Traceback" not in unverified.log_text()


def test_request_framing_is_judged_only_when_complete():
    head = b"POST / HTTP/1.1\r\nHost: x\r\n"
    assert request_state(head) == (MORE, False)
    assert request_state(head + b"\r\n") == (READY, False)
    assert request_state(head + b"Content-Length: 4\r\n\r\nab") == (MORE, False)
    assert request_state(head + b"Content-Length: 4\r\nExpect: 100-continue\r\n\r\n") == (MORE, True)
    assert request_state(head + b"Content-Length: 4\r\n\r\nabcd") == (READY, False)
    assert request_state(head + b"Content-Length: 999999\r\n\r\n") == (BODY_TOO_LARGE, False)
    chunked = head + b"Transfer-Encoding: chunked\r\n\r\n"
    assert request_state(chunked + b"4\r\nab") == (MORE, False)
    assert request_state(chunked + b"4;x=y\r\nabcd\r\n0\r\n") == (MORE, False)
    assert request_state(chunked + b"4\r\nabcd\r\n0\r\n\r\n") == (READY, False)
    assert request_state(chunked + b"zz\r\nab\r\n0\r\n\r\n") == (READY, False), "malformed: for the parser to refuse"
    assert request_state(chunked + b"40001\r\n") == (BODY_TOO_LARGE, False)
    assert request_state(chunked + b"1\r\nx\r\n" * 1100) == (TOO_MANY_CHUNKS, False)
    assert request_state(b"GET /" + b"x" * 70_000) == (HEAD_TOO_LARGE, False)


# Item 10: slow clients.

def test_slow_clients_do_not_stall_health_checks_and_are_cut_off(verified):
    """Eight clients each sending a byte a second (four still in their headers, four in their bodies), and two
    that connect and say nothing: health checks are answered at once, and each slow client is refused once its
    request has taken more than REQUEST_READ_SECONDS."""
    outcomes: dict[int, tuple[bytes, float]] = {}

    def slow_client(number: int) -> None:
        sock = socket.create_connection((verified.host, verified.port), timeout=5)
        started = time.monotonic()
        head = b"POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 400\r\n\r\n"
        pending = head + b"{" * 400
        if number >= 4:
            sock.sendall(head)
            pending = b"{" * 400
        answer = b""
        try:
            while time.monotonic() - started < REQUEST_READ_SECONDS + 5:
                if number < 8:
                    sock.send(pending[:1])
                    pending = pending[1:]
                if select.select([sock], [], [], 1.0)[0]:
                    answer = sock.recv(4096)
                    break
        except OSError:
            pass
        finally:
            sock.close()
        outcomes[number] = (answer, time.monotonic() - started)

    clients = [threading.Thread(target=slow_client, args=(n,)) for n in range(10)]
    for client in clients:
        client.start()
    time.sleep(1.5)
    with ThreadPoolExecutor(8) as pool:
        health = list(pool.map(lambda _: verified.health(2.0), range(8)))
    for client in clients:
        client.join()
    assert all(took is not None for took in health), f"health answered within 2 s: {health}"
    for number, (answer, took) in sorted(outcomes.items()):
        if number < 8:
            assert status_of(answer) == 400 and b"not received within" in answer, (number, answer)
            assert REQUEST_READ_SECONDS <= took <= REQUEST_READ_SECONDS + 2, (number, took)
        else:
            assert answer == b"" and took < REQUEST_READ_SECONDS + 3, "a silent connection is closed"
    assert "Traceback" not in verified.log_text()


# Item 11: forged certificate URLs.

def forged(url: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(private_envelope()).encode()
    return body, {"SignatureCertChainUrl": url, "Signature-256": base64.b64encode(b"forged" * 40).decode()}


def test_forged_certificate_urls_are_fetched_once_a_few_at_a_time_and_health_stays_fast(verified):
    run = uuid.uuid4().hex[:8]
    urls = [f"https://s3.amazonaws.com/echo.api/forged-{run}-{n}.pem" for n in range(8)]
    urls += [f"https://s3.amazonaws.com/echo.api/forged-{run}-shared.pem"] * 8
    with ThreadPoolExecutor(len(urls)) as pool:
        answers = pool.map(lambda url: verified.post(*forged(url)), urls)
        time.sleep(0.5)
        with ThreadPoolExecutor(4) as checks:
            health = list(checks.map(lambda _: verified.health(1.0), range(4)))
        answers = list(answers)
    fetched = [url for url in verified.fetches() if run in url]
    assert all(took is not None for took in health), f"health answered within 1 s: {health}"
    assert all(status == 400 for status, _, _ in answers)
    strangers, named = verify.BUDGETS["strangers"], verify.BUDGETS["named before"]
    assert 1 <= len(fetched) <= strangers.fetches + named.fetches and len(set(fetched)) == len(fetched), fetched
    quick = [took for _, _, took in answers if took < 1.0]
    assert len(quick) >= len(urls) - strangers.held - named.held, "the rest are refused at once, not queued"
    # A URL that failed is not fetched again for a while: the next forged request with it is refused at once.
    for url in set(fetched):
        status, answer, took = verified.post(*forged(url))
        assert status == 400 and took < 1.0 and b"error" in answer
    assert [url for url in verified.fetches() if run in url] == fetched


def slow_keys(fetch_started: threading.Event, release: threading.Event, answer: bytes | None):
    calls: list[str] = []

    def fetch(url: str, seconds: float) -> bytes:
        calls.append(url)
        fetch_started.set()
        release.wait(5)
        if answer is None:
            raise Rejected(f"404 for {url}")
        return answer

    return SigningKeys(roots=lambda: [ROOT.certificate], fetch=fetch), calls


def in_threads(count: int, work) -> tuple[list[threading.Thread], list]:
    results: list = []

    def run() -> None:
        try:
            results.append(work())
        except Rejected as err:
            results.append(err)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads, results


def test_requests_for_one_url_share_one_fetch():
    started, release = threading.Event(), threading.Event()
    keys, calls = slow_keys(started, release, GOOD.chain())
    url = "https://s3.amazonaws.com/echo.api/shared.pem"
    first, first_result = in_threads(1, lambda: keys.key_for(url, NOW))
    assert started.wait(5)
    waiting = verify.BUDGETS["named before"].held  # the URL is named before now
    threads, results = in_threads(waiting, lambda: keys.key_for(url, NOW))
    time.sleep(0.2)  # the others are now waiting on that fetch
    release.set()
    for thread in first + threads:
        thread.join(10)
    assert calls == [url]
    assert len(results) == waiting and not any(isinstance(r, Rejected) for r in results + first_result)


def test_beyond_the_bounds_requests_are_refused_at_once_not_queued():
    started, release = threading.Event(), threading.Event()
    keys, calls = slow_keys(started, release, None)
    first, second, third = (f"https://s3.amazonaws.com/echo.api/{name}.pem" for name in ("a", "b", "c"))
    threads, _ = in_threads(1, lambda: keys.key_for(first, NOW))
    assert started.wait(5)
    more, _ = in_threads(1, lambda: keys.key_for(second, NOW))
    time.sleep(0.2)
    began = time.monotonic()
    with pytest.raises(Rejected, match="fetches for strangers requests are all taken"):
        keys.key_for(third, NOW)  # a third new URL while two are fetched
    waiting, _ = in_threads(verify.BUDGETS["named before"].held, lambda: keys.key_for(first, NOW))
    time.sleep(0.2)
    with pytest.raises(Rejected, match="fetches for named before requests are all taken"):
        keys.key_for(first, NOW)  # one more request held by a fetch than allowed
    assert time.monotonic() - began < 1.0
    release.set()
    for thread in threads + more + waiting:
        thread.join(10)
    assert sorted(calls) == [first, second]


def test_a_failed_fetch_is_remembered_briefly():
    started, release = threading.Event(), threading.Event()
    release.set()
    keys, calls = slow_keys(started, release, None)
    url = "https://s3.amazonaws.com/echo.api/missing.pem"
    for _ in range(3):
        with pytest.raises(Rejected, match="404"):
            keys.key_for(url, NOW)
    assert calls == [url]
    with pytest.raises(Rejected, match="404"):
        keys.key_for(url, NOW + verify.FAILURE_CACHE_FOR)
    assert calls == [url, url], "fetched again once the failure is old"


# Item 12: bodies the JSON parser chokes on, and what reaches the log.

def choking_bodies() -> dict[str, bytes]:
    digits = private_envelope()
    text = json.dumps(digits).replace('"locale"', '"big": ' + "9" * 5000 + ', "locale"', 1)
    return {
        "deep nesting": b'{"request": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "a 5,000-digit number": text.encode(),
        "a byte-order mark": b"\xef\xbb\xbf" + json.dumps(private_envelope()).encode(),
    }


@pytest.mark.parametrize("server", ["verified", "unverified"])
@pytest.mark.parametrize("name", list(choking_bodies()))
def test_bodies_the_parser_chokes_on_are_400s_and_nothing_personal_is_logged(server, name, request):
    served = request.getfixturevalue(server)
    body = choking_bodies()[name]
    status, answer, _ = served.post(body, signed(body))
    assert status == 400, answer[:200]
    log = served.log_text()
    assert PRIVATE_USER not in log and PRIVATE_TOKEN not in log
    assert "Traceback" not in log


# Item 15: IPv6 loopback.

def test_hosts_in_brackets_are_ipv6_addresses():
    assert plain_host("[::1]") == plain_host("::1") == "::1"
    assert plain_host(" 127.0.0.1 ") == "127.0.0.1"
    for bad in ("[::1", "::1]", "[127.0.0.1]", "[localhost]", "[]"):
        with pytest.raises(ConfigError, match="brackets"):
            plain_host(bad)
        assert not is_loopback(bad)
    assert is_loopback("[::1]") and is_loopback("::1") and not is_loopback("[::ffff:8.8.8.8]")
    assert Config.from_env({"HOST": "[::1]", "ALEXA_VERIFY": "off"}).host == "::1"


@pytest.mark.skipif(not has_ipv6_loopback(), reason="this machine has no IPv6 loopback to serve on")
@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_make_serve_serves_on_ipv6_loopback_written_either_way(host, tmp_path):
    served = Served("::1", free_port("::1"), tmp_path / "server.log")
    env = {"HOST": host, "PORT": str(served.port), "ALEXA_VERIFY": "off",
           "SKILL_STORE": f"sqlite:{tmp_path / 'runners.sqlite3'}"}
    with serving([sys.executable, "-m", "runner_strength.hosting"], env, served):
        status, _, _ = served.post(json.dumps(envelope(launch())).encode())
    assert status == 200
    assert f"Listening at: http://[::1]:{served.port}" in served.log_text()


def test_a_half_bracketed_host_is_refused_at_start_without_trying_to_resolve_it():
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "runner_strength.hosting"], capture_output=True, text=True,
                            timeout=30, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO / "lambda"),
                                                       "HOST": "[::1", "ALEXA_VERIFY": "off"})
    assert result.returncode == 2 and "HOST='[::1'" in result.stderr
    assert time.monotonic() - started < 10
