"""Guiding the workout: each delivery spoken hands-free, and moving around it by voice, from a hand-back or in the
middle of a delivery (the kernel has placed the request on the delivery's timeline: `Turn.cut`). Also the answers
to "ready?", a yes or no when nothing was asked, and finishing early."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...speech import coach
from ...speech.ssml import Ssml
from ...speech.workout import REST_FIRST, SETUP, Opening, setup
from ...training.cursor import Cursor
from ...training.record import PACES
from ..conversation import interruption, slots
from ..conversation.questions import NO, READY, YES, Question
from ..conversation.replies import (
    after_aside,
    ask_if_ready,
    ask_what_to_train,
    deliver,
    do_next_block,
    hand_back,
    pick_up_point,
    replay,
    say_no_workout,
    sum_up,
)
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import exercise_name


def at_step(turn: Turn) -> int:
    """The step the runner is at: where the request cut in, else the next one (at a hand-back)."""
    assert turn.workout is not None
    return int(turn.cut["step"]) if turn.cut is not None else turn.workout.position


class WorkoutHandler(IntentHandler):
    """An intent about the workout under way; with none, the runner is asked what to train."""

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is None:
            return say_no_workout(turn)
        return self.handle_workout(turn, cursor)

    def handle_workout(self, turn: Turn, cursor: Cursor) -> Response:
        raise NotImplementedError


class Forward(IntentHandler):
    """"Go", "next", "ready": on with the workout. Said in a rest, the rest is over; said in a set, the runner is
    through with it (it counts), and the rest after it follows; said in the warm-up, it is over."""

    intents = ("ReadyIntent", "AMAZON.NextIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor, place = turn.workout, turn.cut
        if cursor is None or place is None:
            return do_next_block(turn)
        cursor = interruption.without_pause(cursor)
        if interruption.in_work(place):
            cursor = cursor.delivered([int(place["step"])])
            turn.set_workout(cursor)
            if cursor.finished:
                return sum_up(turn, Ssml(), cursor)
            after_warmup = not cursor.steps[int(place["step"])].is_set
            return deliver(turn, Opening(SETUP if after_warmup else REST_FIRST))
        turn.set_workout(cursor)
        return deliver(turn)


class Resume(IntentHandler):
    """"Resume", "carry on": after a pause, pick up where it stopped; at a hand-back, what is next with time to set
    up (the runner may have been away); said in a delivery, it carries on."""

    intents = ("AMAZON.ResumeIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return deliver(turn, None if turn.cut is not None else Opening(SETUP))


class Previous(WorkoutHandler):
    """"Go back": the set before the one the runner is at, never a whole warm-up."""

    intents = ("AMAZON.PreviousIntent",)

    def handle_workout(self, turn: Turn, cursor: Cursor) -> Response:
        here = at_step(turn)
        before = [i for i in range(min(here, len(cursor.steps)) - 1, -1, -1) if cursor.steps[i].is_set]
        if not before:
            return after_aside(turn, turn.line("guide.at_start"))
        target = before[0]
        turn.set_workout(cursor.back_to(target))
        said = turn.line("back.to", name=exercise_name(turn, cursor.steps[target].exercise))
        return deliver(turn, Opening(SETUP), lead=said)


class Repeat(IntentHandler):
    """"Say that again": in a workout, the instruction for what the runner is at (how to set up, and the cue); the
    delivery carries on if it was cut. Before a workout starts, the last response again, whole."""

    intents = ("AMAZON.RepeatIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is None or cursor.finished or (not cursor.started and turn.cut is None):
            return replay(turn) or after_aside(turn, turn.line("repeat.nothing"))
        return after_aside(turn, instruction(turn, at_step(turn)))


def instruction(turn: Turn, index: int) -> str:
    """How to set up and the cue, for the step at `index` (for a warm-up cut part-way, its drill)."""
    cursor = turn.workout
    assert cursor is not None
    step = cursor.steps[min(index, len(cursor.steps) - 1)]
    if step.is_set:
        text = turn.voice.exercise(step.exercise)
        return turn.line("repeat.instruction", name=text.name, setup=setup(turn.voice, step.exercise), cue=text.cue)
    drills = cursor.circuit.warmup
    mark = int((turn.cut or {}).get("mark", -1))
    drill = drills[mark] if 0 <= mark < len(drills) else (drills[0] if drills else None)
    if drill is None:
        return turn.line("repeat.nothing")
    text = turn.voice.exercise(drill)
    return turn.line("repeat.drill", name=text.name, cue=text.cue)


class Skip(WorkoutHandler):
    """"Skip this one": the set the runner is at (said in its rest or in it; at a hand-back, the one coming up),
    which does not count; on to the next with time to set up. "Skip the warm-up" skips the warm-up, or nothing
    once it is behind the runner."""

    intents = ("SkipIntent",)

    def handle_workout(self, turn: Turn, cursor: Cursor) -> Response:
        here = at_step(turn)
        step = cursor.steps[here] if here < len(cursor.steps) else None
        if slots.resolved(turn.input, "warmup", ("WARMUP",)).id and (step is None or step.is_set):
            # "Skip the warm-up" once it is behind the runner is about nothing ahead: nothing is skipped.
            return after_aside(turn, turn.line("skip.warmup_done"))
        if step is None:
            return after_aside(turn, turn.line("skip.nothing"))
        cursor = replace(interruption.without_pause(cursor), position=here)
        cursor, skipped = cursor.skip()
        said = turn.line("skip.set", name=exercise_name(turn, skipped.exercise)) if skipped.is_set \
            else turn.line("skip.warmup")
        if cursor.finished:
            return sum_up(turn, Ssml().say(said), cursor)
        turn.set_workout(cursor)
        return deliver(turn, Opening(SETUP), lead=said)


class StartOver(WorkoutHandler):
    intents = ("AMAZON.StartOverIntent",)

    def handle_workout(self, turn: Turn, cursor: Cursor) -> Response:
        turn.set_workout(cursor.start_over())
        return ask_if_ready(turn, turn.line("guide.start_over"))


class Pause(WorkoutHandler):
    """"Alexa, pause" or "wait": in the middle of a set, a rest or the warm-up, the place within it is kept (the set
    does not count yet) and the next "open Runner Strength" picks up there; the session ends, as Alexa's pause
    does."""

    intents = ("AMAZON.PauseIntent",)

    def handle_workout(self, turn: Turn, cursor: Cursor) -> Response:
        if cursor.finished:  # after its last response: nothing left to pause
            return turn.reply(turn.line("goodbye"), end=True)
        place = turn.cut
        if place is not None and place.get("kind") != interruption.START and cursor.next_step is not None:
            kind, words = interruption.stopped_at(turn, place)
            return turn.reply(turn.line(f"paused.{kind}", **words), end=True)
        return turn.reply(turn.line("guide.paused", place=pick_up_point(turn, cursor)), end=True)


class HowManyLeft(WorkoutHandler):
    intents = ("HowManyLeftIntent",)

    def handle_workout(self, turn: Turn, cursor: Cursor) -> Response:
        prefs = turn.record.preferences
        left = cursor.remaining(turn.catalog, PACES[prefs.pace], prefs.dose_steps)
        return after_aside(turn, coach.remaining(turn.voice, left, cursor))


class Explain(WorkoutHandler):
    """"How do I do this": the exercise the runner is at (in it, or setting up for it); the warm-up's drills."""

    intents = ("ExplainIntent",)

    def handle_workout(self, turn: Turn, cursor: Cursor) -> Response:
        here = min(at_step(turn), len(cursor.steps) - 1)
        step = cursor.steps[here]
        drills = cursor.circuit.warmup
        if step.is_set:
            explained = step.exercise
        elif interruption.in_work(turn.cut) and 0 <= int(turn.cut.get("mark", -1)) < len(drills):
            explained = drills[int(turn.cut["mark"])]  # the drill under way
        else:
            # Before the warm-up: what it is, not every drill's how-to (a minute of talk before moving at all).
            names = turn.voice.listing([turn.voice.exercise(d).name for d in drills])
            return after_aside(turn, turn.line("explain.warmup", drills=names))
        text = turn.voice.exercise(explained)
        return after_aside(turn, turn.line("explain", name=text.name, how_to=text.how_to))


