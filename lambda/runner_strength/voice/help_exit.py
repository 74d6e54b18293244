"""Help, leaving (with progress saved), not understanding, and the end of a session."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from ..speech.phrases import DEFAULT_LOCALE, LocaleError, load_locale
from ..speech.ssml import Ssml
from .start import ask_what, place
from .turn import Turn

log = logging.getLogger(__name__)
# Only heard if the locale files themselves cannot be read.
LAST_RESORT = "Sorry, something went wrong."


def in_workout(turn: Turn) -> bool:
    return turn.workout is not None and turn.workout.started


class Help(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if in_workout(turn):
            return turn.reply(turn.line("help.workout"), turn.line("prompt.next"), turn.line("reprompt.next"))
        return ask_what(turn, turn.line("help.start") + " " + turn.line("safety"))


class Stop(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(n)(handler_input)
                   for n in ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is not None and cursor.started:
            speech = turn.line("stop.saved", done=cursor.sets_done, total=cursor.total_sets,
                               place=place(turn, cursor))
            return turn.reply(speech, end=True)
        return turn.reply(turn.line("goodbye"), end=True)


class Fallback(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.FallbackIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if in_workout(turn):
            return turn.reply(turn.line("fallback.workout"), turn.line("prompt.next"), turn.line("reprompt.next"))
        return ask_what(turn, turn.line("fallback.start"))


class UnknownIntent(AbstractRequestHandler):
    """An intent this version does not handle (an older or newer interaction model): treated as fallback."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return Fallback().handle(handler_input)


class SessionEnded(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        log.info("session ended: %s %s", getattr(request, "reason", None), getattr(request, "error", None) or "")
        return handler_input.response_builder.response


class OtherRequest(AbstractRequestHandler):
    """Requests this skill does not act on (skill events, display or player callbacks): an empty answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        log.info("ignored a %s", handler_input.request_envelope.request.object_type)
        return handler_input.response_builder.response


class Apologise(AbstractExceptionHandler):
    """The last word: log the failure, say sorry briefly, and keep the conversation open."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

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
        return turn.reply(turn.line("error.sorry"), turn.line("prompt.next" if in_workout(turn) else "prompt.what"))
