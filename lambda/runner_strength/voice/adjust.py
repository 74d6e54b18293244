"""Changing the workout by voice while it runs: areas, harder or easier, swaps, missing kit, and pain.

Each change re-plans only what is ahead (training/replan.py); the runner hears in a sentence what changed and
what is next. Choices worth keeping become preferences; pain is never stored, only "avoid this exercise" if the
runner agrees.
"""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ..speech import coach
from ..speech.ssml import Ssml
from ..training.builder import CircuitRequest
from ..training.catalog import AREAS
from ..training.cursor import Cursor
from ..training.record import MAX_DOSE_STEPS
from ..training.replan import alternatives, replan, shape_after_adding, swap, target
from . import slots
from .guide import finish, hand_back
from .preferences import equipment_name, update
from .start import carry_on, offer, runner_request
from .turn import ASKED_AVOID, ASKED_DROP_KIT, ASKED_PAIN, IntentHandler, Turn, finish_workout


def name(turn: Turn, exercise_id: str) -> str:
    return turn.voice.exercise(exercise_id).name


def area_name(turn: Turn, area: str) -> str:
    return turn.voice.area(area)


def moved_on(turn: Turn, cursor: Cursor, said: str, **ask) -> Response:
    """Say what changed, then what is next; or end the workout if nothing is left."""
    ssml = Ssml().say(said)
    if cursor.finished and ask:
        # Nothing left, but a question still to answer: finish the workout and keep the session for it.
        ssml.say(turn.line("workout.done", done=cursor.sets_done, total=cursor.total_sets))
        finish_workout(turn, cursor)
        return turn.reply(ssml, **ask)
    if cursor.finished:
        return finish(turn, ssml, cursor)
    turn.set_workout(cursor)
    if ask:
        ssml.say(coach.next_up(turn.voice, cursor))
        return turn.reply(ssml, **ask)
    return hand_back(turn, ssml, cursor)


def replanned(turn: Turn, areas: tuple[str, ...], focus: bool) -> Cursor:
    assert turn.workout is not None
    return replan(turn.workout, turn.catalog, areas, focus, runner_request(turn), turn.services.seed())


def area_slot(handler_input: HandlerInput, turn: Turn) -> str | Response:
    """The area the runner named, or the re-ask listing the areas."""
    said = slots.resolved(handler_input, "area")
    if said.id:
        return said.id
    areas = turn.voice.listing([area_name(turn, a) for a in AREAS])
    return carry_on(turn, turn.line("area.unknown", heard=said.heard or "that", areas=areas))


class AreaWanted(IntentHandler):
    """An area the runner wants: back in today if it was left out, and a focus circuit on it if there is no
    workout yet; `change` says what it does to a running workout."""

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        area = area_slot(handler_input, turn)
        if not isinstance(area, str):
            return area
        turn.record = turn.record.unskipping(area, turn.today)
        if turn.workout is None:
            return offer(turn, replace(runner_request(turn), areas=(area,)))
        return self.change(turn, area)

    def change(self, turn: Turn, area: str) -> Response:
        raise NotImplementedError


class AddArea(AreaWanted):
    intent = "AddAreaIntent"

    def change(self, turn: Turn, area: str) -> Response:
        assert turn.workout is not None
        if area in turn.workout.circuit.areas:
            return carry_on(turn, turn.line("adjust.already", area=area_name(turn, area)))
        areas, focus = shape_after_adding(turn.workout, area)
        return moved_on(turn, replanned(turn, areas, focus), turn.line("adjust.added", area=area_name(turn, area)))


class RemoveArea(IntentHandler):
    intent = "RemoveAreaIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        area = area_slot(handler_input, turn)
        if not isinstance(area, str):
            return area
        return skip_area(turn, area)


def skip_area(turn: Turn, area: str, said: str | None = None, **ask) -> Response:
    """Leave an area out for today: from what is ahead now, and from any circuit built today."""
    turn.record = turn.record.skipping(area, turn.today)
    said = said or turn.line("adjust.removed", area=area_name(turn, area))
    cursor = turn.workout
    if cursor is None or area not in cursor.circuit.areas:
        return carry_on(turn, said) if not ask else turn.reply(said, **ask)
    areas = tuple(a for a in cursor.circuit.areas if a != area)
    return moved_on(turn, replanned(turn, areas, cursor.circuit.focus and len(areas) <= 2), said, **ask)


class FocusArea(AreaWanted):
    intent = "FocusAreaIntent"

    def change(self, turn: Turn, area: str) -> Response:
        return moved_on(turn, replanned(turn, (area,), True), turn.line("adjust.focus", area=area_name(turn, area)))


