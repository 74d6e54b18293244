"""A forged-request flood cannot lock runners out (issue 24): about 23 forged requests a second, each naming a new
certificate URL that passes Amazon's URL rules, against the service as `make serve` runs it with two workers,
while genuine Alexa requests arrive, at the moments when no chain is cached or the cached one is due: a cold
start with nothing cached anywhere, a restart, an hour on, and Amazon's certificate moving to a new URL. The
certificates come from a fake S3 on loopback (tests/support/flood.py) that answers forged URLs slowly."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runner_strength.hosting import verify
from runner_strength.hosting.verify import Rejected
from tests.support.flood import MOMENTS, refused, summary, through_the_moments

WORKERS = 2
GENUINE_PER_SECOND = 4
MOMENT_SECONDS = 15


def test_genuine_requests_are_answered_through_a_flood_of_forged_certificate_urls(tmp_path):
    outcomes = through_the_moments(tmp_path, MOMENT_SECONDS, GENUINE_PER_SECOND, workers=WORKERS)
    lines = summary(outcomes)
    print("\n".join(lines))
    assert refused(outcomes)[1] >= len(MOMENTS) * MOMENT_SECONDS * GENUINE_PER_SECOND - 8
    assert not any(o.status == 200 for o in outcomes if o.kind == "forged")
    # With nothing cached anywhere, nothing vouches for the first request in each worker to name Amazon's URL: it
    # is a stranger among the flood's. Named again, the URL has a fetch of its own.
    cold, *others = MOMENTS
    assert refused(outcomes, cold)[0] <= WORKERS, "\n".join(lines)
    for moment in others:
        assert refused(outcomes, moment)[0] == 0, "\n".join(lines)
    assert refused(outcomes)[0] <= 0.01 * refused(outcomes)[1], "\n".join(lines)


def test_a_chain_sent_a_byte_at_a_time_is_cut_off_at_the_time_allowed():
    class Drip(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "4000")
            self.end_headers()
            try:
                for _ in range(4000):
                    self.wfile.write(b"-")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:  # the fetcher gave up, as it should
                pass

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        began = time.monotonic()
        with pytest.raises(Rejected, match="not received within 1 s"):
            verify.fetch_chain(f"http://127.0.0.1:{server.server_port}/echo.api/drip.pem", 1.0)
        took = time.monotonic() - began
    finally:
        server.shutdown()
    assert took < 1.3, "the whole fetch, not each wait, is bounded"
