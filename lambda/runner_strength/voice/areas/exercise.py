"""Which exercise: harder, easier, something else, never this one, and kit the runner does not have.

What "this one" means is decided by the cursor: harder and easier are about the set just done (before any set,
the one coming up); something else and missing kit about what is coming up. Every reply names the exercise it
acted on. A harder or easier choice holds for the rest of today, and is kept for next time unless the runner
says no when they hear it will be.
"""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...speech import coach
from ...speech.ssml import Ssml
from ...speech.workout import SETUP, Opening
from ...training.catalog import LEVELS, Exercise
from ...training.cursor import Cursor, Step
from ...training.progression import TOO_HARD
from ...training.record import MAX_DOSE_STEPS
from ...training.replan import alternatives, swap
from ..conversation import interruption, slots
from ..conversation.questions import NO, YES, Question
from ..conversation.replies import after_aside, deliver, hand_back, tell_change, todays_doses
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import equipment_name, exercise_name, known_equipment
from ..conversation.workout import replace_ahead, runner_request

DROP_KIT = "drop_kit"  # take this equipment off the runner's list?
KEEP_CHANGE = "keep_change"  # a harder or easier choice: kept for next time unless the runner says no


class Harder(IntentHandler):
    intents = ("HarderIntent",)
    direction = "harder"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        step = about_this_one(turn)
        if cursor is None or step is None:
            return after_aside(turn, turn.line("adjust.no_target"))
        cursor = interruption.without_pause(cursor)  # a set cut part-way is done again, as changed
        exercise = turn.catalog[step.exercise]
        name = exercise_name(turn, exercise.id)
        later_today = exercise.id in {s.exercise for s in cursor.sets_ahead}
        if self.direction == "easier":
            cursor = cursor.easing(exercise.id, TOO_HARD)  # progression does not grow it from today
        neighbour_id = getattr(exercise, self.direction)
        prefs = turn.record.preferences
        if neighbour_id and self.takes(turn, cursor, neighbour_id):
            variants = {k: v for k, v in prefs.variants.items() if (k, v) != (neighbour_id, exercise.id)}
            variants[exercise.id] = neighbour_id
            turn.update_preferences(variants=variants)
            new = exercise_name(turn, neighbour_id)
            said = turn.line(f"adjust.{self.direction}" if later_today else f"adjust.{self.direction}_next",
                             old=name, new=new)
            return kept_unless_no(turn, swap(cursor, exercise.id, neighbour_id), said)
        # At the end of its ladder (or the next rung needs kit the runner lacks): change the dose instead.
        steps = todays_doses(turn, cursor).get(exercise.id, 0) + (1 if self.direction == "harder" else -1)
        if abs(steps) > MAX_DOSE_STEPS:
            turn.set_workout(cursor)
            return after_aside(turn, turn.line(f"adjust.{self.direction}_limit", name=name))
        turn.update_preferences(dose_steps={**prefs.dose_steps, exercise.id: steps})
        dose = coach.dose(turn.voice.text, exercise.with_dose_steps(steps))
        # At the end of its ladder, "as hard as it gets"; with a rung above left for another day, build this one first.
        key = "adjust.harder_dose_first" if self.direction == "harder" and neighbour_id else \
            f"adjust.{self.direction}_dose"
        said = turn.line(key, name=name, dose=dose)
        return kept_unless_no(turn, cursor.with_dose(exercise.id, steps), said)


    def takes(self, turn: Turn, cursor: Cursor, neighbour_id: str) -> bool:
        """Whether the next rung is one to move to now: the runner's kit, not avoided, not in today's workout, sparing
        a part sore today; and, going up, one rung at a time: never more than a level above the runner's, nor, for a
        runner below advanced, a move that leaves the legs tired for days (a hard eccentric, plyometrics) part-way
        through a workout. Otherwise the dose changes instead."""
        neighbour, prefs = turn.catalog[neighbour_id], turn.record.preferences
        if neighbour.equipment not in prefs.equipment | {"none"} or neighbour_id in prefs.avoid \
                or neighbour_id in cursor.exercises or not neighbour.spares(turn.record.sore_today(turn.today)):
            return False
        return self.direction == "easier" or self.rung_allowed(prefs.level, neighbour, cursor.started)

    @staticmethod
    def rung_allowed(level: str, up: Exercise, started: bool) -> bool:
        rank = LEVELS.index(level)
        return up.level_rank <= rank + 1 and not (up.high_fatigue and started and rank < LEVELS.index("advanced"))


def about_this_one(turn: Turn) -> Step | None:
    """The set "too hard" or "too easy" is about: the one being done when it cut in; else the set just done (in
    its rest, or at a hand-back); before any set, the one coming up."""
    cursor = turn.workout
    if cursor is None:
        return None
    if interruption.in_work(turn.cut) and cursor.next_step is not None and cursor.next_step.is_set:
        return cursor.next_step
    return cursor.last_set_done or cursor.next_set


class Easier(Harder):
    intents = ("EasierIntent",)
    direction = "easier"


def kept_unless_no(turn: Turn, cursor: Cursor, said: str) -> Response:
    """Say the change, that it will be kept for next time, and what is next; a no keeps it to today."""
    question = turn.line("keep.change")
    return tell_change(turn, cursor, said, prompt=question, reprompt=turn.line("keep.change_reprompt"),
                    ask=KEEP_CHANGE, about={})


