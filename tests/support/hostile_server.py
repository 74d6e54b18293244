"""The web service exactly as `make serve` runs it (gunicorn with the same options and worker), but trusting a
test-time root and fetching certificate chains from a fake S3: run in its own process by test_hostile_http.

The fake S3 serves one good chain at CHAIN_URL; any other URL is "fetched" slowly (FETCH_SECONDS, printed as
`fetching <url>` so the test can count fetches) and then not found, as a slow S3 would answer forged URLs.

    HOSTILE_SERVE='{"host": ..., "port": ..., "verify": true, "root": PEM, "chain": PEM, "fetch_seconds": 2,
                    "store": "sqlite:PATH"}' python -m tests.support.hostile_server

With "s3" (the base URL of tests.support.flood.FakeS3) chains are fetched from that server instead, by the
service's own fetcher; with "clock_file" the service's clock is NOW plus the seconds written in that file, read
on every request; with "cert_cache" verified chains are shared through that folder, as `make serve` shares them.
"""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import datetime, timedelta

from cryptography import x509

CHAIN_URL = "https://s3.amazonaws.com/echo.api/test-chain.pem"


def main() -> None:
    from runner_strength.hosting.app import create_app
    from runner_strength.hosting.config import Config
    from runner_strength.hosting.server import Server, gunicorn_options
    from runner_strength.hosting.verify import Rejected, RequestVerifier, SharedChains, SigningKeys, fetch_chain
    from tests.support.clock import NOW
    from tests.support.envelopes import SKILL_ID

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # as make serve
    settings = json.loads(os.environ["HOSTILE_SERVE"])
    root = x509.load_pem_x509_certificate(settings["root"].encode())
    chain = settings.get("chain", "").encode()

    def fetch(url: str, seconds: float) -> bytes:
        if settings.get("s3"):
            return fetch_chain(url.replace("https://s3.amazonaws.com", settings["s3"], 1), seconds)
        if url == CHAIN_URL:
            return chain
        os.write(1, f"fetching {url}\n".encode())  # one write, so lines from concurrent fetches never interleave
        time.sleep(settings["fetch_seconds"])
        raise Rejected(f"404 for {url}")

    def clock() -> datetime:
        if not settings.get("clock_file"):
            return NOW
        with open(settings["clock_file"]) as offset:
            return NOW + timedelta(seconds=float(offset.read()))

    config = Config(store=settings["store"], skill_id=SKILL_ID, verify=settings["verify"], host=settings["host"],
                    port=settings["port"])
    shared = SharedChains.at(settings.get("cert_cache"))
    verifier = RequestVerifier(SigningKeys(roots=lambda: [root], fetch=fetch, shared=shared), clock=clock)
    app = create_app(config, verifier=verifier)
    Server(app, {**gunicorn_options(config, os.environ), "loglevel": "warning"}).run()


if __name__ == "__main__":
    main()
