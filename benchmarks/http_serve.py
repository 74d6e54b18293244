"""Requests per second of the web service under gunicorn (the same server `make serve` runs), with request
verification on (signed by a test-time CA) and off, alternating in one run so a noisy machine affects both.

    .venv/bin/python benchmarks/http_serve.py [--seconds 5] [--rounds 3] [--clients 4]

Loopback only, bounded in time. Prints medians and spread; the ratio verified/unverified is the number to watch.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]


def serve(verify: bool, port: int, store: str) -> None:
    """The app as `make serve` builds it, but trusting the test CA and serving its chain from memory."""
    from runner_strength.hosting.__main__ import Server
    from runner_strength.hosting.app import create_app
    from runner_strength.hosting.config import Config
    from runner_strength.hosting.verify import RequestVerifier, SigningKeys
    from runner_strength.storage import open_store
    from runner_strength.voice.skill import build_skill
    from tests.support.clock import NOW
    from tests.support.envelopes import SKILL_ID
    from tests.support.pki import GOOD
    from tests.support.pki import ROOT as TEST_ROOT

    chains = {"https://s3.amazonaws.com/echo.api/bench.pem": GOOD.chain()}
    keys = SigningKeys(roots=lambda: [TEST_ROOT.certificate], fetch=lambda url, seconds: chains[url])
    verifier = RequestVerifier(keys, clock=lambda: NOW)
    app = create_app(Config(verify=verify, skill_id=SKILL_ID), skill=build_skill(open_store(store), skill_id=SKILL_ID),
                     verifier=verifier)
    Server(app, {"bind": f"127.0.0.1:{port}", "workers": 1, "threads": 8, "worker_class": "gthread",
                 "loglevel": "warning"}).run()


def request_body() -> tuple[bytes, dict[str, str]]:
    from tests.support.clock import NOW
    from tests.support.envelopes import envelope, launch
    from tests.support.pki import GOOD, sign

    data = envelope(launch(), user_id="amzn1.ask.account.BENCH")
    data["request"]["timestamp"] = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    body = json.dumps(data).encode()
    headers = {"Content-Type": "application/json",
               "SignatureCertChainUrl": "https://s3.amazonaws.com/echo.api/bench.pem",
               "Signature-256": sign(body, GOOD.key)}
    return body, headers


def load(port: int, seconds: float, clients: int) -> tuple[float, list[float]]:
    body, headers = request_body()
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("POST", "/", body=body, headers=headers)
            reply = connection.getresponse()
            reply.read()
            assert reply.status == 200, reply.status
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.monotonic() - started), latencies


def wait_ready(port: int) -> None:
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def measure(seconds: float, rounds: int, clients: int) -> dict:
    """Alternating rounds of load against a fresh server per mode; returns rates and latencies per mode."""
    from tools.endpoint import free_port

    results: dict = {"off": ([], []), "on": ([], []), "seconds": seconds, "rounds": rounds, "clients": clients}
    workdir = ROOT / "var" / "bench"
    workdir.mkdir(parents=True, exist_ok=True)
    for round_number in range(rounds):
        for mode in ("off", "on") if round_number % 2 == 0 else ("on", "off"):
            port = free_port()
            store = f"sqlite:{workdir / f'http-{mode}.sqlite3'}"
            server = multiprocessing.Process(target=serve, args=(mode == "on", port, store), daemon=True)
            server.start()
            try:
                wait_ready(port)
                load(port, 0.5, clients)  # warm up: the first request fetches and validates the chain
                rate, latencies = load(port, seconds, clients)
                results[mode][0].append(rate)
                results[mode][1].extend(latencies)
            finally:
                server.terminate()
                server.join()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    results = measure(args.seconds, args.rounds, args.clients)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; {args.clients} clients, "
          f"{args.rounds} rounds of {args.seconds:.0f} s per mode, alternating")
    for mode in ("off", "on"):
        rates, latencies = results[mode]
        latencies = sorted(latencies)
        print(f"verification {mode:>3}: {statistics.median(rates):7.1f} req/s (min {min(rates):.1f}, "
              f"max {max(rates):.1f}); p50 {latencies[len(latencies) // 2] * 1000:.2f} ms, "
              f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.2f} ms")
    ratio = statistics.median(results["on"][0]) / statistics.median(results["off"][0])
    print(f"ratio verified/unverified: {ratio:.3f}")


if __name__ == "__main__":
    main()
