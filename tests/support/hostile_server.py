"""The web service exactly as `make serve` runs it (gunicorn with the same options and worker), but trusting a
test-time root and fetching certificate chains from a fake S3: run in its own process by test_hostile_http.

The fake S3 serves one good chain at CHAIN_URL; any other URL is "fetched" slowly (FETCH_SECONDS, printed as
`fetching <url>` so the test can count fetches) and then not found, as a slow S3 would answer forged URLs.

    HOSTILE_SERVE='{"host": ..., "port": ..., "verify": true, "root": PEM, "chain": PEM, "fetch_seconds": 2,
                    "store": "sqlite:PATH"}' python -c "import tests.support.hostile_server as s; s.main()"
"""

from __future__ import annotations

import json
import logging
import os
import time

from cryptography import x509

CHAIN_URL = "https://s3.amazonaws.com/echo.api/test-chain.pem"


def main() -> None:
    from runner_strength.hosting.app import create_app
    from runner_strength.hosting.config import Config
    from runner_strength.hosting.server import Server, gunicorn_options
    from runner_strength.hosting.verify import Rejected, RequestVerifier, SigningKeys
    from tests.support.clock import NOW
    from tests.support.envelopes import SKILL_ID

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # as make serve
    settings = json.loads(os.environ["HOSTILE_SERVE"])
    root = x509.load_pem_x509_certificate(settings["root"].encode())
    chain = settings["chain"].encode()

    def fetch(url: str) -> bytes:
        if url == CHAIN_URL:
            return chain
        os.write(1, f"fetching {url}\n".encode())  # one write, so lines from concurrent fetches never interleave
        time.sleep(settings["fetch_seconds"])
        raise Rejected(f"404 for {url}")

    config = Config(store=settings["store"], skill_id=SKILL_ID, verify=settings["verify"], host=settings["host"],
                    port=settings["port"])
    verifier = RequestVerifier(SigningKeys(roots=lambda: [root], fetch=fetch), clock=lambda: NOW)
    app = create_app(config, verifier=verifier)
    Server(app, {**gunicorn_options(config, os.environ), "loglevel": "warning"}).run()


if __name__ == "__main__":
    main()
