"""The device's time zone and distance units, from the Alexa Settings API, and the zone the runner's day is kept in.

Alexa answers GET {apiEndpoint}/v2/devices/{deviceId}/settings/System.timeZone with a JSON string such as
"America/Los_Angeles", and .../System.distanceUnits with "METRIC" or "IMPERIAL", to the request's apiAccessToken;
neither asks the runner for a permission. The SDK's UpsServiceClient makes the calls and reads the answers;
TimedApiClient sends them, with a timeout (the SDK's own client has none, so a slow API would hold the turn).

The zone a runner's day is in is decided on a session's first turn (`decide`, from record_io.LoadRecord) and kept in
the session, so that a day never changes zone mid-conversation. In this order:
1. what the device says: asked at most once an hour per device in this process (SettingsApi keeps the answers),
   within WAIT_S, so the turn answers well within Alexa's 8 s however slow the API is;
2. when it says nothing in time (a timeout, an error): what the device last said in this process;
3. the zone the runner's devices last said, kept in the runner's record, so that it outlives the process;
4. the locale's most populous zone (device.json), else UTC.
A device that answers it has no zone set (204) goes on to 3 and 4 too. Distance units are asked with the zone (the
two calls go at once) and kept in the session beside it, for speech that will say distances in the runner's units.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import requests
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse, ApiConfiguration, ServiceException
from ask_sdk_model.services.ups import UpsServiceClient

from ...device import likely_zone
from ...training.days import zone
from ...training.record import RunnerRecord
from .session import SessionState

log = logging.getLogger(__name__)

# Both answers are waited for this long at most, from the turn's first second: the store's budget is counted from
# then too (record_io.SAVE_BUDGET_S), so a slow API leaves the store less time, never the turn more. Alexa's own API
# answers in a small fraction of it.
WAIT_S = 1.0
# A device's answer is used this long before the device is asked again: a zone changes when a runner moves or takes
# the device travelling, and then it changes from the next session after the hour.
FRESH_FOR_S = 3600.0
# After no answer, the device is not asked again for this long; after a timeout, a server error or throttling, no
# device of that endpoint is: an outage costs one wait a minute per process, not one per session.
RETRY_AFTER_S = 60.0
MAX_DEVICES = 10_000  # answers kept per process; the least recently used go first
DISTANCE_UNITS = ("METRIC", "IMPERIAL")
_WORKERS = 8


@dataclass(frozen=True)
class DeviceSettings:
    """What a device's settings say: its time zone (an IANA name known here) and distance units, each None when the
    device has none set or named one not known here."""

    time_zone: str | None = None
    distance_units: str | None = None


Lookup = Callable[[RequestEnvelope], DeviceSettings | None]


def _loopback(host: str | None) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


class TimedApiClient(ApiClient):
    """Sends the SDK service clients' calls with a timeout, over HTTPS only (plain HTTP to a loopback address, for
    the tests' and `make chat`'s stand-in: tools/settings_api.py). The token goes nowhere else."""

    def __init__(self, timeout_s: float = WAIT_S) -> None:
        self.timeout_s = timeout_s

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        url = urlsplit(request.url or "")
        if url.scheme != "https" and not (url.scheme == "http" and _loopback(url.hostname)):
            raise ApiClientException("the Alexa API is asked over HTTPS only")
        answer = requests.request(request.method or "GET", request.url, headers=dict(request.headers or []),
                                  timeout=self.timeout_s, allow_redirects=False)
        return ApiClientResponse(headers=list(answer.headers.items()), status_code=answer.status_code,
                                 body=answer.text)


@dataclass(frozen=True)
class _Known:
    settings: DeviceSettings | None  # the device's last answer (None: none yet)
    fresh_until: float  # on the monotonic clock: used without asking until then
    retry_at: float = 0.0  # after no answer: not asked again until then


class SettingsApi:
    """A device's settings from the Alexa Settings API, kept per device in this process (see the module's docstring).
    Called with a request's envelope; never raises, and never waits more than `wait_s`."""

    def __init__(self, api_client: ApiClient | None = None, *, wait_s: float = WAIT_S,
                 fresh_for_s: float = FRESH_FOR_S, retry_after_s: float = RETRY_AFTER_S,
                 monotonic: Callable[[], float] = time.monotonic, max_devices: int = MAX_DEVICES) -> None:
        # A call left behind by the wait still ends on its own: the client's timeout is twice the wait at most.
        self.api_client = api_client or TimedApiClient(wait_s)
        self.wait_s, self.fresh_for_s, self.retry_after_s = wait_s, fresh_for_s, retry_after_s
        self.monotonic, self.max_devices = monotonic, max_devices
        self._known: OrderedDict[str, _Known] = OrderedDict()
        self._down_until: dict[str, float] = {}  # by endpoint
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None  # made at the first call, not when the skill is built

    def __call__(self, envelope: RequestEnvelope) -> DeviceSettings | None:
        system = envelope.context.system if envelope.context is not None else None
        device_id = system.device.device_id if system is not None and system.device is not None else None
        if system is None or not device_id or not system.api_endpoint or not system.api_access_token:
            return None
        endpoint = system.api_endpoint
        with self._lock:
            now = self.monotonic()
            known = self._known.get(device_id)
            if known is not None:
                self._known.move_to_end(device_id)
            if now < self._down_until.get(endpoint, 0.0) or (known is not None and now < max(known.fresh_until,
                                                                                               known.retry_at)):
                return known.settings if known is not None else None
        said, service_trouble = self._ask(endpoint, system.api_access_token, device_id)
        with self._lock:
            now = self.monotonic()
            if said is not None:
                known = _Known(said, now + self.fresh_for_s)
            else:
                known = _Known(known.settings if known else None, known.fresh_until if known else 0.0,
                               now + self.retry_after_s)
                if service_trouble:
                    self._down_until[endpoint] = now + self.retry_after_s
            self._known[device_id] = known
            self._known.move_to_end(device_id)
            while len(self._known) > self.max_devices:
                self._known.popitem(last=False)
        return known.settings

    def _ask(self, endpoint: str, token: str, device_id: str) -> tuple[DeviceSettings | None, bool]:
        """The device's settings, asked now and waited for `wait_s` at most; or None and whether the trouble was the
        service's (a timeout, a failed connection, a server error or throttling) rather than this device's."""
        client = UpsServiceClient(ApiConfiguration(serializer=DefaultSerializer(), api_client=self.api_client,
                                                   authorization_value=token, api_endpoint=endpoint))
        pool = self._executor()
        asked_zone = pool.submit(client.get_system_time_zone, device_id=device_id)
        asked_units = pool.submit(client.get_system_distance_units, device_id=device_id)
        wait((asked_zone, asked_units), timeout=self.wait_s)
        if not asked_zone.done():
            log.warning("the Alexa Settings API did not answer the time zone within %.1f s", self.wait_s)
            return None, True
        try:
            name = asked_zone.result()
        except ServiceException as err:
            # The status only: a failed connection's message names the URL, and so the device.
            if err.headers is None:
                log.warning("the Alexa Settings API could not be reached for the time zone")
            else:
                log.warning("the Alexa Settings API answered %s for the time zone", err.status_code)
            return None, err.status_code >= 500 or err.status_code == 429
        except Exception as err:  # an answer the SDK could not read
            log.warning("the Alexa Settings API's answer for the time zone was unreadable: %s", type(err).__name__)
            return None, True
        if name is not None and zone(name) is None:
            log.warning("the Alexa Settings API named a time zone not known here")
            name = None
        return DeviceSettings(name, _units(asked_units)), False

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(_WORKERS, thread_name_prefix="alexa-settings")
            return self._pool


def _units(asked: Future) -> str | None:
    """The distance units answered in time, if any (they matter less than the zone: no answer is no units)."""
    if not asked.done() or asked.exception() is not None:
        return None
    units = asked.result()
    value = getattr(units, "value", units)
    return value if value in DISTANCE_UNITS else None


def decide(state: SessionState, record: RunnerRecord, envelope: RequestEnvelope, lookup: Lookup,
           locale: str | None) -> RunnerRecord:
    """Decide the zone this session's days are in, once (see the module's docstring), into `state`; the record,
    knowing the zone the device said when it said one."""
    if state.time_zone is not None:
        return record
    try:
        said = lookup(envelope) or DeviceSettings()
    except Exception:  # a lookup that fails never fails the turn: the day is taken from what is known
        log.exception("the device's settings could not be looked up")
        said = DeviceSettings()
    state.time_zone = said.time_zone or record.time_zone or likely_zone(locale)
    state.distance_units = said.distance_units
    if said.time_zone is not None and said.time_zone != record.time_zone:
        record = replace(record, time_zone=said.time_zone)
    return record
