"""Alexa request verification, through the web service served on a loopback port, with a certificate
authority made at test time standing in for Amazon's."""

from __future__ import annotations

import copy
import datetime as dt
import http.client
import itertools
import json
import random
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from werkzeug.serving import make_server

from runner_strength.hosting import verify
from runner_strength.hosting.app import create_app
from runner_strength.hosting.config import Config
from runner_strength.hosting.verify import Rejected, RequestVerifier, SigningKeys, cert_url
from runner_strength.storage.memory import MemoryStore
from tests.support.clock import NOW, Clock
from tests.support.envelopes import SKILL_ID, envelope, intent, launch, slot
from tests.support.fuzz import mutate
from tests.support.limits import check_response
from tests.support.pki import GOOD, INTERMEDIATE, ROOT, STRANGER, ec_key, new_key, sign
from tests.support.skills import make_skill

_paths = itertools.count()


@dataclass
class Chains:
    """What "s3.amazonaws.com" serves, by normalised URL; counts fetches."""

    served: dict[str, bytes] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)

    def fetch(self, url: str, seconds: float = verify.FETCH_SECONDS) -> bytes:
        self.fetched.append(url)
        if url not in self.served:
            raise Rejected(f"404 for {url}")
        return self.served[url]

    def publish(self, chain: bytes) -> str:
        url = f"https://s3.amazonaws.com/echo.api/cert-{next(_paths)}.pem"
        self.served[url] = chain
        return url


