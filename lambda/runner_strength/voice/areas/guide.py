"""Guiding the workout: each block spoken hands-free, and moving around it by voice. Also the answers to
"ready?", and a yes or no when nothing was asked."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...speech import coach
from ...speech.ssml import Ssml
from ...training.record import PACES
from ..conversation import interruption, slots
from ..conversation.questions import NO, READY, YES, Question
from ..conversation.replies import (
    after_aside,
    ask_if_ready,
    ask_what_to_train,
    do_next_block,
    hand_back,
    pick_up_point,
    replay,
    say_no_workout,
    speak_block,
    sum_up,
)
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import exercise_name


class Forward(IntentHandler):
    intents = ("ReadyIntent", "AMAZON.NextIntent", "AMAZON.ResumeIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        return do_next_block(Turn.of(handler_input))


class Previous(IntentHandler):
    intents = ("AMAZON.PreviousIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is None:
            return say_no_workout(turn)
        cursor, step = turn.workout.back()
        if step is None:
            return ask_if_ready(turn, turn.line("guide.at_start"))
        return speak_block(turn, cursor, step)


class Repeat(IntentHandler):
    """The last response again, whole: a block is replayed, not done twice."""

    intents = ("AMAZON.RepeatIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return replay(turn) or after_aside(turn, turn.line("repeat.nothing"))


class Skip(IntentHandler):
    intents = ("SkipIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is None:
            return say_no_workout(turn)
        upcoming = turn.workout.next_step
        if slots.resolved(handler_input, "warmup").id and (upcoming is None or upcoming.is_set):
            # "Skip the warm-up" once it is behind the runner is about nothing ahead: nothing is skipped.
            return hand_back(turn, Ssml().say(turn.line("skip.warmup_done")), turn.workout)
        cursor, step = turn.workout.skip()
        if step.is_set:
            ssml = Ssml().say(turn.line("skip.set", name=exercise_name(turn, step.exercise)))
        else:
            ssml = Ssml().say(turn.line("skip.warmup"))
        if cursor.finished:
            return sum_up(turn, ssml, cursor)
        turn.set_workout(cursor)
        return hand_back(turn, ssml, cursor)


class StartOver(IntentHandler):
    intents = ("AMAZON.StartOverIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is None:
            return say_no_workout(turn)
        turn.set_workout(turn.workout.start_over())
        return ask_if_ready(turn, turn.line("guide.start_over"))


class Pause(IntentHandler):
    """"Alexa, pause" or "wait": in the middle of a set or rest, the place within it is kept (the set does not
    count yet) and the next "open Runner Strength" picks up there; the session ends, as Alexa's pause does."""

    intents = ("AMAZON.PauseIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is None:
            return say_no_workout(turn)
        paused = interruption.interrupt(turn)
        cursor = turn.workout
        if paused and cursor is not None and cursor.next_step is not None:
            kind, words = interruption.stopped_at(turn, paused, cursor.next_step)
            return turn.reply(turn.line(f"paused.{kind}", **words), end=True)
        return turn.reply(turn.line("guide.paused", place=pick_up_point(turn, turn.workout)), end=True)


class HowManyLeft(IntentHandler):
    intents = ("HowManyLeftIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is None:
            return say_no_workout(turn)
        prefs = turn.record.preferences
        left = cursor.remaining(turn.catalog, PACES[prefs.pace], prefs.cues, prefs.dose_steps)
        return after_aside(turn, coach.remaining(turn.voice, left, cursor))


class Explain(IntentHandler):
    intents = ("ExplainIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is None:
            return say_no_workout(turn)
        step = cursor.next_step if cursor.next_step is not None else cursor.previous_step
        assert step is not None
        ids = (step.exercise,) if step.is_set else cursor.circuit.warmup
        ssml = Ssml()
        for exercise_id in ids:
            text = turn.voice.exercise(exercise_id)
            ssml.say(turn.line("explain", name=text.name, how_to=text.how_to))
        return after_aside(turn, ssml)


class PlainYes(IntentHandler):
    """A yes with no question pending: with a workout, carry on with it."""

    intents = (YES,)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.workout is not None:
            return do_next_block(turn)
        return ask_what_to_train(turn, turn.line("yes.nothing"))


class PlainNo(IntentHandler):
    """A no with no question pending: in a workout, take your time; otherwise goodbye."""

    intents = (NO,)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.in_workout:
            return turn.reply(turn.line("no.workout"), turn.line("prompt.next"), turn.line("reprompt.next"))
        return turn.reply(turn.line("goodbye"), end=True)


def not_ready(turn: Turn) -> Response:
    return ask_what_to_train(turn, turn.line("no.start"))


HANDLERS = (Forward(), Previous(), Repeat(), Skip(), StartOver(), Pause(), HowManyLeft(), Explain(), PlainYes(),
            PlainNo())
QUESTIONS = (Question(READY, {YES: do_next_block, NO: not_ready}),)