class AlwaysArea(IntentHandler):
    intent = "AlwaysAreaIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        area = area_slot(handler_input, turn)
        if not isinstance(area, str):
            return area
        prefs = turn.record.preferences
        update(turn, always_areas=tuple(dict.fromkeys((*prefs.always_areas, area))))
        return carry_on(turn, turn.line("adjust.always", area=area_name(turn, area)))


class NeverExercise(IntentHandler):
    intent = "NeverExerciseIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        said = slots.resolved(handler_input, "exercise")
        if said.id is None or said.id not in turn.catalog:
            return carry_on(turn, turn.line("adjust.never_unknown", heard=said.heard or "that"))
        prefs = turn.record.preferences
        update(turn, avoid=prefs.avoid | {said.id})
        line = turn.line("adjust.never", name=name(turn, said.id))
        cursor = turn.workout
        if cursor is None or said.id not in {s.exercise for s in cursor.sets_ahead}:
            return carry_on(turn, line)
        return moved_on(turn, replace_ahead(turn, cursor, said.id), line)


def replace_ahead(turn: Turn, cursor: Cursor, exercise_id: str, request: CircuitRequest | None = None) -> Cursor:
    """Another exercise for the same area in its place ahead, or, with none to be had, the area's plan
    rebuilt without it."""
    request = request or runner_request(turn)
    options = alternatives(turn.catalog, cursor, exercise_id, request)
    if options:
        return swap(cursor, exercise_id, options[0].id)
    return replan(cursor, turn.catalog, cursor.circuit.areas, cursor.circuit.focus,
                  replace(request, avoid=request.avoid | {exercise_id}), turn.services.seed())


class Harder(IntentHandler):
    intent = "HarderIntent"
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
            update(turn, variants=variants)
            said = turn.line(f"adjust.{self.direction}", old=name(turn, exercise.id), new=name(turn, neighbour_id))
            return moved_on(turn, swap(cursor, exercise.id, neighbour_id), said)
        # At the end of its ladder (or the next rung needs kit the runner lacks): change the dose instead.
        steps = prefs.dose_steps.get(exercise.id, 0) + (1 if self.direction == "harder" else -1)
        if abs(steps) > MAX_DOSE_STEPS:
            return carry_on(turn, turn.line(f"adjust.{self.direction}_limit", name=name(turn, exercise.id)))
        update(turn, dose_steps={**prefs.dose_steps, exercise.id: steps})
        dose = coach.dose(turn.voice, exercise.with_dose_steps(steps))
        said = turn.line(f"adjust.{self.direction}_dose", name=name(turn, exercise.id), dose=dose)
        return moved_on(turn, cursor, said)


class Easier(Harder):
    intent = "EasierIntent"
    direction = "easier"


class Swap(IntentHandler):
    intent = "SwapIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        if turn.pending == ASKED_PAIN:
            return pain_answer(turn, GENTLER if turn.about.get("gentler") else SKIP_AREA)
        cursor = turn.workout
        step = target(cursor) if cursor else None
        if cursor is None or step is None:
            return carry_on(turn, turn.line("adjust.no_target"))
        options = alternatives(turn.catalog, cursor, step.exercise, runner_request(turn))
        if not options:
            return carry_on(turn, turn.line("adjust.no_swap", name=name(turn, step.exercise)))
        said = turn.line("adjust.swapped", old=name(turn, step.exercise), new=name(turn, options[0].id))
        return moved_on(turn, swap(cursor, step.exercise, options[0].id), said)


def lacking_kit(turn: Turn, kit: str) -> Response | None:
    """Mid-workout "I don't have a band": swap out the exercise ahead that needs it, then ask before taking the
    band off the runner's list. None when nothing ahead needs it (the plain preference handler does the rest)."""
    cursor = turn.workout
    step = target(cursor) if cursor else None
    if cursor is None or step is None or turn.catalog[step.exercise].equipment != kit:
        return None
    request = runner_request(turn)
    request = replace(request, equipment=request.equipment - {kit})
    changed = replace_ahead(turn, cursor, step.exercise, request)
    new = target(changed)
    said = turn.line("kit.swapped", old=name(turn, step.exercise), new=name(turn, new.exercise) if new else "",
                     equipment=equipment_name(turn, kit))
    if kit in turn.record.preferences.equipment:
        question = turn.line("kit.confirm", equipment=equipment_name(turn, kit))
        return moved_on(turn, changed, said, prompt=question, reprompt=question, ask=ASKED_DROP_KIT,
                        about={"kit": kit})
    return moved_on(turn, changed, said)


def drop_kit(turn: Turn, agreed: bool) -> Response:
    kit = turn.about.get("kit", "")
    if agreed:
        update(turn, equipment=turn.record.preferences.equipment - {kit})
        return carry_on(turn, turn.line("kit.dropped", equipment=equipment_name(turn, kit)))
    return carry_on(turn, turn.line("kit.kept", equipment=equipment_name(turn, kit)))