@dataclass
class Service:
    base: str
    chains: Chains
    clock: Clock
    handled: list[str]

    def post(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("POST", "/", body=body, headers={"Content-Type": "application/json", **headers})
            reply = connection.getresponse()
            return reply.status, json.loads(reply.read() or b"{}")
        finally:
            connection.close()


@pytest.fixture(scope="module")
def service():
    clock, chains, handled = Clock(), Chains(), []
    skill = make_skill(MemoryStore(), clock)
    invoke = skill.invoke

    def counted_invoke(**kwargs):
        handled.append(kwargs["request_envelope"].request.object_type)
        return invoke(**kwargs)

    skill.invoke = counted_invoke
    verifier = RequestVerifier(SigningKeys(roots=lambda: [ROOT.certificate], fetch=chains.fetch), clock=clock)
    app = create_app(Config(verify=True, skill_id=SKILL_ID), skill=skill, verifier=verifier)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Service(f"http://127.0.0.1:{server.server_port}/", chains, clock, handled)
    server.shutdown()
    thread.join()


@pytest.fixture(autouse=True)
def fresh(service):
    service.clock.now = NOW
    service.chains.fetched.clear()
    service.handled.clear()


def body_at(offset_seconds: float = 0, request: dict | None = None, **kwargs) -> bytes:
    data = envelope(request or launch(), **kwargs)
    data["request"]["timestamp"] = (NOW + dt.timedelta(seconds=offset_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps(data).encode()


def signed(service: Service, body: bytes, leaf=GOOD, *, url: str | None = None, key=None,
           algorithm=None) -> dict[str, str]:
    url = url or service.chains.publish(leaf.chain())
    return {"SignatureCertChainUrl": url, "Signature-256": sign(body, key or leaf.key, algorithm)}


def test_a_genuine_request_is_answered(service):
    body = body_at()
    status, answer = service.post(body, signed(service, body))
    assert status == 200 and answer["response"]["outputSpeech"]
    assert service.handled == ["LaunchRequest"]


# Amazon's documented examples of certificate URLs, and a few more of our own.
GOOD_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com/echo.api/./echo-api-cert.pem",
]
BAD_URLS = [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem",
    "https://evil.example@s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../evil/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api%2F..%2Fevil/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api",
    "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
    "ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "not a url",
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_amazons_good_certificate_urls_are_accepted(service, url):
    service.chains.served[cert_url(url)] = GOOD.chain()
    body = body_at()
    status, _ = service.post(body, signed(service, body, url=url))
    assert status == 200


@pytest.mark.parametrize("url", BAD_URLS)
def test_bad_certificate_urls_are_refused_before_any_fetch(service, url):
    body = body_at()
    status, _ = service.post(body, {"SignatureCertChainUrl": url, "Signature-256": sign(body, GOOD.key)})
    assert status == 400
    assert service.chains.fetched == [] and service.handled == []


def tampered(body: bytes) -> bytes:
    return body.replace(b"LaunchRequest", b"LaunchRequesT")


@pytest.mark.parametrize("case", [
    "tampered body", "no signature headers", "empty signature", "truncated signature", "not base64",
    "SHA-1 signature header only", "SHA-1 signature in Signature-256", "wrong key", "another body's signature",
    "no certificate URL",
])
def test_bad_signatures_are_refused(service, case):
    body = body_at()
    headers = signed(service, body)
    if case == "tampered body":
        body = tampered(body)
    elif case == "no signature headers":
        del headers["Signature-256"]
    elif case == "empty signature":
        headers["Signature-256"] = ""
    elif case == "truncated signature":
        headers["Signature-256"] = headers["Signature-256"][:100]
    elif case == "not base64":
        headers["Signature-256"] = "%%%not-base64%%%"
    elif case == "SHA-1 signature header only":
        headers["Signature"] = sign(body, GOOD.key, hashes.SHA1())
        del headers["Signature-256"]
    elif case == "SHA-1 signature in Signature-256":
        headers["Signature-256"] = sign(body, GOOD.key, hashes.SHA1())
    elif case == "wrong key":
        headers["Signature-256"] = sign(body, new_key())
    elif case == "another body's signature":
        headers["Signature-256"] = sign(body_at(1), GOOD.key)
    elif case == "no certificate URL":
        del headers["SignatureCertChainUrl"]
    status, _ = service.post(body, headers)
    assert status == 400 and service.handled == []


@pytest.mark.parametrize(("case", "leaf", "with_intermediate"), [
    ("wrong name", INTERMEDIATE.leaf(names=("echo.amazon.com",)), True),
    ("wildcard-only name", INTERMEDIATE.leaf(names=("*.amazon.com",)), True),
    ("look-alike name", INTERMEDIATE.leaf(names=("echo-api.amazon.com.evil.example",)), True),
    ("look-alike name 2", INTERMEDIATE.leaf(names=("echo-api-amazon.com",)), True),
    ("no names", INTERMEDIATE.leaf(names=()), True),
    ("expired", INTERMEDIATE.leaf(not_after=NOW - dt.timedelta(seconds=1)), True),
    ("not yet valid", INTERMEDIATE.leaf(not_before=NOW + dt.timedelta(hours=1)), True),
    ("untrusted root", STRANGER.leaf(), True),
    ("missing intermediate", INTERMEDIATE.leaf(), False),
    ("no digitalSignature", INTERMEDIATE.leaf(digital_signature=False), True),
    ("an EC key", INTERMEDIATE.leaf(key=ec_key()), True),
    ("a 1024-bit RSA key", INTERMEDIATE.leaf(key=rsa.generate_private_key(public_exponent=65537, key_size=1024)),
     True),
    ("a 2047-bit RSA key", INTERMEDIATE.leaf(key=rsa.generate_private_key(public_exponent=65537, key_size=2047)),
     True),
])
def test_untrustworthy_certificates_are_refused(service, case, leaf, with_intermediate):
    body = body_at()
    url = service.chains.publish(leaf.chain(with_intermediate=with_intermediate))
    signature = sign(body, leaf.key) if case != "an EC key" else sign(body, GOOD.key)
    status, _ = service.post(body, {"SignatureCertChainUrl": url, "Signature-256": signature})
    assert status == 400 and service.handled == []


def test_a_weak_leaf_key_is_refused_for_its_size_and_a_2048_bit_one_is_trusted():
    chains = Chains()
    keys = SigningKeys(roots=lambda: [ROOT.certificate], fetch=chains.fetch)
    weak = INTERMEDIATE.leaf(key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    with pytest.raises(Rejected, match="1024-bit RSA key, under 2048"):
        keys.key_for(chains.publish(weak.chain()), NOW)
    assert keys.key_for(chains.publish(GOOD.chain()), NOW).key_size == 2048


@pytest.mark.parametrize("purposes", [None, (ExtendedKeyUsageOID.CLIENT_AUTH,), (ExtendedKeyUsageOID.SERVER_AUTH,)])
def test_the_server_auth_purpose_is_not_required(service, purposes):
    leaf = INTERMEDIATE.leaf(purposes=purposes)
    body = body_at()
    status, _ = service.post(body, signed(service, body, leaf))
    assert status == 200


@pytest.mark.parametrize("chain", [
    b"", b"not a certificate", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
])
def test_unreadable_chains_are_refused(service, chain):
    body = body_at()
    status, _ = service.post(body, {"SignatureCertChainUrl": service.chains.publish(chain),
                                    "Signature-256": sign(body, GOOD.key)})
    assert status == 400


def test_a_certificate_url_that_cannot_be_fetched_is_refused(service):
    body = body_at()
    url = "https://s3.amazonaws.com/echo.api/missing.pem"
    status, _ = service.post(body, {"SignatureCertChainUrl": url, "Signature-256": sign(body, GOOD.key)})
    assert status == 400 and service.chains.fetched == [url]


@pytest.mark.parametrize(("offset", "request_kind", "accepted"), [
    (0, "launch", True), (149, "launch", True), (-149, "launch", True), (151, "launch", False),
    (-151, "launch", False), (-3000, "launch", False), (-3000, "event", True), (3599, "event", True),
    (-3601, "event", False), (3601, "event", False),
])
def test_timestamps_within_150_seconds_or_an_hour_for_skill_events(service, offset, request_kind, accepted):
    request = launch() if request_kind == "launch" else {
        "type": "AlexaSkillEvent.SkillDisabled", "body": {"userInformationPersistenceStatus": "PERSISTED"}}
    body = body_at(offset, request)
    status, _ = service.post(body, signed(service, body))
    assert (status == 200) is accepted, status


@pytest.mark.parametrize("stamp", [None, "yesterday", "2026-11-25T07:00:00", 1764054000])
def test_missing_or_unreadable_timestamps_are_refused(service, stamp):
    data = json.loads(body_at())
    data["request"]["timestamp"] = stamp
    body = json.dumps(data).encode()
    status, _ = service.post(body, signed(service, body))
    assert status == 400 and service.handled == []


def test_a_signed_request_for_another_skill_is_refused(service):
    body = body_at(application_id="amzn1.ask.skill.someone-else")
    status, _ = service.post(body, signed(service, body))
    assert status == 400


def test_a_signed_request_whose_session_names_another_skill_is_refused(service, caplog):
    data = json.loads(body_at())
    data["session"]["application"]["applicationId"] = "amzn1.ask.skill.someone-else"
    body = json.dumps(data).encode()
    status, answer = service.post(body, signed(service, body))
    assert status == 400 and service.handled == []
    assert answer == {"error": "bad request"}
    assert "400: the session and the context name different applications" in caplog.text


@pytest.mark.parametrize("case", ["no certificate URL", "a URL not on S3", "a chain that cannot be fetched",
                                  "a tampered body", "an old timestamp", "another skill", "not JSON"])
def test_every_refusal_is_the_same_plain_400_and_only_the_log_says_why(service, case, caplog):
    body = body_at(-600 if case == "an old timestamp" else 0,
                   application_id="amzn1.ask.skill.someone-else" if case == "another skill" else SKILL_ID)
    body = b"not json" if case == "not JSON" else body
    headers = signed(service, body)
    if case == "no certificate URL":
        del headers["SignatureCertChainUrl"]
    elif case == "a URL not on S3":
        headers["SignatureCertChainUrl"] = "https://example.com/echo.api/cert.pem"
    elif case == "a chain that cannot be fetched":
        headers["SignatureCertChainUrl"] = "https://s3.amazonaws.com/echo.api/missing.pem"
    elif case == "a tampered body":
        body = tampered(body)
    status, answer = service.post(body, headers)
    assert (status, answer) == (400, {"error": "bad request"})
    assert "400: " in caplog.text and "bad request" not in caplog.text


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'{"request": {"timestamp": "2026-11-25T07:00:00Z"}}'])
def test_signed_nonsense_is_a_400_not_a_500(service, raw):
    status, _ = service.post(raw, signed(service, raw))
    assert status == 400


def test_a_verified_chain_is_cached_for_the_next_request(service):
    url = service.chains.publish(GOOD.chain())
    for offset in (0, 1, 2):
        body = body_at(offset)
        assert service.post(body, signed(service, body, url=url))[0] == 200
    assert service.chains.fetched == [url]


def test_the_cache_is_bounded_and_fetched_again_an_hour_on():
    chains, clock = Chains(), Clock()
    keys = SigningKeys(roots=lambda: [ROOT.certificate], fetch=chains.fetch, background=lambda work: work())
    urls = [chains.publish(GOOD.chain()) for _ in range(verify.CACHE_ENTRIES + 3)]
    for url in urls:
        keys.key_for(url, clock())
    assert len(keys._cache) == verify.CACHE_ENTRIES
    keys.key_for(urls[-1], clock())
    assert len(chains.fetched) == len(urls), "the newest is still cached"
    keys.key_for(urls[-1], clock() + verify.REFRESH_AFTER + dt.timedelta(seconds=1))
    assert len(chains.fetched) == len(urls) + 1, "and fetched again an hour on"


def test_the_cache_never_outlives_the_certificate():
    chains = Chains()
    short = INTERMEDIATE.leaf(not_after=NOW + dt.timedelta(minutes=5))
    keys = SigningKeys(roots=lambda: [ROOT.certificate], fetch=chains.fetch)
    url = chains.publish(short.chain())
    keys.key_for(url, NOW)
    with pytest.raises(Rejected):
        keys.key_for(url, NOW + dt.timedelta(minutes=6))


def test_fetching_has_a_size_cap_and_a_timeout():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Big(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * (verify.MAX_CHAIN_BYTES + 10))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Big)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(Rejected, match="over"):
            verify.fetch_chain(f"http://127.0.0.1:{server.server_port}/big.pem")
    finally:
        server.shutdown()
    from tests.support.servers import blackhole

    with blackhole() as silent, pytest.raises(Rejected, match="cannot fetch"):
        verify.fetch_chain(silent + "/echo.api/cert.pem", 0.3)


def test_1000_tampered_bodies_with_the_original_signature_are_all_refused_unhandled(service):
    rng = random.Random(1)
    body = body_at(request=intent("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS")))
    headers = signed(service, body)
    statuses = []
    for _ in range(1000):
        changed = bytearray(body)
        for _ in range(rng.randint(1, 3)):
            position = rng.randrange(len(changed))
            changed[position] = (changed[position] + rng.randint(1, 255)) % 256
        statuses.append(service.post(bytes(changed), headers)[0])
    assert statuses == [400] * 1000
    assert service.handled == []


