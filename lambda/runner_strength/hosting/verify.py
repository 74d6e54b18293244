"""Checking that a request to the web service really comes from Alexa, as Amazon requires of web services.

Done on the raw body before anything in it is trusted: the certificate URL is checked before any fetch, the
chain is validated with cryptography's X.509 path validation against certifi's roots, the SHA-256 signature is
checked over the exact bytes received; only then is the body parsed, for the timestamp. Any failure raises
Rejected, whose message is the reason for the log; the caller answers a plain 400 that does not say it.

Forged requests can name any number of certificate URLs, each a fetch, while genuine ones keep arriving; so a
verified chain is used past its refresh time while it is fetched again, shared with the other worker processes
through a folder, and what a fetch may cost depends on what vouches for the request (BUDGETS).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import os
import posixpath
import tempfile
import threading
import time
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
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
MAX_CHAIN_BYTES = 64 * 1024  # Amazon's chain is about 6 KB
# A verified chain is fetched again after an hour, in the background: until then, and while that fetch is under
# way or failing, the chain is used as long as its own certificates are valid.
REFRESH_AFTER = timedelta(hours=1)
CACHE_ENTRIES = 8
SHARED_ENTRIES = 16  # chain files in the shared folder; only chains that verified are written
# A fetch runs in the request's thread, and forged requests can name any number of URLs that pass the rules. So
# what a URL may cost depends on what vouches for the request naming it (see BUDGETS), one fetch per URL at a time
# (later requests wait for it), failures are remembered briefly, and a request beyond its lane's budget is
# refused at once rather than queued, leaving threads free for genuine requests and health checks.
FETCH_SECONDS = 5  # a URL or runner that verified before
STRANGER_FETCH_SECONDS = 2  # anything else: S3 serves Amazon's chain in well under a second
FAILURE_CACHE_FOR = timedelta(seconds=30)
FAILURE_CACHE_ENTRIES = 256
NAMED_ENTRIES = 1024  # URLs named lately, to tell a URL named again from a new one
RUNNERS_REMEMBERED = 10_000
REMEMBER_RUNNERS_FOR = timedelta(days=1)
# Amazon's own signing keys are 2048-bit RSA; a weaker leaf key is not one of theirs.
MIN_RSA_BITS = 2048
TOLERANCE = timedelta(seconds=150)
EVENT_TOLERANCE = timedelta(seconds=3600)  # skill events may be delivered late

log = logging.getLogger(__name__)


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


def fetch_chain(url: str, seconds: float = FETCH_SECONDS) -> bytes:
    """Download a PEM chain of at most MAX_CHAIN_BYTES within `seconds`: the bytes are read as they come, so a
    server sending a byte at a time is cut off at the first read past the time (a timeout alone would not: it
    bounds each wait, not the whole)."""
    deadline = time.monotonic() + seconds
    data = b""
    try:
        with urllib.request.urlopen(url, timeout=seconds) as reply:
            while piece := reply.read1(MAX_CHAIN_BYTES + 1 - len(data)):
                data += piece
                if len(data) > MAX_CHAIN_BYTES:
                    raise Rejected(f"certificate chain {url} is over {MAX_CHAIN_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise Rejected(f"certificate chain {url} not received within {seconds:g} s")
    except OSError as err:
        raise Rejected(f"cannot fetch the certificate chain {url}: {err}") from err
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
    chain: bytes
    fetched: datetime
    expires: datetime  # when the first certificate of the validated path expires
    refresh_at: datetime


@dataclass(frozen=True)
class _Failed:
    reason: str
    until: datetime
    vouched: bool  # whether it failed for a request something vouched for (see BUDGETS)


@dataclass(frozen=True)
class Budget:
    fetches: int  # fetches at once
    held: int  # requests fetching or waiting for a fetch, at once
    seconds: float  # for one fetch, from the first byte sent to the last received


# What a request whose chain is not cached may cost, by what vouches for it: its URL or its runner verified before
# ("vouched"; a forger knows neither), its URL was named by an earlier request ("named before": genuine traffic
# names one URL many times, a flood naming a new URL each time never does), or nothing ("strangers"). Each lane's
# budget is its own, so strangers cannot spend what a URL named again or a vouched request needs; strangers and
# URLs named before hold at most 4 of a worker's threads.
BUDGETS = {
    "vouched": Budget(fetches=2, held=6, seconds=FETCH_SECONDS),
    "named before": Budget(fetches=1, held=2, seconds=STRANGER_FETCH_SECONDS),
    "strangers": Budget(fetches=2, held=2, seconds=STRANGER_FETCH_SECONDS),
}


@dataclass
class _Lane:
    """One lane's budget (see BUDGETS) and what is being spent of it."""

    name: str
    budget: Budget
    fetching: int = 0
    holding: int = 0


