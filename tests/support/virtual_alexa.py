"""Drives tools/alexa.js (virtual-alexa with our interaction model) over JSON lines, for end-to-end tests."""

from __future__ import annotations

import atexit
import json
import re
import subprocess
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from runner_strength.speech.phrases import load_locale
from runner_strength.training.cursor import Cursor
from runner_strength.voice.areas.start import PICK_UP
from tests.support.envelopes import unpacked, waits
from tools.endpoint import ROOT
from tools.settings_api import Device, Stand, serving

MODEL = ROOT / "interaction_model" / "en-US.json"


def picks_up(reply: Reply) -> bool:
    """Whether a launch offers a workout to pick up or do again (rather than, say, asking how a first session felt)."""
    return (reply.attributes.get("question") or {}).get("name") in PICK_UP


def heard(reply: Reply, key: str, **params: object) -> bool:
    """Whether a reply's speech (as the client renders it) holds one of the variants of the en-US line `key`,
    filled in with `params` (tests.support.envelopes.heard, for a reply that came through virtual-alexa)."""
    return any(variant.format(**params) in reply.speech for variant in load_locale("en-US").phrases[key])


@cache
def _names() -> tuple[tuple[str, str], ...]:
    exercises = load_locale("en-US").exercises
    return tuple(sorted(((t.name.lower(), i) for i, t in exercises.items()), key=lambda pair: -len(pair[0])))


def named(speech: str) -> list[str]:
    """The exercises (and warm-up drills) a speech names, as ids in the order heard; a longer name ("side plank with
    leg raise") is not also heard as the shorter one in it."""
    text, found = speech.lower(), []
    for name, exercise in _names():
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            found.append((match.start(), exercise))
            text = text[:match.start()] + " " * len(name) + text[match.end():]
    return [exercise for _, exercise in sorted(found)]


@dataclass
class Reply:
    raw: dict[str, Any]

    @property
    def ok(self) -> bool:
        return self.raw["ok"]

    @property
    def speech(self) -> str:
        return self.raw.get("speech") or ""

    @property
    def ended(self) -> bool:
        return self.raw.get("ended", False)

    @property
    def intent(self) -> str | None:
        request = self.raw.get("request", {}).get("request", {})
        return (request.get("intent") or {}).get("name") or request.get("type")

    @property
    def response(self) -> dict[str, Any]:
        return self.raw["response"]

    @property
    def ssml(self) -> str:
        return ((self.response.get("response") or {}).get("outputSpeech") or {}).get("ssml") or ""

    @property
    def attributes(self) -> dict[str, Any]:
        """The session attributes the skill sent back, with the runner's record unpacked (envelopes.unpacked)."""
        return unpacked(self.response.get("sessionAttributes"))

    @property
    def waits(self) -> bool:
        """Whether the reply waits for the runner to go on (tests.support.envelopes.waits): the session stays open
        and it is not a workout's last response, the one with its summary (`summed_up`)."""
        return waits(self.response)

    @property
    def workout(self) -> Cursor | None:
        """The workout (a training.cursor.Cursor) as the record in this reply's session attributes has it, or None."""
        record = self.attributes.get("record") or {}
        return Cursor.from_dict(record["workout"]) if record.get("workout") else None

    @property
    def marks(self) -> list[tuple[str, float, float, int]]:
        """When this reply speaks the workout (a delivery), its timeline: (kind, seconds into the response, seconds
        long, step) for each interval; empty for any other reply."""
        block = self.attributes.get("block_sent")
        stamp = self.raw.get("request", {}).get("request", {}).get("timestamp")
        if not block or not stamp or datetime.fromisoformat(block["at"]) != datetime.fromisoformat(stamp):
            return []
        return [(str(kind), float(start), float(seconds), int(step)) for kind, start, seconds, step in block["marks"]]


@cache
def devices_in_utc() -> Stand:
    """A stand-in for the Alexa Settings API (tools/settings_api.py) shared by this process's clients, every device in
    UTC, the day the end-to-end tests count in: the served skill asks it, never Amazon."""
    stack = ExitStack()
    atexit.register(stack.close)
    return stack.enter_context(serving(Stand(default=Device("UTC", "IMPERIAL"))))
_UNCHANGED = object()


class VirtualAlexa:
    def __init__(self, url: str, user_id: str, application_id: str, api_endpoint: str | None = None) -> None:
        """`api_endpoint`: where the requests send the skill for the device's settings (devices_in_utc by default)."""
        self.user_id = user_id
        self._voice: object = _UNCHANGED  # a voice to recognise from the next command on, once set
        self.process = subprocess.Popen(
            ["node", str(ROOT / "tools" / "alexa.js"), "--json", "--url", url, "--model", str(MODEL),
             "--user-id", user_id, "--application-id", application_id,
             "--api-endpoint", api_endpoint or devices_in_utc().url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )

    def recognise(self, person_id: str | None) -> None:
        """Alexa recognises this voice (a household member's personId) from the next request on; None: no voice."""
        self._voice = person_id

    def _send(self, command: dict[str, Any]) -> Reply:
        assert self.process.stdin and self.process.stdout
        if self._voice is not _UNCHANGED:
            command, self._voice = {**command, "person_id": self._voice}, _UNCHANGED
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("virtual-alexa client exited")
        return Reply(json.loads(line))

    def launch(self) -> Reply:
        return self._send({"launch": True})

    def utter(self, text: str, barge: float | None = None) -> Reply:
        """Say `text`; with `barge`, that many seconds into the last response (cutting into it)."""
        return self._send({"utter": text} if barge is None else {"utter": text, "barge": barge})

    def intend(self, name: str, barge: float | None = None, **slots: str) -> Reply:
        """An intent as given; with `barge`, that many seconds into the last response (as in `utter`)."""
        command: dict[str, Any] = {"intend": name, "slots": slots}
        return self._send(command if barge is None else {**command, "barge": barge})

    def end(self, reason: str = "USER_INITIATED") -> Reply:
        return self._send({"end": reason})

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


class CheckedAlexa(VirtualAlexa):
    """Every reply must have come back, and within Alexa's limits."""

    def _send(self, command: dict[str, Any]) -> Reply:
        from tests.support.limits import check_response

        reply = super()._send(command)
        assert reply.ok, reply.raw
        check_response(reply.response)
        return reply