def test_1000_validly_signed_mutated_envelopes_never_get_a_500(service):
    rng = random.Random(2)
    url = service.chains.publish(GOOD.chain())
    bases = [json.loads(body_at()), json.loads(body_at(request=intent(
        "BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"), minutes=slot("minutes", "20"))))]
    outcomes = {200: 0, 400: 0}
    for _ in range(1000):
        data = mutate(copy.deepcopy(rng.choice(bases)), rng, keep=frozenset({"timestamp"}))
        body = json.dumps(data).encode()
        status, answer = service.post(body, signed(service, body, url=url))
        assert status in (200, 400), (status, body)
        outcomes[status] += 1
        if status == 200:
            assert answer["version"] == "1.0" and isinstance(answer["response"], dict)
            check_response(answer)
    assert outcomes[200] and outcomes[400]
    print("signed mutations:", outcomes)


def test_verification_cannot_be_on_without_a_skill_id():
    from runner_strength.hosting.config import ConfigError

    with pytest.raises(ConfigError, match="SKILL_ID"):
        create_app(Config(verify=True, skill_id=None), skill=make_skill(MemoryStore(), Clock()))


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "example.com", "::"])
def test_verification_off_is_refused_off_loopback(host):
    from runner_strength.hosting.config import ConfigError

    with pytest.raises(ConfigError, match="loopback"):
        create_app(Config(verify=False, host=host), skill=make_skill(MemoryStore(), Clock()))


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_verification_off_is_allowed_on_loopback_and_said_loudly(host, caplog):
    create_app(Config(verify=False, host=host), skill=make_skill(MemoryStore(), Clock()))
    assert "VERIFICATION IS OFF" in caplog.text
