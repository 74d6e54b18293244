"""What a certificate chain may cost while forged requests arrive, and how long a verified one is used: the web
service in-process (Flask's test client, no server) with a test CA and a fake S3 that answers forged URLs only
when a test lets it. The flood itself, served by gunicorn, is test_flood.py."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import threading
import time
from dataclasses import dataclass, field

import pytest

from runner_strength.hosting import verify
from runner_strength.hosting.app import create_app
from runner_strength.hosting.config import Config
from runner_strength.hosting.verify import Rejected, RequestVerifier, SharedChains, SigningKeys
from runner_strength.storage.memory import MemoryStore
from tests.support.clock import NOW, Clock
from tests.support.envelopes import SKILL_ID, envelope, launch
from tests.support.pki import GOOD, INTERMEDIATE, ROOT, STRANGER, sign
from tests.support.skills import make_skill

URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
NEXT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-2.pem"
RUNNER = "amzn1.ask.account.RETURNING-RUNNER"
AN_HOUR_ON = NOW + verify.REFRESH_AFTER + dt.timedelta(minutes=1)


@dataclass
class S3:
    """What s3.amazonaws.com serves, by URL. Anything else is a 404, once `missing` is set: until then a fetch of
    it waits, as a slow S3 would keep a forged URL's fetch."""

    served: dict[str, bytes] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    missing: threading.Event = field(default_factory=threading.Event)
    serving: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.serving.set()

    def fetch(self, url: str, seconds: float) -> bytes:
        self.asked.append(url)
        if url in self.served:
            self.serving.wait(5)
            return self.served[url]
        self.missing.wait(5)
        raise Rejected(f"404 for {url}")


def signing_keys(s3: S3, **kwargs) -> SigningKeys:
    return SigningKeys(roots=lambda: [ROOT.certificate], fetch=s3.fetch, **kwargs)


class Service:
    """The web service with verification on, answering in-process."""

    def __init__(self, keys: SigningKeys, clock: Clock) -> None:
        self.clock = clock
        app = create_app(Config(verify=True, skill_id=SKILL_ID), skill=make_skill(MemoryStore(), clock),
                         verifier=RequestVerifier(keys, clock=clock))
        self.client = app.test_client()

    def body(self, user_id: str = RUNNER) -> bytes:
        data = envelope(launch(), user_id=user_id)
        data["request"]["timestamp"] = self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        return json.dumps(data).encode()

    def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
        reply = self.client.post("/", data=body, headers={"Content-Type": "application/json", **headers})
        return reply.status_code, reply.get_json(silent=True) or {}

    def genuine(self, url: str = URL, leaf=GOOD, user_id: str = RUNNER) -> int:
        body = self.body(user_id)
        return self.post(body, {"SignatureCertChainUrl": url, "Signature-256": sign(body, leaf.key)})[0]

    def forged(self, url: str) -> int:
        body = self.body(f"amzn1.ask.account.FORGED-{os.urandom(4).hex()}")
        signature = base64.b64encode(os.urandom(256)).decode()
        return self.post(body, {"SignatureCertChainUrl": url, "Signature-256": signature})[0]


def in_threads(count: int, work) -> list[threading.Thread]:
    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def forged_url(name: str) -> str:
    return f"https://s3.amazonaws.com/echo.api/forged-{name}.pem"


def strangers_hold_their_lane(service: Service, s3: S3) -> list[threading.Thread]:
    """Forged requests naming new URLs, as many as the strangers' lane fetches at once, each fetch waiting on S3."""
    fetching = len(s3.asked)
    threads = [t for n in range(verify.BUDGETS["strangers"].fetches)
               for t in in_threads(1, lambda n=n: service.forged(forged_url(f"held-{n}")))]
    deadline = time.monotonic() + 5
    while len(s3.asked) < fetching + len(threads) and time.monotonic() < deadline:
        time.sleep(0.01)
    return threads


def test_a_chain_past_its_refresh_time_is_used_while_it_is_fetched_again():
    s3 = S3({URL: GOOD.chain()})
    keys = signing_keys(s3)
    keys.key_for(URL, NOW)
    s3.serving.clear()  # the refresh will wait on S3
    began = time.monotonic()
    assert keys.key_for(URL, AN_HOUR_ON).public_numbers() == GOOD.key.public_key().public_numbers()
    assert keys.key_for(URL, AN_HOUR_ON + dt.timedelta(seconds=1))
    assert time.monotonic() - began < 1.0, "no request waits for the refresh"
    s3.serving.set()
    deadline = time.monotonic() + 5
    while keys._refreshing and time.monotonic() < deadline:
        time.sleep(0.01)
    assert s3.asked == [URL, URL], "one refresh, in the background"


def test_a_refresh_that_fails_keeps_the_chain_until_its_certificate_expires():
    short = INTERMEDIATE.leaf(not_after=NOW + dt.timedelta(hours=3))
    s3 = S3({URL: short.chain()})
    s3.missing.set()
    keys = signing_keys(s3, background=lambda work: work())
    keys.key_for(URL, NOW)
    del s3.served[URL]  # S3 stops answering for it
    assert keys.key_for(URL, AN_HOUR_ON)
    assert keys.key_for(URL, AN_HOUR_ON + dt.timedelta(seconds=10))
    assert len(s3.asked) == 2, "a failed refresh is tried again only after a while"
    assert keys.key_for(URL, AN_HOUR_ON + verify.FAILURE_CACHE_FOR + dt.timedelta(seconds=1))
    assert len(s3.asked) == 3
    with pytest.raises(Rejected):
        keys.key_for(URL, NOW + dt.timedelta(hours=3, seconds=1))


