"""A conversation with an Echo Show: the device reports APL, and the runner can tap the screen's buttons."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from tests.support.envelopes import Conversation
from tests.support.workouts import aside, generated_workout

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


def touch_or_talk(talk: ShowConversation, rng: random.Random) -> dict[str, Any]:
    """A turn of a workout on a screen: mostly next, by tap or by voice; now and then an aside or another tap."""
    roll = rng.random()
    if roll < 0.1:
        return aside(talk, rng)
    if roll < 0.2:
        return talk.tap(rng.choice(["repeat", "easier", "harder", "skip"]))
    return talk.tap("next") if rng.random() < 0.5 else talk.say("AMAZON.NextIntent")


def guided_workout(talk: ShowConversation, rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A generated workout on a screen, touched or talked through: every reply, and the guided ones among them
    (the reply to ready and to every turn of the workout after it; not the launch and the build before it, nor
    the end of the session after it and the answer to the finish's question)."""
    guided: list[dict[str, Any]] = []

    def move(talk: ShowConversation, rng: random.Random) -> dict[str, Any]:
        reply = touch_or_talk(talk, rng)
        guided.append(reply)
        return reply

    replies = generated_workout(talk, rng, move)
    return replies, [replies[2], *guided]
