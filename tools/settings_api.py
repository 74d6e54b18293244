"""A stand-in for the Alexa Settings API on a free loopback port, answering as the documented API does.

GET /v2/devices/{deviceId}/settings/System.timeZone answers a JSON string such as "America/Los_Angeles", and
.../System.distanceUnits "METRIC" or "IMPERIAL"; with no zone or units set, 204 and no body; without a bearer token,
401; otherwise the error a device is told to answer (400, 403, 404, 429, 500, 503...) with the documented error body
({"code": ..., "message": ...}), or its answer only after a delay.

`make chat` serves one whose every device is in this machine's time zone (TZ, else /etc/localtime, else UTC), and
points virtual-alexa's requests at it, so a chat's days are the developer's own; the tests serve their own, with the
answers and failures each needs.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SETTING = re.compile(r"^/v2/devices/(?P<device>[^/]+)/settings/(?P<name>System\.timeZone|System\.distanceUnits)$")
ERROR_CODES = {400: "INVALID_KEY", 401: "INVALID_TOKEN", 403: "INVALID_TOKEN", 404: "INVALID_URI",
               429: "UNKNOWN_ERROR", 500: "UNKNOWN_ERROR", 503: "DEVICE_UNREACHABLE"}


@dataclass
class Device:
    """How the stand-in answers for one device: its zone and units (None: not set, 204), or an error status for
    both, after `delay_s` seconds."""

    time_zone: str | None = "UTC"
    distance_units: str | None = "METRIC"
    status: int = 200
    delay_s: float = 0.0


@dataclass
class Asked:
    device: str
    setting: str
    authorization: str | None


@dataclass
class Stand:
    """The stand-in's state: the answer per device (`default` for any other) and every request it was asked."""

    default: Device = field(default_factory=Device)
    devices: dict[str, Device] = field(default_factory=dict)
    asked: list[Asked] = field(default_factory=list)
    url: str = ""

    def answering(self, device: str) -> Device:
        return self.devices.get(device, self.default)

    def count(self, setting: str = "System.timeZone") -> int:
        return sum(1 for a in self.asked if a.setting == setting)


class _Handler(BaseHTTPRequestHandler):
    stand: Stand

    def do_GET(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        match = SETTING.match(path)
        if match is None:
            return self._send(404, {"code": "INVALID_URI", "message": "no such setting"})
        device_id = urllib.parse.unquote(match["device"])
        authorization = self.headers.get("Authorization")
        self.stand.asked.append(Asked(device_id, match["name"], authorization))
        device = self.stand.answering(device_id)
        if device.delay_s:
            time.sleep(device.delay_s)
        if not authorization or not authorization.startswith("Bearer ") or not authorization[7:].strip():
            return self._send(401, {"code": "INVALID_TOKEN", "message": "The authentication token is malformed."})
        if device.status != 200:
            return self._send(device.status, {"code": ERROR_CODES.get(device.status, "UNKNOWN_ERROR"),
                                              "message": f"answered {device.status} as told"})
        value = device.time_zone if match["name"] == "System.timeZone" else device.distance_units
        return self._send(204, None) if value is None else self._send(200, value)

    def _send(self, status: int, body: object) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the tests read what was asked instead
        pass


@contextmanager
def serving(stand: Stand | None = None, host: str = "127.0.0.1") -> Iterator[Stand]:
    """The stand-in on a free port of `host`, in a thread of this process; yields its state, with its `url` (the
    apiEndpoint requests should name)."""
    stand = stand or Stand()
    handler = type("Handler", (_Handler,), {"stand": stand})
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    stand.url = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="settings-api", daemon=True)
    thread.start()
    try:
        yield stand
    finally:
        server.shutdown()
        server.server_close()


def local_zone() -> str:
    """This machine's IANA time zone: TZ when it names one, else what /etc/localtime links to, else UTC."""
    named = os.environ.get("TZ", "").lstrip(":")
    if re.fullmatch(r"[A-Za-z_+\-]+(/[A-Za-z0-9_+\-]+)*", named or "-/"):
        return named
    try:
        target = Path("/etc/localtime").resolve(strict=True)
    except OSError:
        return "UTC"
    parts = target.parts
    return "/".join(parts[parts.index("zoneinfo") + 1:]) if "zoneinfo" in parts else "UTC"
