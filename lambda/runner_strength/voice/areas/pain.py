"""When something hurts: stop the set (it does not count), say the safety line, offer something gentler or
leaving the area out today, then ask whether to leave the exercise out of future workouts. Nothing about the
pain itself is stored."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...speech.ssml import Ssml
from ...training.cursor import PAIN
from ...training.progression import HURT
from ...training.replan import alternatives, leave_out, put_in
from ..conversation import interruption
from ..conversation.questions import NO, YES, Question
from ..conversation.replies import after_aside, hand_back, sum_up, tell_change
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import area_name, exercise_name
from ..conversation.workout import runner_request, skip_area

OFFER = "pain"  # swap in something gentler (yes), or leave the area out today (skip)?
AVOID = "avoid"  # leave this exercise out of future workouts?
GENTLER, SKIP_AREA, CARRY_ON = "gentler", "skip", "carry_on"


class Pain(IntentHandler):
    intents = ("PainIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        # Said in the middle of a set, it is about that set, which stops there and does not count (the kernel has
        # cut the delivery there); said in a rest or at a hand-back, about the set just done.
        cursor = turn.workout
        if interruption.in_work(turn.cut) and cursor is not None and cursor.next_step is not None \
                and cursor.next_step.is_set:
            last = cursor.next_step
            cursor = replace(cursor, paused=None)
        else:
            last = cursor.last_set_done if cursor else None
            if cursor is not None and last is not None:
                cursor = cursor.uncount_last_set()
        if cursor is None or last is None:
            said = turn.line("pain.stop_general") + " " + turn.line("pain.safety")
            if turn.cut is not None and cursor is not None:
                # Cut into the warm-up or a count before any set: stop there, not carry on into what hurt.
                cursor = interruption.without_pause(cursor)
                turn.set_workout(cursor)
                return hand_back(turn, Ssml().say(said), cursor)
            return after_aside(turn, said)
        # Progression eases it back next time, unless the runner leaves it out (training/progression.py). Today it
        # is out of the workout at once, whatever is said next: nothing goes back into the move that hurt.
        exercise = turn.catalog[last.exercise]
        place = cursor.circuit.exercises.index(exercise.id) if exercise.id in cursor.circuit.exercises else 0
        cursor = cursor.easing(exercise.id, HURT)
        gentler = alternatives(turn.catalog, cursor, exercise.id, runner_request(turn), gentler=True)
        cursor = leave_out(cursor, [exercise.id])
        if cursor.finished:
            cursor = cursor.ended_early(PAIN)  # nothing left today but what hurt, unless the gentler one is taken
        turn.set_workout(cursor)
        area = area_name(turn, exercise.area)
        speech = Ssml().say(turn.line("pain.stop", name=exercise_name(turn, exercise.id))).say(turn.line("pain.safety"))
        about = {"exercise": exercise.id, "area": exercise.area, "gentler": gentler[0].id if gentler else None,
                 "at": place}
        if gentler:
            question = turn.line("pain.offer", gentler=exercise_name(turn, gentler[0].id), area=area)
        elif cursor.finished:
            return stop_here(turn, speech, exercise.id)
        else:
            question = turn.line("pain.offer_skip", area=area)
        return turn.reply(speech, question, question, ask=OFFER, about=about)


def stop_here(turn: Turn, speech: Ssml, painful: str) -> Response:
    """Nothing is left to do today but what hurt: the workout ends here, honestly (no praise for work not done),
    in the history as ended on pain; then whether to leave the exercise out for good."""
    cursor = turn.workout
    assert cursor is not None
    question = turn.line("pain.avoid_question", name=exercise_name(turn, painful))
    return sum_up(turn, speech, cursor.ended_early(PAIN), prompt=question, reprompt=question, ask=AVOID,
                  about={"exercise": painful})


def pain_answer(turn: Turn, choice: str) -> Response:
    """Act on the pain offer, then ask whether to leave the painful exercise out of future workouts."""
    painful, area, softer = turn.about.get("exercise", ""), turn.about.get("area", ""), turn.about.get("gentler")
    question = turn.line("pain.avoid_question", name=exercise_name(turn, painful))
    ask = {"prompt": question, "reprompt": question, "ask": AVOID, "about": {"exercise": painful}}
    cursor = turn.workout
    if choice == SKIP_AREA and area:
        return skip_area(turn, area, turn.line("pain.skipped", area=area_name(turn, area)), why=PAIN, **ask)
    if cursor is None:
        return turn.reply("", **ask)
    if choice == GENTLER and softer:
        changed = put_in(cursor, softer, int(turn.about.get("at", 0)), instead_of=painful)
        return tell_change(turn, changed, turn.line("pain.swapped", new=exercise_name(turn, softer)), **ask)
    if cursor.finished:
        return stop_here(turn, Ssml(), painful)
    return tell_change(turn, cursor, turn.line("pain.carry_on", name=exercise_name(turn, painful)), **ask)


def offer_taken(turn: Turn) -> Response:
    """Yes: with something gentler offered, take it; with only leaving the area out offered, do that."""
    return pain_answer(turn, GENTLER if turn.about.get("gentler") else SKIP_AREA)


def offer_declined(turn: Turn) -> Response:
    """No: carry on without the exercise that hurt (it is out of today's workout already)."""
    return pain_answer(turn, CARRY_ON)


def leave_area_out(turn: Turn) -> Response:
    return pain_answer(turn, SKIP_AREA)


def avoid_answer(turn: Turn, agreed: bool) -> Response:
    painful = turn.about.get("exercise", "")
    if agreed and painful in turn.catalog:
        turn.update_preferences(avoid=turn.record.preferences.avoid | {painful})
        said = turn.line("pain.avoided", name=exercise_name(turn, painful))
    else:
        said = turn.line("pain.not_avoided")
    cursor = turn.workout
    if cursor is not None and not cursor.finished:
        return hand_back(turn, Ssml().say(said), cursor)
    return turn.reply(said + " " + turn.line("goodbye"), end=True)


HANDLERS = (Pain(),)
QUESTIONS = (
    # "Skip it" leaves the area out (rather than skipping one set); "something else" takes the gentler one.
    Question(OFFER, {YES: offer_taken, NO: offer_declined, "SkipIntent": leave_area_out, "SwapIntent": offer_taken}),
    Question(AVOID, {YES: lambda turn: avoid_answer(turn, True), NO: lambda turn: avoid_answer(turn, False)}),
)
