"""Help, leaving (with progress saved), not understanding, the end of a session, and the last word when a
turn fails."""

from __future__ import annotations

import logging
from collections.abc import Collection

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from ...speech.phrases import DEFAULT_LOCALE, LocaleError, load_locale
from ...speech.ssml import Ssml
from ...storage.contract import DeletionFailed
from ..conversation.record_io import save_now, write_session
from ..conversation.replies import after_aside, pick_up_point
from ..conversation.turn import IntentHandler, Turn, intent_of

log = logging.getLogger(__name__)
# Only heard if the locale files themselves cannot be read.
LAST_RESORT = "Sorry, something went wrong."
FALLBACK = "AMAZON.FallbackIntent"


class Help(IntentHandler):
    intents = ("AMAZON.HelpIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.in_workout:
            return after_aside(turn, turn.line("help.workout"))
        return after_aside(turn, turn.line("help.start") + " " + turn.line("safety"))


class Stop(IntentHandler):
    intents = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is not None and turn.in_workout:  # (not once its last response was heard)
            key = "stop.saved" if save_now(turn) else "stop.unsaved"
            speech = turn.line(key, done=cursor.sets_done, total=cursor.total_sets, place=pick_up_point(turn, cursor))
            return turn.reply(speech, end=True)
        return turn.reply(turn.line("goodbye"), end=True)


def not_understood(turn: Turn) -> Response:
    """Whatever was pending (a question, a workout waiting to start) stays, and is asked again."""
    return after_aside(turn, turn.line("fallback.workout" if turn.in_workout else "fallback.start"))


class Fallback(IntentHandler):
    intents = (FALLBACK,)

    def handle(self, handler_input: HandlerInput) -> Response:
        return not_understood(Turn.of(handler_input))


class UnknownIntent(AbstractRequestHandler):
    """An intent no handler knows (an older or newer interaction model): treated as not understood."""

    def __init__(self, known: Collection[str]) -> None:
        self.known = frozenset(known)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        intent = intent_of(handler_input)
        return intent is not None and intent not in self.known

    def handle(self, handler_input: HandlerInput) -> Response:
        return not_understood(Turn.of(handler_input))


class SessionEnded(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        log.info("session ended: %s %s", getattr(request, "reason", None), getattr(request, "error", None) or "")
        return handler_input.response_builder.response


class OtherRequest(AbstractRequestHandler):
    """Requests this skill does not act on (other skill events, display or player callbacks): an empty answer.
    `claimed` lists the request types other handlers take."""

    def __init__(self, claimed: Collection[str]) -> None:
        self.claimed = frozenset(claimed)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return handler_input.request_envelope.request.object_type not in self.claimed

    def handle(self, handler_input: HandlerInput) -> Response:
        log.info("ignored a %s", handler_input.request_envelope.request.object_type)
        return handler_input.response_builder.response


class Apologise(AbstractExceptionHandler):
    """The last word: log the failure, say sorry briefly, and keep the conversation open. A platform deletion
    that failed is not apologised for: it must fail the request, so that Alexa delivers the event again."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return not isinstance(exception, DeletionFailed)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("turn failed: %s", exception, exc_info=exception)
        turn = Turn.maybe(handler_input)
        if turn is None:  # failed before the turn was set up, perhaps loading the locale itself
            try:
                line = load_locale(DEFAULT_LOCALE).phrases["error.sorry"][0]
            except (LocaleError, KeyError):
                line = LAST_RESORT
            speech = Ssml().say(line).to_ssml()
            return handler_input.response_builder.speak(speech).ask(speech).response
        response = turn.reply(turn.line("error.sorry"), turn.line("prompt.next" if turn.in_workout else "prompt.what"))
        # Response interceptors do not run after a failure: the session keeps the record as of the last good turn
        # (what the failed one changed is dropped), packed as every turn sends it, without what the conversation was
        # in the middle of, so that a failure caused by the session cannot come back every turn.
        turn.state.drop_the_moment()
        write_session(turn)
        return response


HANDLERS = (Help(), Stop(), Fallback(), SessionEnded())
QUESTIONS = ()