class FinishEarly(IntentHandler):
    """"I'm done for today", "finish the workout": the workout ends here, in the history with what was done, and is
    not offered to pick up later."""

    intents = ("FinishWorkoutIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        if cursor is None or cursor.finished:  # finished: its last response was heard, and is closed with this turn
            return turn.reply(turn.line("goodbye"), end=True)
        if cursor.sets_done == 0:
            turn.set_workout(None)
            return turn.reply(turn.line("finish.nothing_done"), end=True)
        return sum_up(turn, Ssml().say(turn.line("finish.early")), interruption.without_pause(cursor).ended_early())


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
        if turn.in_workout and turn.workout is not None:
            if turn.cut is not None:
                return after_aside(turn, turn.line("no.workout"))
            return hand_back(turn, Ssml().say(turn.line("no.workout")), turn.workout)
        return turn.reply(turn.line("goodbye"), end=True)


def not_ready(turn: Turn) -> Response:
    return ask_what_to_train(turn, turn.line("no.start"))


HANDLERS = (Forward(), Resume(), Previous(), Repeat(), Skip(), StartOver(), Pause(), HowManyLeft(), Explain(),
            FinishEarly(), PlainYes(), PlainNo())
QUESTIONS = (Question(READY, {YES: do_next_block, NO: not_ready}),)
