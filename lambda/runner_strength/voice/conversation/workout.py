"""The runner's workout as the areas change it: build one from a request, re-plan what is ahead, leave an area
out today, put another exercise in one's place. Shared here so that areas hand work to each other through the
kernel (pain → leave the area out) rather than by importing each other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ask_sdk_model import Response

from ...speech import coach
from ...speech.ssml import Ssml
from ...training.builder import PROGRESSED, Circuit, CircuitRequest, NothingSpares, build_circuit
from ...training.cursor import Cursor
from ...training.plan import plan, request_for
from ...training.progression import HURT, LOG_LIMIT
from ...training.replan import alternatives, replan, swap
from .replies import after_aside, ask_if_ready, tell_change, todays_doses
from .turn import Turn
from .words import area_name, area_names, equipment_name


def plan_today(turn: Turn, areas: tuple[str, ...] = ()) -> CircuitRequest:
    """Plan a new circuit: what is due is decided now and kept in the record (training/plan.py), then what to build.
    The one place a workout's planning decisions are made."""
    turn.record, request = plan(turn.record, turn.catalog, turn.today, areas)
    return request


def runner_request(turn: Turn) -> CircuitRequest:
    """What the builder needs to know about the runner as the record stands, for a change to the workout. What
    hurt today is never picked again today."""
    request = request_for(turn.record, turn.today)
    cursor = turn.workout
    hurt = {e for e, why in cursor.eased.items() if why == HURT} if cursor is not None else set()
    return replace(request, avoid=request.avoid | hurt) if hurt else request


def circuit_card(turn: Turn, cursor: Cursor) -> tuple[str, str]:
    circuit = cursor.circuit
    lines = []
    if circuit.warmup:
        lines.append(turn.line("card.warmup", drills=coach.exercise_names(turn.voice, circuit.warmup)))
    lines.append(turn.line("card.rounds", rounds=circuit.rounds, rest=circuit.rest_seconds))
    doses = todays_doses(turn, cursor)  # as the coach will say them: grown, eased or held back
    for number, exercise_id in enumerate(circuit.exercises, 1):
        exercise = turn.catalog[exercise_id].with_dose_steps(doses.get(exercise_id, 0))
        lines.append(f"{number}. {turn.voice.exercise(exercise_id).name}: {coach.dose(turn.voice.text, exercise)}")
    minutes = turn.voice.amount("minutes", coach.minutes(circuit.estimated_seconds))
    return turn.line("card.title", minutes=minutes), "\n".join(lines)


def offer(turn: Turn, request: CircuitRequest, lead: str | Callable[[Circuit], str] = "",
          named: dict | None = None) -> Response:
    """Build the circuit, make it the runner's workout, and ask if they are ready. `lead` is said first (given as
    a function, it is worked out from the circuit built). `named` holds what the request named beyond the runner's
    settings (equipment, level, rounds): it applies to this workout only, and the finish offers to remember it."""
    try:
        circuit = build_circuit(request, turn.catalog, seed=turn.services.seed())
    except NothingSpares:
        parts = turn.voice.listing([turn.line(f"part.{part}") for part in sorted(request.sore)])
        return turn.reply(turn.line("pain.nothing_spares", parts=parts) + " " + turn.line("goodbye"), end=True)
    # Doses held back for a lighter week hold for this workout (the coach reads the runner's remembered ones).
    remembered = turn.record.preferences.dose_steps
    cursor = Cursor(circuit, dose_steps={e: request.dose_steps.get(e, 0) for e in circuit.exercises
                                         if request.dose_steps.get(e, 0) != remembered.get(e, 0)})
    # Progression's news is told once: the intro below says it.
    told = [request.progressed[n.exercise].key for n in circuit.notes
            if n.code.startswith(PROGRESSED) and n.exercise in request.progressed]
    if told:
        turn.record = replace(turn.record, told=(*turn.record.told, *told)[-LOG_LIMIT:])
    turn.set_workout(cursor, workout_id=new_workout_id(turn))
    # The areas are the runner's last choice, kept to build from next time; kit, level and rounds named in a
    # request are for this workout only (start.py offers to remember them).
    turn.record = replace(turn.record, preferences=replace(turn.record.preferences, areas=circuit.areas))
    speech = Ssml()
    if not turn.record.welcomed:
        # A runner whose first words were a one-shot ("ask runner strength for a glute circuit") hears the
        # safety line once, here, as a launch would have said it.
        speech.say(turn.line("safety"))
        turn.record = replace(turn.record, welcomed=True)
    speech.say(lead(circuit) if callable(lead) else lead).extend(coach.circuit_intro(turn.voice, circuit, turn.catalog))
    named = named or {}
    kit = named.get("equipment")
    if kit and kit not in {turn.catalog[e].equipment for e in circuit.exercises}:
        speech.say(turn.line("kit.unused", equipment=equipment_name(turn, kit), areas=area_names(turn, circuit.areas)))
    turn.state.one_offs = named or None
    return ask_if_ready(turn, speech, card=circuit_card(turn, cursor))


def new_workout_id(turn: Turn) -> str:
    """Each workout done is its own history entry: a new build, or yesterday's unfinished one done again."""
    return f"{turn.now():%Y%m%d%H%M%S}-{turn.services.seed() % 10**6:06d}"


def replanned(turn: Turn, areas: tuple[str, ...], focus: bool) -> Cursor:
    assert turn.workout is not None
    return replan(turn.workout, turn.catalog, areas, focus, runner_request(turn), turn.services.seed())


def skip_area(turn: Turn, area: str, said: str | None = None, why: str | None = None, **ask) -> Response:
    """Leave an area out for today: from what is ahead now, and from any circuit built today. With nothing left
    to do, the workout ends there, for `why` (PAIN) if given."""
    turn.record = turn.record.skipping(area, turn.today)
    said = said or turn.line("adjust.removed", area=area_name(turn, area))
    cursor = turn.workout
    if cursor is None or area not in cursor.circuit.areas:
        return after_aside(turn, said) if not ask else turn.reply(said, **ask)
    areas = tuple(a for a in cursor.circuit.areas if a != area)
    changed = replanned(turn, areas, cursor.circuit.focus and len(areas) <= 2)
    if changed.finished and why is not None:
        changed = changed.ended_early(why)
    return tell_change(turn, changed, said, **ask)


def replace_ahead(turn: Turn, cursor: Cursor, exercise_id: str, request: CircuitRequest | None = None) -> Cursor:
    """Another exercise for the same area in its place ahead, or, with none to be had, the area's plan
    rebuilt without it."""
    request = request or runner_request(turn)
    options = alternatives(turn.catalog, cursor, exercise_id, request)
    if options:
        return swap(cursor, exercise_id, options[0].id)
    return replan(cursor, turn.catalog, cursor.circuit.areas, cursor.circuit.focus,
                  replace(request, avoid=request.avoid | {exercise_id}), turn.services.seed())