def change_kept(turn: Turn) -> Response:
    return after_answer(turn, turn.line("keep.change_kept"))


def change_for_today(turn: Turn) -> Response:
    turn.undo_preferences()
    return after_answer(turn, turn.line("keep.change_today"))


def after_answer(turn: Turn, said: str) -> Response:
    """The answer said, then on with the workout: what is next, with time to set up."""
    cursor = turn.workout
    if cursor is None:
        return turn.reply(said + " " + turn.line("goodbye"), end=True)
    if not cursor.started:
        return hand_back(turn, Ssml().say(said), cursor)
    return deliver(turn, Opening(SETUP), lead=said)


class Swap(IntentHandler):
    """"Give me something else": another exercise for the same area in place of the one coming up."""

    intents = ("SwapIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        step = cursor.next_set if cursor else None
        if cursor is None or step is None:
            return after_aside(turn, turn.line("adjust.no_target"))
        cursor = interruption.without_pause(cursor)  # the one it cut into (or its rest) is the one swapped
        options = alternatives(turn.catalog, cursor, step.exercise, runner_request(turn))
        if not options:
            return after_aside(turn, turn.line("adjust.no_swap", name=exercise_name(turn, step.exercise)))
        said = turn.line("adjust.swapped", old=exercise_name(turn, step.exercise),
                         new=exercise_name(turn, options[0].id))
        return tell_change(turn, swap(cursor, step.exercise, options[0].id), said)


class NeverExercise(IntentHandler):
    intents = ("NeverExerciseIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        said = slots.resolved(handler_input, "exercise", turn.catalog.exercises)
        if said.id is None or said.id not in turn.catalog:
            return after_aside(turn, turn.line("adjust.never_unknown", heard=said.heard or "that"))
        turn.update_preferences(avoid=turn.record.preferences.avoid | {said.id})
        line = turn.line("adjust.never", name=exercise_name(turn, said.id))
        cursor = turn.workout
        if cursor is None or said.id not in {s.exercise for s in cursor.sets_ahead}:
            return after_aside(turn, line)
        return tell_change(turn, replace_ahead(turn, cursor, said.id), line)


class LackEquipment(IntentHandler):
    """"I don't have a band". During a workout every exercise ahead that needs it is swapped, then the runner
    is asked before the band comes off their list; with no workout it comes off the list."""

    intents = ("LackEquipmentIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        said = slots.resolved(handler_input, "equipment", slots.EQUIPMENT_IDS).id
        if said is None or said == "NONE":
            return after_aside(turn, known_equipment(turn))
        kit = said.lower()
        cursor = turn.workout
        if cursor is not None and not cursor.finished:
            return without_kit(turn, cursor, kit)
        turn.update_preferences(equipment=turn.record.preferences.equipment - {kit})
        return after_aside(turn, turn.line("prefs.lack", equipment=equipment_name(turn, kit)))


def without_kit(turn: Turn, cursor: Cursor, kit: str) -> Response:
    """Swap every exercise ahead that needs `kit` (said in one sentence), then ask about the list."""
    request = runner_request(turn)
    request = replace(request, equipment=request.equipment - {kit})
    needing = [e for e in dict.fromkeys(s.exercise for s in cursor.sets_ahead) if turn.catalog[e].equipment == kit]
    changed = cursor
    for exercise_id in needing:
        changed = replace_ahead(turn, changed, exercise_id, request)
    equipment = equipment_name(turn, kit)
    if needing:
        ahead = list(dict.fromkeys(s.exercise for s in changed.sets_ahead))
        olds = [exercise_name(turn, e) for e in needing]
        news = [exercise_name(turn, e) for e in ahead if e not in cursor.exercises]
        said = turn.line("kit.swapped", old=turn.voice.listing(olds), new=turn.voice.listing(news) or
                         turn.line("kit.nothing_new"), equipment=equipment)
    else:
        said = turn.line("kit.not_needed", equipment=equipment)
    if kit in turn.record.preferences.equipment:
        question = turn.line("kit.confirm", equipment=equipment)
        return tell_change(turn, changed, said, prompt=question, reprompt=question, ask=DROP_KIT, about={"kit": kit})
    return tell_change(turn, changed, said)


def drop_kit(turn: Turn) -> Response:
    kit = turn.about.get("kit", "")
    turn.update_preferences(equipment=turn.record.preferences.equipment - {kit})
    return after_aside(turn, turn.line("kit.dropped", equipment=equipment_name(turn, kit)))


def keep_kit(turn: Turn) -> Response:
    return after_aside(turn, turn.line("kit.kept", equipment=equipment_name(turn, turn.about.get("kit", ""))))


HANDLERS = (Harder(), Easier(), Swap(), NeverExercise(), LackEquipment())
QUESTIONS = (
    Question(DROP_KIT, {YES: drop_kit, NO: keep_kit}, about=frozenset({"kit"})),
    # "Undo that" while asked is the runner's no: the change stays for today only.
    Question(KEEP_CHANGE, {YES: change_kept, NO: change_for_today, "UndoIntent": change_for_today}),
)