class Pain(IntentHandler):
    """Stop the exercise (it does not count), say the safety line, offer something gentler or skipping the
    area. Nothing about the pain is stored."""

    intent = "PainIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        cursor = turn.workout
        last = cursor.last if cursor else None
        if cursor is None or last is None or not last.is_set:
            return carry_on(turn, turn.line("pain.stop_general") + " " + turn.line("pain.safety"))
        cursor = cursor.uncount_last()
        turn.set_workout(cursor)
        exercise = turn.catalog[last.exercise]
        area = area_name(turn, exercise.area)
        speech = Ssml().say(turn.line("pain.stop", name=name(turn, exercise.id))).say(turn.line("pain.safety"))
        gentler = alternatives(turn.catalog, cursor, exercise.id, runner_request(turn), gentler=True)
        about = {"exercise": exercise.id, "area": exercise.area, "gentler": gentler[0].id if gentler else None}
        if gentler:
            question = turn.line("pain.offer", gentler=name(turn, gentler[0].id), area=area)
        else:
            question = turn.line("pain.offer_skip", area=area)
        return turn.reply(speech, question, question, ask=ASKED_PAIN, about=about)


GENTLER, SKIP_AREA, CARRY_ON = "gentler", "skip", "carry_on"


def pain_choice(turn: Turn, said_yes: bool | None) -> str:
    """What a yes or no to the pain offer means: with a gentler exercise offered, yes takes it and no leaves
    the area out; with only leaving the area out offered, yes does that and no carries on as planned."""
    if said_yes is None:
        return SKIP_AREA
    if turn.about.get("gentler"):
        return GENTLER if said_yes else SKIP_AREA
    return SKIP_AREA if said_yes else CARRY_ON


def pain_answer(turn: Turn, choice: str) -> Response:
    """Act on the pain offer, then ask whether to leave the painful exercise out of future workouts."""
    painful, area, softer = turn.about.get("exercise", ""), turn.about.get("area", ""), turn.about.get("gentler")
    question = turn.line("pain.avoid_question", name=name(turn, painful))
    ask = {"prompt": question, "reprompt": question, "ask": ASKED_AVOID, "about": {"exercise": painful}}
    cursor = turn.workout
    if choice == SKIP_AREA and area:
        return skip_area(turn, area, turn.line("pain.skipped", area=area_name(turn, area)), **ask)
    if cursor is None:
        return turn.reply("", **ask)
    if choice == GENTLER and softer:
        ahead = {s.exercise for s in cursor.sets_ahead}
        changed = swap(cursor, painful, softer) if painful in ahead else cursor
        return moved_on(turn, changed, turn.line("pain.swapped", new=name(turn, softer)), **ask)
    return moved_on(turn, cursor, turn.line("pain.carry_on"), **ask)


def avoid_answer(turn: Turn, agreed: bool) -> Response:
    painful = turn.about.get("exercise", "")
    if agreed and painful in turn.catalog:
        update(turn, avoid=turn.record.preferences.avoid | {painful})
        said = turn.line("pain.avoided", name=name(turn, painful))
    else:
        said = turn.line("pain.not_avoided")
    cursor = turn.workout
    if cursor is not None and not cursor.finished:
        return hand_back(turn, Ssml().say(said), cursor)
    return turn.reply(said + " " + turn.line("goodbye"), end=True)


class LackKitMidWorkout(IntentHandler):
    """"I don't have a band" when the exercise ahead needs one; otherwise the preferences handler answers."""

    intent = "LackEquipmentIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not super().can_handle(handler_input):
            return False
        kit = slots.resolved(handler_input, "equipment").id
        turn = Turn.maybe(handler_input)
        step = target(turn.workout) if turn and turn.workout and kit else None
        return step is not None and turn.catalog[step.exercise].equipment == kit.lower()

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        response = lacking_kit(turn, slots.resolved(handler_input, "equipment").id.lower())
        assert response is not None
        return response


class SkipAfterPain(IntentHandler):
    """"Skip it" in answer to the pain offer leaves the area out today (rather than skipping one set)."""

    intent = "SkipIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        turn = Turn.maybe(handler_input)
        return super().can_handle(handler_input) and turn is not None and turn.pending == ASKED_PAIN

    def handle(self, handler_input: HandlerInput) -> Response:
        return pain_answer(Turn.of(handler_input), SKIP_AREA)


HANDLERS = (SkipAfterPain(), LackKitMidWorkout(), AddArea(), RemoveArea(), FocusArea(), AlwaysArea(),
            NeverExercise(), Harder(), Easier(), Swap(), Pain())
