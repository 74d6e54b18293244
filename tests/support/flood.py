"""A forged-request flood against the served endpoint while genuine Alexa requests arrive, with a fake S3 on
loopback serving the certificate chains: shared by tests/test_flood.py and benchmarks/flood.py.

The fake S3 answers the chains published on it at once and any other path slowly, with a 404, as S3 answers a
forged URL at its slowest. The service is `make serve`'s (gunicorn, its worker and options) run by
tests.support.hostile_server, trusting the test CA, fetching over HTTP from the fake S3 with the real fetcher, and
reading its clock from a file, so that a test can move it on an hour while the service runs.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import json
import os
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from runner_strength.hosting.verify import REFRESH_AFTER
from tests.support.clock import NOW
from tests.support.envelopes import envelope, launch
from tests.support.pki import GOOD, INTERMEDIATE, ROOT, Leaf, sign
from tools.endpoint import ROOT as REPO
from tools.endpoint import base_url, free_port, running, wait_healthy

FORGED_PER_SECOND = 23  # the rate the issue measured
MISSING_SECONDS = 2.0  # how long the fake S3 takes to say a forged chain is not there
RUNNERS = [f"amzn1.ask.account.FLOOD-RUNNER-{n}" for n in range(5)]


class FakeS3:
    """s3.amazonaws.com on loopback, over HTTP: published chains at once, anything else a 404 after
    `missing_seconds`. Counts what was asked for."""

    def __init__(self, missing_seconds: float = MISSING_SECONDS) -> None:
        self.missing_seconds = missing_seconds
        self.chains: dict[str, bytes] = {}
        self.asked: list[str] = []
        self._names = itertools.count()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.asked.append(self.path)
                chain = fake.chains.get(self.path)
                if chain is None:
                    time.sleep(fake.missing_seconds)
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(chain)))
                self.end_headers()
                self.wfile.write(chain)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_port}"

    def publish(self, leaf: Leaf) -> str:
        """Serve `leaf`'s chain at a new path; the certificate URL Alexa would name for it."""
        path = f"/echo.api/genuine-{next(self._names)}.pem"
        self.chains[path] = leaf.chain()
        return f"https://s3.amazonaws.com{path}"

    def __enter__(self) -> FakeS3:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class ServiceClock:
    """The served service's clock: NOW plus the seconds written in a file, which the service reads per request."""

    path: Path
    offset: float = 0.0

    def __post_init__(self) -> None:
        self.set(self.offset)

    def set(self, offset: float) -> None:
        self.offset = offset
        self.path.write_text(str(offset))

    def now(self) -> datetime:
        return NOW + timedelta(seconds=self.offset)


@contextmanager
def flood_service(folder: Path, s3: FakeS3, clock: ServiceClock, *, workers: int = 2,
                  cert_cache: Path | None = None) -> Iterator[str]:
    """The service as `make serve` runs it, `workers` processes of 8 threads, on a free loopback port; yields its
    base URL. Its log is folder/server.log."""
    port = free_port()
    url = base_url("127.0.0.1", port)
    settings = {
        "host": "127.0.0.1", "port": port, "verify": True, "store": "memory:",
        "root": ROOT.certificate.public_bytes(serialization.Encoding.PEM).decode(),
        "s3": s3.base, "clock_file": str(clock.path),
        "cert_cache": str(cert_cache) if cert_cache else None,
    }
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "lambda"), str(REPO)]),
           "WEB_WORKERS": str(workers), "WEB_THREADS": "8", "HOSTILE_SERVE": json.dumps(settings),
           "no_proxy": "*", "NO_PROXY": "*"}
    log = folder / "server.log"
    with running([sys.executable, "-m", "tests.support.hostile_server"], env, log,
                 lambda process: wait_healthy(url, process, log_path=log)):
        yield url


@dataclass
class Outcome:
    kind: str  # "genuine" or "forged"
    moment: str
    status: int  # 0: no answer
    seconds: float


