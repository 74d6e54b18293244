"""Echo Show screens: which APL document a reply shows, and the RenderDocument directive that carries it.

Only devices that report `Alexa.Presentation.APL` get a screen; everyone else gets exactly the voice response.
`ShowScreen`, a response interceptor the assembly (voice/skill.py) registers after the session is written and the
response measured, adds the screen for what the turn decided (`Turn.said`, the workout, the record), so a screen
follows every reply the way the speech does, from the same state: a block's countdown is built from the very Ssml
timeline the speech is paced by. The kernel knows nothing of screens.

A screen goes out whenever the response with it stays within Alexa's 24 KB, judged on the response as it will be
sent (conversation/sent.py: `Turn.sent_bytes`, the record packed as it travels) plus the screen's own directive.
The voice matters more than the picture: a response that would pass 24 KB with its screen goes without it. A
screen is built only when it can fit: when not even the smallest document would, no screen's data is made.

The documents live in `documents/`: `common.json` (sizes for each viewport profile, styles, the touch button)
and one file per screen with its mainTemplate; they are joined here, so nothing is fetched at run time.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces
from ask_sdk_model import Response
from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

from ...speech.phrases import LocaleText
from ...speech.ssml import MARK, Segment, Ssml
from ...speech.summary import finished_summary
from ...training.cursor import Cursor
from ..conversation.sent import MAX_RESPONSE_BYTES, adding, json_bytes
from ..conversation.turn import Turn
from . import models

log = logging.getLogger(__name__)

DOCUMENTS = Path(__file__).parent / "documents"
SCREENS = ("exercise", "overview", "finish", "start")
TOKEN = "runnerStrength"
# How long a screen stays up with nothing said: a block's screen for its whole length and a little more.
IDLE_MS = 60_000


def has_screen(handler_input: HandlerInput) -> bool:
    """Whether the device reports APL. An envelope with no device or no interfaces has no screen."""
    try:
        interfaces = get_supported_interfaces(handler_input)
    except AttributeError:
        return False
    return interfaces is not None and interfaces.alexa_presentation_apl is not None


@cache
def document(name: str) -> dict[str, Any]:
    """The whole APL document for a screen: the shared part with the screen's own mainTemplate."""
    common = json.loads((DOCUMENTS / "common.json").read_text(encoding="utf-8"))
    own = json.loads((DOCUMENTS / f"{name}.json").read_text(encoding="utf-8"))
    common.pop("description", None)
    own.pop("description", None)
    return {**common, **own}


