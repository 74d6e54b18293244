"""A conversation with an Echo Show: the device reports APL, and the runner can tap the screen's buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.support.envelopes import Conversation

APL = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "1.4"}}}
VIEWPORT = {"experiences": [{"canRotate": False, "canResize": False}], "mode": "HUB", "shape": "RECTANGLE",
            "pixelWidth": 1024, "pixelHeight": 600, "dpi": 160, "currentPixelWidth": 1024, "currentPixelHeight": 600,
            "touch": ["SINGLE"]}


@dataclass
class ShowConversation(Conversation):
    """Like Conversation, on a device with a screen; `tap` presses a button by the arguments it sends."""

    def device(self, body: dict[str, Any]) -> dict[str, Any]:
        body["context"]["System"]["device"]["supportedInterfaces"] = APL
        body["context"]["Viewport"] = VIEWPORT
        return body

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
