"""Checking that a request to the web service really comes from Alexa, as Amazon requires of web services.

Done on the raw body before anything is parsed: the certificate URL is checked before any fetch, the chain is
validated with cryptography's X.509 path validation against certifi's roots, the SHA-256 signature is checked
over the exact bytes received; only then is the body parsed, for the timestamp. Any failure raises Rejected,
whose message is the reason for the log; the caller answers 400.
"""

from __future__ import annotations

import base64
import binascii
import posixpath
import threading
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store, VerificationError

SIGNING_NAME = "echo-api.amazon.com"
CERT_HOST = "s3.amazonaws.com"
CERT_PATH = "/echo.api/"
FETCH_TIMEOUT_SECONDS = 5
MAX_CHAIN_BYTES = 64 * 1024
CACHE_ENTRIES = 8
CACHE_FOR = timedelta(hours=1)
# A fetch runs in the request's thread. Forged requests can name any number of well-formed URLs, so: one fetch
# per URL at a time (later requests wait for it), failures remembered briefly, and at most a few requests held
# by fetches at once (the rest are refused at once), leaving threads free for genuine requests and health.
FAILURE_CACHE_FOR = timedelta(seconds=30)
FAILURE_CACHE_ENTRIES = 64
FETCHES_AT_ONCE = 2
HELD_BY_FETCHES = 4  # requests fetching or waiting for a fetch, across all URLs
# Amazon's own signing keys are 2048-bit RSA; a weaker leaf key is not one of theirs.
MIN_RSA_BITS = 2048
TOLERANCE = timedelta(seconds=150)
EVENT_TOLERANCE = timedelta(seconds=3600)  # skill events may be delivered late


class Rejected(Exception):
    """The request is not verifiably from Alexa; the message says why."""


def cert_url(url: str) -> str:
    """The normalised certificate URL to fetch, or Rejected if it is not one of Amazon's."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:
        raise Rejected(f"certificate URL {url!r} cannot be parsed") from err
    if parts.scheme.lower() != "https":
        raise Rejected(f"certificate URL {url!r} is not https")
    if (parts.hostname or "").lower() != CERT_HOST or parts.username is not None or parts.password is not None:
        raise Rejected(f"certificate URL {url!r} is not on {CERT_HOST}")
    if port not in (None, 443):
        raise Rejected(f"certificate URL {url!r} uses port {port}")
    path = posixpath.normpath(unquote(parts.path)) if parts.path else ""
    if not path.startswith(CERT_PATH):  # case-sensitive, after resolving any "..", "." and escapes
        raise Rejected(f"certificate URL {url!r} is not under {CERT_PATH}")
    return f"https://{CERT_HOST}{quote(path)}"


def fetch_chain(url: str) -> bytes:
    """Download a PEM chain, with a timeout and a size cap."""
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as reply:
            data = reply.read(MAX_CHAIN_BYTES + 1)
    except OSError as err:
        raise Rejected(f"cannot fetch the certificate chain {url}: {err}") from err
    if len(data) > MAX_CHAIN_BYTES:
        raise Rejected(f"certificate chain {url} is over {MAX_CHAIN_BYTES} bytes")
    return data


def certifi_roots() -> list[x509.Certificate]:
    import certifi

    with open(certifi.where(), "rb") as pems:
        return x509.load_pem_x509_certificates(pems.read())


def _require_digital_signature(policy: Any, certificate: x509.Certificate, usage: x509.KeyUsage | None) -> None:
    if usage is None or not usage.digital_signature:
        raise ValueError("the signing certificate may not be used for digital signatures")


# Amazon's rules ask for the signing name and digitalSignature; they do not require the serverAuth purpose.
_LEAF_POLICY = (
    ExtensionPolicy.webpki_defaults_ee()
    .may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None)
    .require_present(x509.KeyUsage, Criticality.AGNOSTIC, _require_digital_signature)
)


@dataclass(frozen=True)
class _Trusted:
    key: rsa.RSAPublicKey
    until: datetime


@dataclass(frozen=True)
class _Failed:
    reason: str
    until: datetime


class _Fetch:
    """One fetch of one URL in progress; requests for the same URL wait for its outcome."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.outcome: _Trusted | Rejected | None = None


