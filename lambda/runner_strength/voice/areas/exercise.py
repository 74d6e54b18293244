"""Which exercise: harder, easier, something else, never this one, and kit the runner does not have.

Choices worth keeping become preferences (a harder variant, a dose step, an avoided exercise); taking kit off
the runner's list is asked first.
"""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...speech import coach
from ...training.record import MAX_DOSE_STEPS
from ...training.replan import alternatives, swap, target
from ..conversation import slots
from ..conversation.questions import NO, YES, Question
from ..conversation.replies import carry_on, moved_on
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import equipment_name, exercise_name, known_equipment
from ..conversation.workout import replace_ahead, runner_request

DROP_KIT = "drop_kit"  # take this equipment off the runner's list?


class Harder(IntentHandler):
    intents = ("HarderIntent",)
    direction = "harder"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        step = target(cursor) if cursor else None
        if cursor is None or step is None:
            return carry_on(turn, turn.line("adjust.no_target"))
        exercise = turn.catalog[step.exercise]
        neighbour_id = getattr(exercise, self.direction)
        prefs = turn.record.preferences
        kit = prefs.equipment | {"none"}
        if neighbour_id and turn.catalog[neighbour_id].equipment in kit and neighbour_id not in prefs.avoid \
                and neighbour_id not in cursor.exercises:
            variants = {k: v for k, v in prefs.variants.items() if (k, v) != (neighbour_id, exercise.id)}
            variants[exercise.id] = neighbour_id
            turn.update_preferences(variants=variants)
            said = turn.line(f"adjust.{self.direction}", old=exercise_name(turn, exercise.id),
                             new=exercise_name(turn, neighbour_id))
            return moved_on(turn, swap(cursor, exercise.id, neighbour_id), said)
        # At the end of its ladder (or the next rung needs kit the runner lacks): change the dose instead.
        steps = prefs.dose_steps.get(exercise.id, 0) + (1 if self.direction == "harder" else -1)
        if abs(steps) > MAX_DOSE_STEPS:
            return carry_on(turn, turn.line(f"adjust.{self.direction}_limit", name=exercise_name(turn, exercise.id)))
        turn.update_preferences(dose_steps={**prefs.dose_steps, exercise.id: steps})
        dose = coach.dose(turn.voice, exercise.with_dose_steps(steps))
        said = turn.line(f"adjust.{self.direction}_dose", name=exercise_name(turn, exercise.id), dose=dose)
        return moved_on(turn, cursor, said)


class Easier(Harder):
    intents = ("EasierIntent",)
    direction = "easier"


class Swap(IntentHandler):
    """"Give me something else": another exercise for the same area in place of the one ahead."""

    intents = ("SwapIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        step = target(cursor) if cursor else None
        if cursor is None or step is None:
            return carry_on(turn, turn.line("adjust.no_target"))
        options = alternatives(turn.catalog, cursor, step.exercise, runner_request(turn))
        if not options:
            return carry_on(turn, turn.line("adjust.no_swap", name=exercise_name(turn, step.exercise)))
        said = turn.line("adjust.swapped", old=exercise_name(turn, step.exercise),
                         new=exercise_name(turn, options[0].id))
        return moved_on(turn, swap(cursor, step.exercise, options[0].id), said)


class NeverExercise(IntentHandler):
    intents = ("NeverExerciseIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        said = slots.resolved(handler_input, "exercise")
        if said.id is None or said.id not in turn.catalog:
            return carry_on(turn, turn.line("adjust.never_unknown", heard=said.heard or "that"))
        turn.update_preferences(avoid=turn.record.preferences.avoid | {said.id})
        line = turn.line("adjust.never", name=exercise_name(turn, said.id))
        cursor = turn.workout
        if cursor is None or said.id not in {s.exercise for s in cursor.sets_ahead}:
            return carry_on(turn, line)
        return moved_on(turn, replace_ahead(turn, cursor, said.id), line)


class LackEquipment(IntentHandler):
    """"I don't have a band". Mid-workout, when the exercise ahead needs it: swap that exercise, then ask
    before taking the band off the runner's list. Otherwise it comes off the list."""

    intents = ("LackEquipmentIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        said = slots.resolved(handler_input, "equipment").id
        if said is None or said == "NONE":
            return carry_on(turn, known_equipment(turn))
        kit = said.lower()
        cursor = turn.workout
        step = target(cursor) if cursor else None
        if cursor is not None and step is not None and turn.catalog[step.exercise].equipment == kit:
            return swap_for_missing_kit(turn, step.exercise, kit)
        turn.update_preferences(equipment=turn.record.preferences.equipment - {kit})
        return carry_on(turn, turn.line("prefs.lack", equipment=equipment_name(turn, kit)))


def swap_for_missing_kit(turn: Turn, exercise_id: str, kit: str) -> Response:
    cursor = turn.workout
    assert cursor is not None
    request = runner_request(turn)
    changed = replace_ahead(turn, cursor, exercise_id, replace(request, equipment=request.equipment - {kit}))
    new = target(changed)
    said = turn.line("kit.swapped", old=exercise_name(turn, exercise_id),
                     new=exercise_name(turn, new.exercise) if new else "", equipment=equipment_name(turn, kit))
    if kit in turn.record.preferences.equipment:
        question = turn.line("kit.confirm", equipment=equipment_name(turn, kit))
        return moved_on(turn, changed, said, prompt=question, reprompt=question, ask=DROP_KIT,
                        about={"kit": kit})
    return moved_on(turn, changed, said)


def drop_kit(turn: Turn) -> Response:
    kit = turn.about.get("kit", "")
    turn.update_preferences(equipment=turn.record.preferences.equipment - {kit})
    return carry_on(turn, turn.line("kit.dropped", equipment=equipment_name(turn, kit)))


def keep_kit(turn: Turn) -> Response:
    return carry_on(turn, turn.line("kit.kept", equipment=equipment_name(turn, turn.about.get("kit", ""))))


HANDLERS = (Harder(), Easier(), Swap(), NeverExercise(), LackEquipment())
QUESTIONS = (Question(DROP_KIT, {YES: drop_kit, NO: keep_kit}),)
