"""Guiding the workout: each block spoken hands-free, and moving around it by voice."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from ..speech import coach
from ..speech.ssml import Ssml
from ..training.cursor import Cursor, Step
from ..training.record import PACES
from .start import ask_what, place
from .turn import ASKED_START, LAST, LAST_BLOCK, Turn, finish_workout


def no_workout(turn: Turn) -> Response:
    return ask_what(turn, turn.line("guide.no_workout"))


def hand_back(turn: Turn, ssml: Ssml, cursor: Cursor, *, block: bool = False) -> Response:
    """End a block or a move with what is next, and wait for the runner."""
    ssml.say(coach.next_up(turn.voice, cursor))
    return turn.reply(ssml, turn.line("prompt.next"), turn.line("reprompt.next"), block=block)


def finish(turn: Turn, ssml: Ssml, cursor: Cursor) -> Response:
    ssml.say(turn.line("workout.done", done=cursor.sets_done, total=cursor.total_sets))
    finish_workout(turn, cursor)
    return turn.reply(ssml, end=True)


def speak_block(turn: Turn, cursor: Cursor, step: Step) -> Ssml:
    prefs = turn.record.preferences
    return coach.block(turn.voice, turn.catalog, cursor, step, pace=PACES[prefs.pace], cues=prefs.cues,
                       dose_steps=prefs.dose_steps)


def perform(turn: Turn, cursor: Cursor, step: Step) -> Response:
    """Speak the block for `step`; `cursor` is the workout with that step done."""
    ssml = speak_block(turn, cursor, step)
    if cursor.finished:
        return finish(turn, ssml, cursor)
    turn.set_workout(cursor)
    return hand_back(turn, ssml, cursor, block=True)


def go_on(turn: Turn) -> Response:
    """Do the next block: for ready, next, resume, and yes to "ready?" or "pick up there?"."""
    cursor = turn.workout
    if cursor is None:
        return no_workout(turn)
    return perform(turn, *cursor.advance())


class Forward(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return any(is_intent_name(n)(handler_input)
                   for n in ("ReadyIntent", "AMAZON.NextIntent", "AMAZON.ResumeIntent"))

    def handle(self, handler_input: HandlerInput) -> Response:
        return go_on(Turn.of(handler_input))


class Previous(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.PreviousIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is None:
            return no_workout(turn)
        cursor, step = turn.workout.back()
        if step is None:
            return turn.reply(turn.line("guide.at_start"), turn.line("prompt.ready"), ask=ASKED_START)
        return perform(turn, cursor, step)


class Repeat(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        last = turn.session.get(LAST)
        cursor = turn.workout
        if last == LAST_BLOCK and cursor is not None and cursor.last is not None:
            # Doing a block again does not count it twice: the cursor does not move.
            ssml = speak_block(turn, cursor, cursor.last)
            return hand_back(turn, ssml, cursor, block=True)
        if isinstance(last, dict):
            return turn.reply(last["speech"], reprompt=last.get("reprompt"), ask=last.get("ask"),
                              about=last.get("about"))
        return ask_what(turn, turn.line("repeat.nothing"))


class Skip(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SkipIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is None:
            return no_workout(turn)
        cursor, step = turn.workout.skip()
        if step.is_set:
            name = turn.voice.exercise(step.exercise).name
            ssml = Ssml().say(turn.line("skip.set", name=name))
        else:
            ssml = Ssml().say(turn.line("skip.warmup"))
        if cursor.finished:
            return finish(turn, ssml, cursor)
        turn.set_workout(cursor)
        return hand_back(turn, ssml, cursor)


class StartOver(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is None:
            return no_workout(turn)
        turn.set_workout(turn.workout.start_over())
        return turn.reply(turn.line("guide.start_over"), turn.line("prompt.ready"), turn.line("reprompt.ready"),
                          ask=ASKED_START)


class Pause(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.PauseIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is None:
            return no_workout(turn)
        return turn.reply(turn.line("guide.paused", place=place(turn, turn.workout)), end=True)


class HowManyLeft(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("HowManyLeftIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is None:
            return no_workout(turn)
        left = coach.remaining(turn.voice, cursor.remaining(turn.catalog), cursor)
        return turn.reply(left, turn.line("prompt.next"), turn.line("reprompt.next"))


class Explain(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ExplainIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is None:
            return no_workout(turn)
        step = cursor.upcoming if cursor.upcoming is not None else cursor.last
        assert step is not None
        ids = (step.exercise,) if step.is_set else cursor.circuit.warmup
        ssml = Ssml()
        for exercise_id in ids:
            text = turn.voice.exercise(exercise_id)
            ssml.say(turn.line("explain", name=text.name, how_to=text.how_to))
        # An explanation does not answer a question that was pending: it stays asked.
        return turn.reply(ssml, turn.line("prompt.next" if cursor.started else "prompt.ready"),
                          turn.line("reprompt.next"), ask=turn.pending, about=turn.about)