@dataclass
class _Fetch:
    """One fetch of one URL in progress; requests for the same URL wait for its outcome."""

    done: threading.Event = field(default_factory=threading.Event)
    outcome: _Trusted | Rejected | None = None


def _nobody() -> bool:
    return False


def _in_a_thread(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="refresh-certificate-chain", daemon=True).start()


class SharedChains:
    """Chains that verified, in a folder the worker processes share, so that a worker that starts (or a service
    that restarts) finds them there instead of fetching them under whatever traffic is arriving. Each file is what
    S3 served and when; it is validated again when read, so the folder is a cache of downloads, never a source of
    trust. Written atomically (a whole file or none); a folder that cannot be used leaves each process its own
    cache."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    @classmethod
    def at(cls, folder: str | Path | None) -> SharedChains | None:
        """The shared folder, created if need be; None, with a warning, if it cannot be written."""
        if not folder:
            return None
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as err:
            log.warning("certificate chains are not shared between workers: %s cannot be written (%s)", folder,
                        err.strerror or type(err).__name__)
            return None
        return cls(Path(folder))

    def _path(self, url: str) -> Path:
        return self.folder / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json"

    def has(self, url: str) -> bool:
        return self._path(url).exists()

    def read(self, url: str) -> tuple[bytes, datetime] | None:
        """The chain last served at `url`, and when; None if there is none (or it cannot be read)."""
        try:
            with open(self._path(url), "rb") as file:
                saved = json.loads(file.read(4 * MAX_CHAIN_BYTES))
            if saved["url"] != url:
                return None
            return saved["chain"].encode(), datetime.fromisoformat(saved["fetched"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
            log.warning("shared certificate chain for %s cannot be read (%s)", url, type(err).__name__)
            return None

    def remove(self, url: str) -> None:
        with contextlib.suppress(OSError):
            self._path(url).unlink(missing_ok=True)

    def write(self, url: str, chain: bytes, fetched: datetime) -> None:
        saved = json.dumps({"url": url, "fetched": fetched.isoformat(), "chain": chain.decode("ascii")})
        try:
            with tempfile.NamedTemporaryFile("w", dir=self.folder, suffix=".tmp", delete=False) as file:
                file.write(saved)
            os.replace(file.name, self._path(url))
            files = sorted(self.folder.glob("*.json"), key=lambda path: path.stat().st_mtime)
            for old in files[:-SHARED_ENTRIES]:
                old.unlink(missing_ok=True)
        except (OSError, UnicodeError) as err:
            log.warning("certificate chain for %s not shared (%s)", url, type(err).__name__)


class SigningKeys:
    """Amazon's signing keys by certificate URL: fetched, path-validated, and cached (bounded, kept past their
    refresh time while a refresh is under way, never past their certificates' validity), in this process and in
    the folder the workers share. Fetches are paid for by lane (see BUDGETS); failures are remembered briefly."""

    def __init__(self, roots: Callable[[], list[x509.Certificate]] = certifi_roots,
                 fetch: Callable[[str, float], bytes] = fetch_chain, shared: SharedChains | None = None,
                 background: Callable[[Callable[[], None]], None] = _in_a_thread) -> None:
        self._roots = roots
        self._store: Store | None = None
        self._fetch = fetch
        self._shared = shared
        self._background = background
        self._cache: OrderedDict[str, _Trusted] = OrderedDict()
        self._failures: OrderedDict[str, _Failed] = OrderedDict()
        self._named: OrderedDict[str, None] = OrderedDict()
        self._fetches: dict[str, _Fetch] = {}
        self._refreshing: set[str] = set()
        self._lanes = {name: _Lane(name, budget) for name, budget in BUDGETS.items()}
        self._lock = threading.Lock()

    def key_for(self, url: str, now: datetime, vouched: Callable[[], bool] = _nobody) -> rsa.RSAPublicKey:
        """The key that signs for `url`. `vouched` says whether the request names a runner who verified before;
        it is asked only when the chain must be fetched."""
        normalised = cert_url(url)
        key = self._cached(normalised, now)
        if key is not None:
            return key
        shared = self._from_shared(normalised, now)
        if shared is not None:
            with self._lock:
                self._keep(normalised, shared)
            return self._cached(normalised, now) or shared.key
        return self._fetched(normalised, now, vouched)

    def _cached(self, url: str, now: datetime) -> rsa.RSAPublicKey | None:
        with self._lock:
            trusted = self._cache.get(url)
            if trusted is None or now >= trusted.expires:
                return None
            self._cache.move_to_end(url)
            refresh = now >= trusted.refresh_at and url not in self._refreshing
            if refresh:
                self._refreshing.add(url)
        if refresh:
            self._background(lambda: self._refresh(url, now))
        return trusted.key

    def _from_shared(self, url: str, now: datetime) -> _Trusted | None:
        if self._shared is None:
            return None
        saved = self._shared.read(url)
        if saved is None:
            return None
        chain, fetched = saved
        try:
            return self._validate(url, chain, now, fetched)
        except Rejected as err:
            log.warning("shared certificate chain not used, and removed: %s", err)
            self._shared.remove(url)
            return None

    def _keep(self, url: str, trusted: _Trusted) -> None:
        """Under the lock."""
        self._failures.pop(url, None)
        self._cache[url] = trusted
        self._cache.move_to_end(url)
        while len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)

    def _refresh(self, url: str, now: datetime) -> None:
        """Fetch a cached chain again, in the background: requests go on using the one cached meanwhile. A chain
        another worker refreshed is taken from the shared folder; a chain S3 now serves that does not verify ends
        the use of the cached one; a fetch that fails leaves it in use, and is tried again a little later."""
        try:
            shared = self._from_shared(url, now)
            if shared is not None and now < shared.refresh_at:
                fresh: _Trusted | None = shared
            else:
                chain = self._fetch(url, FETCH_SECONDS)
                try:
                    fresh = self._validate(url, chain, now, now)
                except Rejected as err:
                    log.warning("certificate chain no longer trusted: %s", err)
                    fresh = None
                else:
                    self._share(url, fresh)
            with self._lock:
                if fresh is None:
                    self._cache.pop(url, None)
                else:
                    self._keep(url, fresh)
        except Exception as err:  # a refresh that fails in any way keeps the chain until it expires
            log.warning("refreshing the certificate chain %s failed; tried again in %d s (%s)", url,
                        FAILURE_CACHE_FOR.seconds, err if isinstance(err, Rejected) else type(err).__name__)
            with self._lock:
                trusted = self._cache.get(url)
                if trusted is not None:
                    self._cache[url] = replace(trusted, refresh_at=now + FAILURE_CACHE_FOR)
        finally:
            with self._lock:
                self._refreshing.discard(url)

    def _share(self, url: str, trusted: _Trusted) -> None:
        if self._shared is not None:
            self._shared.write(url, trusted.chain, trusted.fetched)

    def _fetched(self, url: str, now: datetime, vouched: Callable[[], bool]) -> rsa.RSAPublicKey:
        """Fetch the chain in this request's thread, within the budget of the request's lane."""
        with self._lock:
            known = url in self._cache
            named = url in self._named
            self._named[url] = None
            self._named.move_to_end(url)
            while len(self._named) > NAMED_ENTRIES:
                self._named.popitem(last=False)
            failed = self._failures.get(url)
        known = known or (self._shared is not None and self._shared.has(url))
        is_vouched = known or vouched()
        with self._lock:
            # A failure remembered for a stranger does not refuse a vouched request: a forger could otherwise name
            # Amazon's next URL before it exists, and have it refused for a while once it does.
            if failed is not None and now < failed.until and (failed.vouched or not is_vouched):
                raise Rejected(f"{failed.reason} (failed within the last {FAILURE_CACHE_FOR.seconds} s)")
            lane = self._lanes["vouched" if is_vouched else "named before" if named else "strangers"]
            fetch = self._fetches.get(url)
            if lane.holding >= lane.budget.held or (fetch is None and lane.fetching >= lane.budget.fetches):
                raise Rejected(f"the certificate fetches for {lane.name} requests are all taken; not fetching {url}")
            lane.holding += 1
            leader = fetch is None
            if leader:
                lane.fetching += 1
                fetch = self._fetches[url] = _Fetch()
        try:
            outcome = self._fetch_and_validate(fetch, url, now, lane) if leader else self._wait_for(fetch, url, lane)
        finally:
            with self._lock:
                lane.holding -= 1
                if leader:
                    lane.fetching -= 1
                    del self._fetches[url]
        if isinstance(outcome, Rejected):
            raise Rejected(str(outcome))  # a new one each time: the outcome may be shared by several requests
        return outcome.key

    def _fetch_and_validate(self, fetch: _Fetch, url: str, now: datetime, lane: _Lane) -> _Trusted | Rejected:
        try:
            outcome: _Trusted | Rejected = self._validate(url, self._fetch(url, lane.budget.seconds), now, now)
        except Rejected as err:
            outcome = err
        except Exception as err:  # a fetcher's unexpected error still ends the fetch for those waiting on it
            outcome = Rejected(f"cannot fetch the certificate chain {url}: {type(err).__name__}")
        if isinstance(outcome, _Trusted):
            self._share(url, outcome)
        with self._lock:
            if isinstance(outcome, Rejected):
                self._failures[url] = _Failed(str(outcome), now + FAILURE_CACHE_FOR, lane.name == "vouched")
                self._failures.move_to_end(url)
                while len(self._failures) > FAILURE_CACHE_ENTRIES:
                    self._failures.popitem(last=False)
            else:
                self._keep(url, outcome)
        fetch.outcome = outcome
        fetch.done.set()
        return outcome

    @staticmethod
    def _wait_for(fetch: _Fetch, url: str, lane: _Lane) -> _Trusted | Rejected:
        if not fetch.done.wait(lane.budget.seconds + 1) or fetch.outcome is None:
            return Rejected(f"gave up waiting for the certificate chain {url}")
        return fetch.outcome

    def _validate(self, url: str, pem: bytes, now: datetime, fetched: datetime) -> _Trusted:
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
            path = verifier.verify(leaf, intermediates)
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
        expires = min(certificate.not_valid_after_utc for certificate in path)
        return _Trusted(key, pem, fetched, expires, fetched + REFRESH_AFTER)


class _Runners:
    """Runners whose requests verified lately, so that a request naming one is vouched for when its certificate
    URL is new (as when Amazon moves its certificate): a forger cannot know a runner's userId. Kept as keyed
    hashes, with a key made at random when the service starts and never stored, bounded and in memory only, so
    nothing here can be turned back into a userId or outlives the process."""

    def __init__(self) -> None:
        self._key = os.urandom(32)
        self._seen: OrderedDict[bytes, datetime] = OrderedDict()
        self._lock = threading.Lock()

    def _hash(self, user_id: str) -> bytes:
        return hmac.digest(self._key, user_id.encode(), "sha256")[:16]

    def remember(self, user_id: str, now: datetime) -> None:
        with self._lock:
            self._seen[self._hash(user_id)] = now
            self._seen.move_to_end(self._hash(user_id))
            while len(self._seen) > RUNNERS_REMEMBERED:
                self._seen.popitem(last=False)

    def knows(self, user_id: str, now: datetime) -> bool:
        with self._lock:
            seen = self._seen.get(self._hash(user_id))
        return seen is not None and now - seen < REMEMBER_RUNNERS_FOR


def _user_id(body: bytes) -> str | None:
    """The userId an unverified body claims, to decide only what a fetch for it may cost; None if it names none."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return None
    for key in ("context", "System", "user", "userId"):
        payload = payload.get(key) if isinstance(payload, dict) else None
    return payload if isinstance(payload, str) else None


class RequestVerifier:
    def __init__(self, keys: SigningKeys | None = None, clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.keys = keys or SigningKeys()
        self.clock = clock
        self._runners = _Runners()

    def remember_runner(self, user_id: str) -> None:
        """A request from this runner verified in full (signature, time, this skill): vouch for their next ones."""
        self._runners.remember(user_id, self.clock())

    def check_signature(self, headers: Mapping[str, str], body: bytes) -> None:
        """The signature over the raw body, before anything in it is trusted. Only when the chain must be fetched
        is the body read first, for the runner it claims, and only to decide what the fetch may cost."""
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
        now = self.clock()

        def names_a_known_runner() -> bool:
            user_id = _user_id(body)
            return user_id is not None and self._runners.knows(user_id, now)

        key = self.keys.key_for(url, now, names_a_known_runner)
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