@dataclass
class Flood:
    """Forged requests at `per_second`, each naming a new certificate URL that passes Amazon's URL rules, with a
    fresh timestamp and this skill's ID (an attacker who knows both), and a signature of random bytes; and, on
    demand, genuine requests signed as Alexa signs them. Every answer is kept as an Outcome."""

    base: str
    clock: ServiceClock
    per_second: float = FORGED_PER_SECOND
    outcomes: list[Outcome] = field(default_factory=list)
    moment: str = ""

    def __post_init__(self) -> None:
        self._pool = ThreadPoolExecutor(96)
        self._stop = threading.Event()
        self._run = uuid.uuid4().hex[:8]
        self._forged = itertools.count()
        self._runner = itertools.cycle(RUNNERS)
        self._lock = threading.Lock()

    def post(self, kind: str, moment: str, body: bytes, headers: dict[str, str]) -> None:
        started, status = time.monotonic(), 0
        host, port = self.base.split("//", 1)[1].rstrip("/").rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=15)
        try:
            connection.request("POST", "/", body=body, headers={"Content-Type": "application/json", **headers})
            reply = connection.getresponse()
            reply.read()
            status = reply.status
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        with self._lock:
            self.outcomes.append(Outcome(kind, moment, status, time.monotonic() - started))

    def body(self, user_id: str) -> bytes:
        data = envelope(launch(), user_id=user_id)
        data["request"]["timestamp"] = self.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        return json.dumps(data).encode()

    def forged(self, moment: str) -> None:
        url = f"https://s3.amazonaws.com/echo.api/forged-{self._run}-{next(self._forged)}.pem"
        signature = base64.b64encode(os.urandom(256)).decode()
        body = self.body(f"amzn1.ask.account.FORGED-{uuid.uuid4().hex}")
        self.post("forged", moment, body, {"SignatureCertChainUrl": url, "Signature-256": signature})

    def genuine(self, moment: str, leaf: Leaf, url: str) -> None:
        body = self.body(next(self._runner))
        self.post("genuine", moment, body, {"SignatureCertChainUrl": url, "Signature-256": sign(body, leaf.key)})

    def _paced(self, per_second: float, send: Callable[[str], None], done: Callable[[], bool]) -> None:
        """Submit `send` every 1/per_second s, on schedule however long the answers take, until `done()`."""
        started, sent = time.monotonic(), 0
        while not done():
            due = started + sent / per_second
            if due > time.monotonic():
                time.sleep(min(due - time.monotonic(), 0.1))
                continue
            self._pool.submit(send, self.moment)
            sent += 1

    def start(self) -> None:
        """The forged requests begin, and go on until stop()."""
        self._flooding = threading.Thread(target=self._paced, args=(self.per_second, self.forged, self._stop.is_set),
                                          daemon=True)
        self._flooding.start()

    def genuine_for(self, moment: str, seconds: float, per_second: float, leaf: Leaf, url: str) -> None:
        """Genuine requests for `seconds`, labelled `moment`; returns once they are sent (not answered)."""
        self.moment = moment
        until = time.monotonic() + seconds
        self._paced(per_second, lambda moment: self.genuine(moment, leaf, url), lambda: time.monotonic() >= until)

    def stop(self) -> None:
        self._stop.set()
        self._flooding.join()
        self._pool.shutdown(wait=True)


MOMENTS = ("cold start, nothing cached", "restart", "an hour on", "Amazon's certificate at a new URL")
FLOOD_HEAD_START = 1.5  # the flood is under way before the first genuine request


def through_the_moments(folder: Path, seconds: float, genuine_per_second: float, *, workers: int = 2,
                        forged_per_second: float = FORGED_PER_SECOND) -> list[Outcome]:
    """The flood, with genuine requests for `seconds` at each of MOMENTS: the service started with nothing cached
    anywhere; started again (the chain in the shared folder); its clock moved on past the refresh time; Amazon's
    certificate published at a new URL, and Alexa naming that from then on."""
    clock = ServiceClock(folder / "clock")
    cache = folder / "certificates"
    outcomes: list[Outcome] = []
    with FakeS3() as s3:
        url = s3.publish(GOOD)
        for start in MOMENTS[:2]:
            with flood_service(folder / start.split(",")[0].replace(" ", "-"), s3, clock, workers=workers,
                               cert_cache=cache) as base:
                flood = Flood(base, clock, forged_per_second)
                flood.start()
                try:
                    time.sleep(FLOOD_HEAD_START)
                    flood.genuine_for(start, seconds, genuine_per_second, GOOD, url)
                    if start == "restart":
                        clock.set(REFRESH_AFTER.total_seconds() + 1)
                        flood.genuine_for(MOMENTS[2], seconds, genuine_per_second, GOOD, url)
                        rotated = INTERMEDIATE.leaf()
                        flood.genuine_for(MOMENTS[3], seconds, genuine_per_second, rotated, s3.publish(rotated))
                finally:
                    flood.stop()
                outcomes += flood.outcomes
    return outcomes


def refused(outcomes: list[Outcome], moment: str | None = None) -> tuple[int, int]:
    """Genuine requests refused (any answer but 200, or none) at `moment` (or at all), and how many there were."""
    genuine = [o for o in outcomes if o.kind == "genuine" and moment in (None, o.moment)]
    return sum(o.status != 200 for o in genuine), len(genuine)


def summary(outcomes: list[Outcome]) -> list[str]:
    """One line per moment, then the total: genuine requests refused, their latency, the forged answered."""
    lines = []
    moments = list(dict.fromkeys(o.moment for o in outcomes if o.kind == "genuine"))
    for moment in [*moments, "all"]:
        genuine = [o for o in outcomes if o.kind == "genuine" and moment in (o.moment, "all")]
        forged = [o for o in outcomes if o.kind == "forged" and moment in (o.moment, "all")]
        count = sum(o.status != 200 for o in genuine)
        times = sorted(o.seconds for o in genuine)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0.0
        share = 100 * count / max(len(genuine), 1)
        lines.append(f"{moment}: genuine refused {count} of {len(genuine)} ({share:.1f}%), "
                     f"p50 {statistics.median(times) * 1000 if times else 0:.0f} ms, p99 {p99 * 1000:.0f} ms; "
                     f"forged {len(forged)}, of them answered 200: {sum(o.status == 200 for o in forged)}")
    return lines
