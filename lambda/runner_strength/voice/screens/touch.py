"""Touch: a tap on a screen's button (an `Alexa.Presentation.APL.UserEvent`) does what the same words do.

`TapAsIntent`, a request interceptor, turns a tap into the request its words would have made (Next is
AMAZON.NextIntent, an area button is BuildCircuitIntent with that area resolved, ...) before any handler is asked
about it, so the spoken intent's own handler, or the pending question's answer, handles it: one path for voice and
touch, and no handler's `can_handle` changes the request. A tap no button sends is left as it is, for `UnknownTap`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import DialogState, Intent, IntentConfirmationStatus, IntentRequest, Response, Slot
from ask_sdk_model.slu.entityresolution import Resolution, Resolutions, Status, StatusCode, Value, ValueWrapper

from ...speech.ssml import MAX_RENDERED_SECONDS
from ...training.catalog import AREAS
from ..conversation import interruption
from ..conversation.replies import after_aside
from ..conversation.turn import Turn

USER_EVENT = "Alexa.Presentation.APL.UserEvent"
# The buttons' SendEvent arguments (voice/screens/__init__.py) and the intent the same words make.
PRESSES = {
    "next": "AMAZON.NextIntent",
    "ready": "ReadyIntent",
    "pause": "AMAZON.PauseIntent",
    "resume": "AMAZON.ResumeIntent",
    "repeat": "AMAZON.RepeatIntent",
    "easier": "EasierIntent",
    "harder": "HarderIntent",
    "skip": "SkipIntent",
    "full": "BuildCircuitIntent",
    "area": "BuildCircuitIntent",
}


def as_intent(handler_input: HandlerInput) -> IntentRequest | None:
    """The IntentRequest a tap stands for; None for arguments no button sends. A button sends what it does, which
    one (an area), and how long its screen had been up (ms)."""
    tap = handler_input.request_envelope.request
    arguments = list(getattr(tap, "arguments", None) or [])
    press = arguments[0] if arguments and isinstance(arguments[0], str) else None
    if press not in PRESSES:
        return None
    slots = {}
    if press == "area":
        area = arguments[1] if len(arguments) > 1 else None
        if area not in AREAS:
            return None
        slots["area"] = _resolved("area", str(area))
    timestamp = tap.timestamp
    if press == "pause" and len(arguments) > 2:
        timestamp = on_the_devices_clock(handler_input, arguments[2]) or timestamp
    intent = Intent(name=PRESSES[press], slots=slots, confirmation_status=IntentConfirmationStatus.NONE)
    return IntentRequest(request_id=tap.request_id, timestamp=timestamp, locale=tap.locale,
                         dialog_state=DialogState.COMPLETED, intent=intent)


def on_the_devices_clock(handler_input: HandlerInput, shown_ms: object) -> datetime | None:
    """When a Pause tap came, as the kernel reckons a spoken pause (from the block's request, the speech starting and
    the wake word), but from the device's own count of how long the block's screen was up, which started with
    the speech: the place is exact rather than within the two seconds that request stamps allow."""
    turn = Turn.maybe(handler_input)
    block = turn.state.block if turn else None
    try:
        sent = datetime.fromisoformat(block["at"])
        seconds = float(shown_ms) / 1000  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= seconds < MAX_RENDERED_SECONDS:
        return None
    return sent + timedelta(seconds=interruption.SPEECH_STARTS + interruption.BARGE_IN + seconds)


def _resolved(name: str, value_id: str) -> Slot:
    words = value_id.lower().replace("_", " ")
    authority = Resolution(authority="amzn1.er-authority.echo-sdk.touch", status=Status(StatusCode.ER_SUCCESS_MATCH),
                           values=[ValueWrapper(Value(name=words, id=value_id))])
    return Slot(name=name, value=words, resolutions=Resolutions(resolutions_per_authority=[authority]))


class TapAsIntent(AbstractRequestInterceptor):
    """Makes a tap the request its words would have made, before routing. Registered after the record is loaded
    (a Pause tap is placed on the block the session kept)."""

    def process(self, handler_input: HandlerInput) -> None:
        if is_request_type(USER_EVENT)(handler_input) and (request := as_intent(handler_input)) is not None:
            handler_input.request_envelope.request = request


class UnknownTap(AbstractRequestHandler):
    """A tap no button sends (an older screen, a crafted event): whatever was pending is asked again."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type(USER_EVENT)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return after_aside(Turn.of(handler_input), "")