def test_a_refresh_that_finds_a_chain_it_does_not_trust_stops_using_the_cached_one():
    s3 = S3({URL: GOOD.chain()})
    s3.missing.set()
    keys = signing_keys(s3, background=lambda work: work())
    keys.key_for(URL, NOW)
    s3.served[URL] = STRANGER.leaf().chain()
    keys.key_for(URL, AN_HOUR_ON)  # answered from the cache; the refresh finds the chain untrusted
    with pytest.raises(Rejected, match="not trusted"):
        keys.key_for(URL, AN_HOUR_ON + dt.timedelta(seconds=1))


def test_strangers_cannot_spend_the_fetch_of_a_url_named_again():
    """Genuine Alexa traffic names one URL again and again; a flood naming a new URL each time never does."""
    s3 = S3({URL: GOOD.chain()})
    service = Service(signing_keys(s3), Clock())
    held = strangers_hold_their_lane(service, s3)
    assert service.genuine() == 400, "the first request naming a new URL is a stranger like any other"
    assert service.genuine() == 200, "named again, it has a fetch of its own"
    assert service.genuine() == 200
    s3.missing.set()
    for thread in held:
        thread.join(5)


def test_a_runner_who_verified_before_is_answered_when_amazon_moves_its_certificate():
    s3 = S3({URL: GOOD.chain()})
    service = Service(signing_keys(s3), Clock())
    assert service.genuine() == 200
    held = strangers_hold_their_lane(service, s3)
    assert service.forged(forged_url("named-twice")) == 400
    held += in_threads(1, lambda: service.forged(forged_url("named-twice")))  # the URLs named before: taken too
    time.sleep(0.2)
    rotated = INTERMEDIATE.leaf()
    s3.served[NEXT_URL] = rotated.chain()
    assert service.genuine(NEXT_URL, rotated) == 200, "vouched for by the runner"
    assert service.genuine(NEXT_URL, rotated, user_id="amzn1.ask.account.NEW-RUNNER") == 200, "now a known URL"
    s3.missing.set()
    for thread in held:
        thread.join(5)


def test_a_forger_naming_amazons_next_url_before_it_exists_does_not_lock_runners_out_of_it():
    s3 = S3({URL: GOOD.chain()})
    s3.missing.set()
    service = Service(signing_keys(s3), Clock())
    assert service.genuine() == 200
    assert service.forged(NEXT_URL) == 400  # a 404 today, remembered for a while
    rotated = INTERMEDIATE.leaf()
    s3.served[NEXT_URL] = rotated.chain()
    assert service.genuine(NEXT_URL, rotated) == 200
    assert service.forged(forged_url("after")) == 400


def test_a_spent_fetch_budget_is_the_same_plain_400_as_any_refusal(caplog):
    """A forger learns nothing of whether the flood is working: the log alone says the budget is spent."""
    s3 = S3({URL: GOOD.chain()})
    service = Service(signing_keys(s3), Clock())
    held = strangers_hold_their_lane(service, s3)
    status, answer = service.post(b"{}", {"SignatureCertChainUrl": forged_url("one-too-many"),
                                          "Signature-256": base64.b64encode(os.urandom(256)).decode()})
    s3.missing.set()
    for thread in held:
        thread.join(5)
    assert (status, answer) == (400, {"error": "bad request"})
    assert "the certificate fetches for strangers requests are all taken" in caplog.text


def test_a_worker_that_starts_finds_the_chains_another_verified(tmp_path):
    s3 = S3({URL: GOOD.chain()})
    signing_keys(s3, shared=SharedChains.at(tmp_path)).key_for(URL, NOW)
    starting = signing_keys(s3, shared=SharedChains.at(tmp_path))
    assert starting.key_for(URL, NOW + dt.timedelta(minutes=5))
    assert s3.asked == [URL], "read from the shared folder, not fetched"
    assert [path.suffix for path in tmp_path.iterdir()] == [".json"], "written whole, nothing half-written left"


def test_the_shared_folder_is_a_cache_never_a_source_of_trust(tmp_path):
    s3 = S3({URL: GOOD.chain()})
    s3.missing.set()
    shared = SharedChains.at(tmp_path)
    shared.write(URL, STRANGER.leaf().chain(), NOW)  # someone who can write the folder plants a chain
    keys = signing_keys(s3, shared=shared)
    assert keys.key_for(URL, NOW).public_numbers() == GOOD.key.public_key().public_numbers()
    assert s3.asked == [URL], "the planted chain is not used: the URL is fetched"
    assert SharedChains(tmp_path).read(URL)[0] == GOOD.chain(), "and the planted file replaced"


def test_a_folder_that_cannot_be_written_leaves_each_worker_its_own_cache(tmp_path, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert SharedChains.at(blocked / "certificates") is None
    assert "not shared between workers" in caplog.text


def test_a_runner_is_remembered_as_a_keyed_hash_only():
    verifier = RequestVerifier(signing_keys(S3()), clock=Clock())
    verifier.remember_runner(RUNNER)
    remembered = b"".join(verifier._runners._seen)
    assert RUNNER.encode() not in remembered and b"RETURNING" not in remembered
    assert verifier._runners.knows(RUNNER, NOW) and not verifier._runners.knows("amzn1.ask.account.OTHER", NOW)
    assert not verifier._runners.knows(RUNNER, NOW + verify.REMEMBER_RUNNERS_FOR)


@pytest.mark.parametrize("body", [b"", b"[]", b"not json", b"[" * 100_000, b'{"context": {"System": {"user": 7}}}',
                                  b'{"a": ' + b"9" * 5000 + b"}"])
def test_a_body_that_names_no_runner_is_vouched_for_by_nobody(body):
    assert verify._user_id(body) is None
