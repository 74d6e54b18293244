"""Drives tools/alexa.js (virtual-alexa with our interaction model) over JSON lines, for end-to-end tests."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from typing import Any

from tools.endpoint import ROOT

MODEL = ROOT / "interaction_model" / "en-US.json"


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


class VirtualAlexa:
    def __init__(self, url: str, user_id: str, application_id: str) -> None:
        self.user_id = user_id
        self.process = subprocess.Popen(
            ["node", str(ROOT / "tools" / "alexa.js"), "--json", "--url", url, "--model", str(MODEL),
             "--user-id", user_id, "--application-id", application_id],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )

    def _send(self, command: dict[str, Any]) -> Reply:
        assert self.process.stdin and self.process.stdout
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

    def intend(self, name: str, **slots: str) -> Reply:
        return self._send({"intend": name, "slots": slots})

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
