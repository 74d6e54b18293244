"""A conversation with an Echo Show: the device reports APL, and the runner can tap the screen's buttons."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ask_sdk_model import RequestEnvelope

from tests.support import envelopes
from tests.support.envelopes import Conversation, played_seconds

APL = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "1.4"}}}
VIEWPORT = {"experiences": [{"canRotate": False, "canResize": False}], "mode": "HUB", "shape": "RECTANGLE",
            "pixelWidth": 1024, "pixelHeight": 600, "dpi": 160, "currentPixelWidth": 1024, "currentPixelHeight": 600,
            "touch": ["SINGLE"]}


@dataclass
class ShowConversation(Conversation):
    """Like Conversation, on a device with a screen; `tap` presses a button by the arguments it sends."""

    def send(self, request: dict[str, Any], barge: float | None = None) -> dict[str, Any]:
        from datetime import timedelta
        request = {"timestamp": self.stamp(barge), **request}
        body = envelopes.envelope(request, session=self.session, new=self.session is None, user_id=self.user_id,
                                  person_id=self.person_id)
        body["context"]["System"]["device"]["supportedInterfaces"] = APL
        body["context"]["Viewport"] = VIEWPORT
        env = self.skill.serializer.deserialize(payload=json.dumps(body), obj_type=RequestEnvelope)
        reply = self.skill.serializer.serialize(self.skill.invoke(request_envelope=env, context=None))
        over = reply["response"].get("shouldEndSession", True) is not False or request["type"] == "SessionEndedRequest"
        self.session = None if over else (reply.get("sessionAttributes") or {})
        self.turns.append(reply)
        assert self.last_stamp is not None
        self.device_time = self.last_stamp + timedelta(
            seconds=envelopes.SPEECH_STARTS + played_seconds(reply) * 1.1 + envelopes.RUNNER_TURN)
        return reply

    def tap(self, *arguments: Any, barge: float | None = None) -> dict[str, Any]:
        return self.send({"type": "Alexa.Presentation.APL.UserEvent", "token": "runnerStrength",
                          "arguments": list(arguments), "source": {"type": "TouchWrapper", "handler": "Press"}},
                         barge=barge)


def screen(reply: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The APL document and its data a reply shows, or None."""
    for directive in reply["response"].get("directives") or ():
        if directive.get("type") == "Alexa.Presentation.APL.RenderDocument":
            return directive["document"], directive["datasources"]["payload"]["d"]
    return None
