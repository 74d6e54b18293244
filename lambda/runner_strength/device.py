"""What the skill assumes about an Alexa device, read from device.json: the one source for the skill, the tests and
the Node tools (tools/device.js reads the same file).

- `words_per_minute`: Alexa's usual speaking rate; the speech timing model is set to it (speech/timing.py).
- `speech_starts_seconds`: from a request's timestamp to the first sound of its response (the skill's answer and
  the voice starting).
- `barge_in_seconds`: how long before its request is stamped a runner's "Alexa, pause" stopped the speech (at the
  wake word).
- `runner_turn_seconds`: the runner's own turn, from the end of a prompt to the first word of the next response
  (training/duration.py says what it is made of).
- `time_zones`: per locale, the time zone a device is taken to be in when Alexa does not say which it is in
  (voice/conversation/device_settings.py): the locale's most populous one, where most of its runners are. A runner
  whose device says nothing is then off by a few hours at most, not by a whole evening, as with UTC.
- `invocation`: per locale, the verbs that invoke a skill by name ("open runner strength", "talk to ...") and the
  words that may join a one-shot request to the name ("ask runner strength for a circuit"). Only the Node tools
  read these: virtual-alexa's client and resolver follow Alexa in taking only such phrases as invocations.

All are assumptions, not measurements (speech/timing.py lists what a recording of a device would settle).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from runner_strength.jsonfile import read_json

PATH = Path(__file__).with_name("device.json")


class DeviceError(ValueError):
    """device.json is malformed; the message names the bad entry."""


@dataclass(frozen=True)
class Device:
    words_per_minute: int
    speech_starts_seconds: float
    barge_in_seconds: float
    runner_turn_seconds: float
    time_zones: Mapping[str, str]


def read(path: Path = PATH) -> Device:
    data = read_json(path, DeviceError)
    if not isinstance(data, dict):
        raise DeviceError(f"{path}: must be an object")
    values = {}
    for name, kind in (("words_per_minute", int), ("speech_starts_seconds", float), ("barge_in_seconds", float),
                       ("runner_turn_seconds", float)):
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise DeviceError(f"{path}: {name} must be a positive number, not {value!r}")
        if kind is int and not isinstance(value, int):
            raise DeviceError(f"{path}: {name} must be a whole number, not {value!r}")
        values[name] = kind(value)
    zones = data.get("time_zones")
    if not isinstance(zones, dict):
        raise DeviceError(f"{path}: time_zones must be an object of locale: IANA time zone, not {zones!r}")
    for locale, name in zones.items():
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
            raise DeviceError(f"{path}: time_zones.{locale} must be an IANA time zone, not {name!r}") from None
    return Device(**values, time_zones=MappingProxyType(dict(zones)))


_DEVICE = read()
WORDS_PER_MINUTE = _DEVICE.words_per_minute
SPEECH_STARTS_SECONDS = _DEVICE.speech_starts_seconds
BARGE_IN_SECONDS = _DEVICE.barge_in_seconds
RUNNER_TURN_SECONDS = _DEVICE.runner_turn_seconds


def likely_zone(locale: str | None) -> str:
    """The time zone a device of `locale` is taken to be in when it does not say: the locale's most populous, else
    UTC."""
    return _DEVICE.time_zones.get(locale or "", "UTC")
