"""Yes and no: what they mean depends on the question just asked."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from . import adjust
from .guide import go_on
from .privacy import forget
from .start import ask_what, carry_on
from .turn import ASKED_AVOID, ASKED_DROP_KIT, ASKED_FORGET, ASKED_PAIN, ASKED_REDO, ASKED_RESUME, ASKED_START, Turn


class Yes(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.pending == ASKED_FORGET:
            return forget(turn)
        if turn.pending == ASKED_PAIN:
            return adjust.pain_answer(turn, adjust.pain_choice(turn, said_yes=True))
        if turn.pending == ASKED_AVOID:
            return adjust.avoid_answer(turn, agreed=True)
        if turn.pending == ASKED_DROP_KIT:
            return adjust.drop_kit(turn, agreed=True)
        cursor = turn.workout
        if turn.pending == ASKED_REDO and cursor is not None:
            turn.set_workout(cursor.start_over())
        if cursor is not None and (turn.pending in (ASKED_START, ASKED_RESUME, ASKED_REDO) or cursor.started):
            return go_on(turn)
        return ask_what(turn, turn.line("yes.nothing"))


class No(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.pending == ASKED_FORGET:
            return carry_on(turn, turn.line("forget.kept"))
        if turn.pending == ASKED_PAIN:
            return adjust.pain_answer(turn, adjust.pain_choice(turn, said_yes=False))
        if turn.pending == ASKED_AVOID:
            return adjust.avoid_answer(turn, agreed=False)
        if turn.pending == ASKED_DROP_KIT:
            return adjust.drop_kit(turn, agreed=False)
        if turn.pending in (ASKED_RESUME, ASKED_REDO):
            turn.set_workout(None)
            return ask_what(turn, turn.line("no.fresh"))
        if turn.pending == ASKED_START:
            return ask_what(turn, turn.line("no.start"))
        if turn.workout is not None and turn.workout.started:
            return turn.reply(turn.line("no.workout"), turn.line("prompt.next"), turn.line("reprompt.next"))
        return turn.reply(turn.line("goodbye"), end=True)