class ShowScreen(AbstractResponseInterceptor):
    """Adds the screen for what the turn said, on a device with a screen, when the response as it will be sent
    (measured once the session is written: `Turn.sent_bytes`) stays within Alexa's 24 KB with it."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        if turn is None or response is None or turn.said is None or turn.sent_bytes is None \
                or not has_screen(handler_input):
            return
        if turn.sent_bytes + least_screen_bytes() > MAX_RESPONSE_BYTES:
            log.warning("no screen: the response is %d bytes without one", turn.sent_bytes)
            return
        said = turn.said
        if said.ssml is not None:
            chosen = screen(turn, said.ssml, said.end)
        elif said.replayed_block and said.replayed is not None:
            chosen = replayed_block(turn)
        else:
            chosen = None
        if chosen is None:
            return
        shown = directive(*chosen)
        added = adding(response, shown)
        if turn.sent_bytes + added > MAX_RESPONSE_BYTES:
            log.warning("screen %s left out: the response would be %d bytes", chosen[0], turn.sent_bytes + added)
            return
        response.directives = [*(response.directives or []), shown]
        turn.sent_bytes += added


def directive(name: str, data: dict[str, Any], idle_ms: int) -> RenderDocumentDirective:
    """The RenderDocument directive that shows screen `name` with `data`, up for `idle_ms` with nothing said."""
    return RenderDocumentDirective(token=TOKEN, document={**document(name), "settings": {"idleTimeout": idle_ms}},
                                   datasources={"payload": {"d": data}})


@cache
def least_screen_bytes() -> int:
    """The least any screen takes in a response as sent: the smallest document, with no data."""
    return min(json_bytes(directive(name, {}, IDLE_MS)) for name in SCREENS)


def replayed_block(turn: Turn) -> tuple[str, dict[str, Any], int] | None:
    """The screen for a delivery said again ("repeat"): its count starts over with the speech, from the delivery's
    timeline as the kernel kept it."""
    block, cursor = turn.state.block, turn.workout or turn.finished_workout
    try:
        marks = [Segment(MARK, float(start), float(start) + float(seconds), str(kind), float(seconds), int(step))
                 for kind, start, seconds, step in block["marks"]]
        ends, first = float(block["ends"]), int(block["first"])
    except (KeyError, TypeError, ValueError):
        return None
    if cursor is None or not 0 <= first < len(cursor.steps):
        return None
    return _block_screen(turn, cursor, marks, ends, first, block.get("resumed"))


def screen(turn: Turn, ssml: Ssml, end: bool) -> tuple[str, dict[str, Any], int] | None:
    """Which screen, its data, and how long it stays up unattended (ms)."""
    locale: LocaleText = turn.voice.text
    cursor: Cursor | None = turn.workout or turn.finished_workout
    block = turn.state.block
    if cursor is not None and any(s.kind == MARK for s in ssml.timeline) and block is not None \
            and 0 <= int(block.get("first", -1)) < len(cursor.steps):
        return _block_screen(turn, cursor, ssml.timeline, ssml.seconds, int(block["first"]), block.get("resumed"))
    if turn.finished_workout is not None:
        summary = finished_summary(turn.voice, turn.catalog, turn.record, turn.finished_workout)
        data = models.finish_screen(locale, turn.record, turn.today, summary.minutes, summary.changes)
        data["b"] = buttons(locale, "again")
        return "finish", data, IDLE_MS
    workout = turn.workout
    if workout is not None and end and isinstance(workout.paused, dict) and workout.next_step is not None:
        data = models.paused_screen(locale, turn.catalog, turn.record, workout, workout.next_step)
        data["b"] = buttons(locale, "resume", "repeat")
        return "exercise", data, IDLE_MS
    if workout is not None:
        data = models.overview_screen(locale, turn.catalog, turn.record, workout, turn.today)
        data["b"] = buttons(locale, "next" if workout.started else "ready", "repeat", "skip")
        return "overview", data, IDLE_MS
    if end:
        return None
    return "start", models.start_screen(locale), IDLE_MS


def _block_screen(turn: Turn, cursor: Cursor, timeline: Sequence[Segment], seconds: float, first: int,
                  resumed: Any) -> tuple[str, dict[str, Any], int]:
    locale: LocaleText = turn.voice.text
    data = models.exercise_screen(locale, turn.catalog, turn.record, cursor, timeline, seconds, first,
                                  resumed if isinstance(resumed, list) else None)
    finished = turn.finished_workout
    if finished is not None:
        # The delivery that ends the workout: once its last set is done, the screen says so, and how it went.
        data["ph"][-1].update(l=models.text(locale, "screen.finish.title"),
                              x=models.text(locale, "screen.finish.sets", done=finished.sets_done,
                                            total=finished.total_sets))
    data["b"] = buttons(locale, "pause", "repeat", "easier", "harder", "skip", "next")
    return "exercise", data, int(seconds * 1000) + IDLE_MS


# What each button is called and what it sends; touch.py maps the arguments to the spoken intents' handlers.
_BUTTONS = {
    "pause": ("screen.button.pause", ["pause"], True),
    "resume": ("screen.button.resume", ["resume"], True),
    "repeat": ("screen.button.repeat", ["repeat"], False),
    "easier": ("screen.button.easier", ["easier"], False),
    "harder": ("screen.button.harder", ["harder"], False),
    "skip": ("screen.button.skip", ["skip"], False),
    "next": ("screen.button.next", ["next"], True),
    "ready": ("screen.button.ready", ["ready"], True),
    "again": ("screen.full", ["full"], True),
}


def buttons(locale: LocaleText, *names: str) -> list[dict[str, Any]]:
    """Buttons as the documents' `Buttons` layout takes them; `m`: also on the small round hub."""
    out = []
    for name in names:
        key, args, main = _BUTTONS[name]
        out.append({"t": models.text(locale, key), "a": args, **({"m": True, "s": True} if main else {})})
    return out
