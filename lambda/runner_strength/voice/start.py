"""Starting out: the welcome, building a circuit by voice, and what areas there are."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response

from ..speech import coach
from ..speech.ssml import Ssml
from ..training.builder import CircuitRequest, build_circuit
from ..training.catalog import AREAS
from ..training.cursor import Cursor
from . import slots
from .turn import ASKED_REDO, ASKED_RESUME, ASKED_START, Turn

# An unfinished workout older than this is offered as "do it again" rather than "pick up where you were".
STALE_AFTER = timedelta(hours=24)


def ask_what(turn: Turn, speech: str = "") -> Response:
    """Hand the turn back asking what to train."""
    return turn.reply(speech, turn.line("prompt.what"), turn.line("reprompt.what"))


def carry_on(turn: Turn, speech: str) -> Response:
    """After an aside (a setting, a question): back to the workout if one is under way, else what to train."""
    if turn.workout is not None and turn.workout.started:
        return turn.reply(speech, turn.line("prompt.next"), turn.line("reprompt.next"))
    if turn.workout is not None:
        return turn.reply(speech, turn.line("prompt.ready"), turn.line("reprompt.ready"), ask=ASKED_START)
    return ask_what(turn, speech)


def place(turn: Turn, cursor: Cursor) -> str:
    """Where the runner will pick up, in words: "clamshells in round two"."""
    step = cursor.upcoming
    if step is None or not step.is_set:
        return turn.line("place.warmup")
    name = turn.voice.exercise(step.exercise).name
    return turn.line("place.set", name=name, round=step.round)


def is_stale(turn: Turn) -> bool:
    try:
        updated = datetime.fromisoformat(turn.record.workout_updated or "")
    except ValueError:
        return True
    return turn.now() - updated > STALE_AFTER


class Launch(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        first_visit = not turn.record.welcomed
        turn.record = replace(turn.record, welcomed=True)
        cursor = turn.workout
        if cursor is not None and cursor.started:
            if is_stale(turn):
                return turn.reply(turn.line("welcome.redo"), turn.line("prompt.redo"), ask=ASKED_REDO)
            where = place(turn, cursor)
            return turn.reply(turn.line("welcome.resume", place=where), turn.line("prompt.resume"),
                              ask=ASKED_RESUME)
        if first_visit:
            return ask_what(turn, turn.line("welcome.first") + " " + turn.line("safety"))
        return ask_what(turn, turn.line("welcome.back"))


def _equipment(owned: frozenset[str], said: str | None) -> frozenset[str]:
    """What a circuit may use: the runner's kit plus what they named; "no equipment" means none today."""
    if said == "NONE":
        return frozenset()
    return owned | {said.lower()} if said else owned


def runner_request(turn: Turn, areas: tuple[str, ...] = ()) -> CircuitRequest:
    """What the builder needs to know about this runner: kit, level, habits, history, choices."""
    prefs = turn.record.preferences
    return CircuitRequest(
        areas=areas, rounds=prefs.rounds, equipment=prefs.equipment, level=prefs.level,
        rest_seconds=prefs.rest_seconds, recent=turn.record.recent_picks(turn.today), avoid=prefs.avoid,
        variants=prefs.variants, always_areas=prefs.always_areas, skip_areas=turn.record.skipped_areas(turn.today),
    )


def _circuit_request(turn: Turn, handler_input: HandlerInput, areas: tuple[str, ...]) -> CircuitRequest:
    """The runner's request from the slots, on top of their preferences."""
    base = runner_request(turn, areas)
    rounds, _ = slots.number(handler_input, "rounds")
    minutes, _ = slots.number(handler_input, "minutes")
    equipment = slots.resolved(handler_input, "equipment").id
    level = slots.resolved(handler_input, "level").id
    return replace(
        base,
        rounds=rounds if rounds is not None or minutes is not None else base.rounds,
        minutes=minutes,
        equipment=_equipment(base.equipment, equipment),
        level=level.lower() if level else base.level,
    )


def circuit_card(turn: Turn, cursor: Cursor) -> tuple[str, str]:
    circuit = cursor.circuit
    lines = []
    if circuit.warmup:
        lines.append(turn.line("card.warmup", drills=coach.exercise_names(turn.voice, circuit.warmup)))
    lines.append(turn.line("card.rounds", rounds=circuit.rounds, rest=circuit.rest_seconds))
    for number, exercise_id in enumerate(circuit.exercises, 1):
        exercise = turn.catalog[exercise_id]
        lines.append(f"{number}. {turn.voice.exercise(exercise_id).name}: {coach.dose(turn.voice, exercise)}")
    minutes = turn.voice.amount("minutes", coach.minutes(circuit.estimated_seconds))
    return turn.line("card.title", minutes=minutes), "\n".join(lines)


class BuildCircuit(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("BuildCircuitIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        said = [slots.resolved(handler_input, name) for name in ("area", "secondArea")]
        unknown = next((s for s in said if s.unknown), None)
        if unknown:
            areas = turn.voice.listing([turn.voice.area(a) for a in AREAS])
            return ask_what(turn, turn.line("area.unknown", heard=unknown.heard, areas=areas))
        return offer(turn, _circuit_request(turn, handler_input, tuple(s.id for s in said if s.id)))


def offer(turn: Turn, request: CircuitRequest, lead: str = "") -> Response:
    """Build the circuit, make it the runner's workout, remember the choices, and ask if they are ready."""
    circuit = build_circuit(request, turn.catalog, seed=turn.services.seed())
    cursor = Cursor(circuit)
    turn.set_workout(cursor, workout_id=f"{turn.now():%Y%m%d%H%M%S}-{turn.services.seed() % 10**6:06d}")
    prefs = turn.record.preferences
    turn.record = replace(turn.record, preferences=replace(
        prefs, areas=circuit.areas, rounds=request.rounds if request.minutes is None else prefs.rounds,
        equipment=prefs.equipment | request.equipment, level=request.level,
    ))
    speech = Ssml().say(lead).extend(coach.circuit_intro(turn.voice, circuit))
    return turn.reply(speech, turn.line("prompt.ready"), turn.line("reprompt.ready"), ask=ASKED_START,
                      card=circuit_card(turn, cursor))


class RotateFocus(AbstractRequestHandler):
    """"Surprise me": a focus on the two areas trained least over the last week."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("RotateFocusIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        worked = Counter(a for s in turn.record.sessions_since(turn.today) for a in s.areas)
        rng = random.Random(turn.services.seed())
        areas = tuple(sorted(AREAS, key=lambda a: (worked[a], rng.random()))[:2])
        lead = turn.line("rotate.lead", areas=turn.voice.listing([turn.voice.area(a) for a in areas]))
        return offer(turn, _circuit_request(turn, handler_input, areas), lead)


class StartFresh(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartFreshIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        turn.set_workout(None)
        return ask_what(turn, turn.line("no.fresh"))


class ListAreas(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ListAreasIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        areas = turn.voice.listing([turn.voice.area(a) for a in AREAS])
        return ask_what(turn, turn.line("areas.list", areas=areas))