class SigningKeys:
    """Amazon's signing keys by certificate URL: fetched, path-validated, and cached (bounded, expiring).
    Failures are cached too, briefly; a URL is fetched by one request at a time, and only a few requests may be
    held by fetches at once."""

    def __init__(self, roots: Callable[[], list[x509.Certificate]] = certifi_roots,
                 fetch: Callable[[str], bytes] = fetch_chain) -> None:
        self._roots = roots
        self._store: Store | None = None
        self._fetch = fetch
        self._cache: OrderedDict[str, _Trusted] = OrderedDict()
        self._failures: OrderedDict[str, _Failed] = OrderedDict()
        self._fetches: dict[str, _Fetch] = {}
        self._held = 0
        self._lock = threading.Lock()

    def key_for(self, url: str, now: datetime) -> rsa.RSAPublicKey:
        normalised = cert_url(url)
        with self._lock:
            trusted = self._cache.get(normalised)
            if trusted is not None and now < trusted.until:
                self._cache.move_to_end(normalised)
                return trusted.key
            failed = self._failures.get(normalised)
            if failed is not None and now < failed.until:
                raise Rejected(f"{failed.reason} (failed within the last {FAILURE_CACHE_FOR.seconds} s)")
            fetch = self._fetches.get(normalised)
            if self._held >= HELD_BY_FETCHES or (fetch is None and len(self._fetches) >= FETCHES_AT_ONCE):
                raise Rejected(f"too many certificate fetches under way; not fetching {normalised}")
            self._held += 1
            leader = fetch is None
            if leader:
                fetch = self._fetches[normalised] = _Fetch()
        try:
            outcome = self._fetch_and_validate(fetch, normalised, now) if leader else self._wait_for(fetch, normalised)
        finally:
            with self._lock:
                self._held -= 1
                if leader:
                    del self._fetches[normalised]
        if isinstance(outcome, Rejected):
            raise Rejected(str(outcome))  # a new one each time: the outcome may be shared by several requests
        return outcome.key

    def _fetch_and_validate(self, fetch: _Fetch, url: str, now: datetime) -> _Trusted | Rejected:
        try:
            outcome: _Trusted | Rejected = self._validate(url, self._fetch(url), now)
        except Rejected as err:
            outcome = err
        except Exception as err:  # a fetcher's unexpected error still ends the fetch for those waiting on it
            outcome = Rejected(f"cannot fetch the certificate chain {url}: {type(err).__name__}")
        with self._lock:
            if isinstance(outcome, Rejected):
                self._failures[url] = _Failed(str(outcome), now + FAILURE_CACHE_FOR)
                self._failures.move_to_end(url)
                while len(self._failures) > FAILURE_CACHE_ENTRIES:
                    self._failures.popitem(last=False)
            else:
                self._failures.pop(url, None)
                self._cache[url] = outcome
                while len(self._cache) > CACHE_ENTRIES:
                    self._cache.popitem(last=False)
        fetch.outcome = outcome
        fetch.done.set()
        return outcome

    @staticmethod
    def _wait_for(fetch: _Fetch, url: str) -> _Trusted | Rejected:
        if not fetch.done.wait(FETCH_TIMEOUT_SECONDS + 1) or fetch.outcome is None:
            return Rejected(f"gave up waiting for the certificate chain {url}")
        return fetch.outcome

    def _validate(self, url: str, pem: bytes, now: datetime) -> _Trusted:
        try:
            chain = x509.load_pem_x509_certificates(pem)
        except ValueError as err:
            raise Rejected(f"certificate chain {url} cannot be read: {err}") from err
        leaf, intermediates = chain[0], chain[1:]
        if self._store is None:
            self._store = Store(self._roots())
        verifier = (
            PolicyBuilder().store(self._store).time(now)
            .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=_LEAF_POLICY)
            .build_server_verifier(x509.DNSName(SIGNING_NAME))
        )
        try:
            verifier.verify(leaf, intermediates)
        except VerificationError as err:
            raise Rejected(f"certificate chain {url} is not trusted: {err}") from err
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        if SIGNING_NAME not in {n.lower() for n in names.get_values_for_type(x509.DNSName)}:
            raise Rejected(f"certificate {url} does not name {SIGNING_NAME} itself")
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise Rejected(f"certificate {url} does not hold an RSA key")
        if key.key_size < MIN_RSA_BITS:
            raise Rejected(f"certificate {url} holds a {key.key_size}-bit RSA key, under {MIN_RSA_BITS}")
        return _Trusted(key, min(now + CACHE_FOR, leaf.not_valid_after_utc))


class RequestVerifier:
    def __init__(self, keys: SigningKeys | None = None, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.keys = keys or SigningKeys()
        self.clock = clock

    def check_signature(self, headers: Mapping[str, str], body: bytes) -> None:
        """The signature over the raw body, before anything in it is trusted or parsed."""
        url = headers.get("SignatureCertChainUrl")
        if not url:
            raise Rejected("no SignatureCertChainUrl header")
        encoded = headers.get("Signature-256")
        if not encoded:
            legacy = " (a SHA-1 Signature header alone is refused)" if headers.get("Signature") else ""
            raise Rejected(f"no Signature-256 header{legacy}")
        try:
            signature = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError) as err:
            raise Rejected("Signature-256 is not base64") from err
        key = self.keys.key_for(url, self.clock())
        try:
            key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as err:
            raise Rejected("Signature-256 does not match the body") from err

    def check_timestamp(self, payload: dict[str, Any]) -> None:
        """The request was made within 150 s of now (an hour for skill events)."""
        request = payload.get("request") if isinstance(payload, dict) else None
        stamp = request.get("timestamp") if isinstance(request, dict) else None
        if not isinstance(stamp, str):
            raise Rejected("request has no timestamp")
        try:
            made = datetime.fromisoformat(stamp)
        except ValueError as err:
            raise Rejected(f"request timestamp {stamp!r} cannot be read") from err
        if made.tzinfo is None:
            raise Rejected(f"request timestamp {stamp!r} has no time zone")
        kind = request.get("type")
        tolerance = EVENT_TOLERANCE if isinstance(kind, str) and kind.startswith("AlexaSkillEvent.") else TOLERANCE
        if abs(self.clock() - made) > tolerance:
            raise Rejected(f"request timestamp {stamp} is more than {tolerance.seconds} s from now")
