"""Changing a workout while it runs. Pure functions on the cursor: what was done stays as it was and counts;
only the steps still ahead change, under the builder's rules (one exercise per area, or a focus of one or two
areas with two or three exercises each)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import replace

from .builder import MAX_FOCUS_AREAS, Circuit, CircuitRequest, NothingSpares, build_circuit, fits
from .catalog import AREAS, Catalog, Exercise
from .cursor import SET, WARMUP, Cursor, Step


def per_area(areas: tuple[str, ...], focus: bool, circuit: Circuit | None = None) -> int:
    """Moves per area: a full circuit keeps as many as it has (one, or more when built to fill a longer time)."""
    if not focus:
        return max(1, len(circuit.exercises) // len(circuit.areas)) if circuit and not circuit.focus else 1
    return 3 if len(areas) == 1 else 2


def shape_after_adding(cursor: Cursor, area: str) -> tuple[tuple[str, ...], bool]:
    """A focus grows to two areas; past that, or on a full circuit, it is one exercise per area."""
    areas = tuple(dict.fromkeys((*cursor.circuit.areas, area)))
    return areas, cursor.circuit.focus and len(areas) <= MAX_FOCUS_AREAS


def replan(cursor: Cursor, catalog: Catalog, areas: tuple[str, ...], focus: bool, request: CircuitRequest,
           seed: int | str) -> Cursor:
    """The same workout with what is ahead rebuilt for `areas`. Exercises already in the plan are kept where
    they fit; the rest come from the builder. An empty `areas` leaves nothing ahead."""
    if cursor.next_step is None:
        return cursor
    count = per_area(areas, focus, cursor.circuit)
    current = [e for e in cursor.circuit.exercises if e not in request.avoid]
    # Candidates for every area, built under the runner's usual rules (kit, level, variety, choices).
    try:
        built = build_circuit(
            replace(request, areas=areas if focus else (), always_areas=(), minutes=None, legs=None,
                    rounds=cursor.circuit.rounds, skip_areas=tuple(a for a in AREAS if a not in areas)),
            catalog, seed,
        ) if areas else None
    except NothingSpares:  # nothing new spares today's sore parts: what is kept, and no more
        built = None
    groups = []
    for area in areas:
        keep = [e for e in current if catalog[e].area == area][:count]
        fresh = [e for e in (built.exercises if built else ()) if catalog[e].area == area and e not in keep]
        groups.append(keep + fresh[: count - len(keep)])
    plan = tuple(e for row in itertools.zip_longest(*groups) for e in row if e is not None)
    circuit = replace(cursor.circuit, areas=areas or cursor.circuit.areas, exercises=plan or cursor.circuit.exercises,
                      focus=focus)
    return _with_plan(cursor, circuit, plan)


def _with_plan(cursor: Cursor, circuit, plan: tuple[str, ...]) -> Cursor:
    # Steps done already stay as they are, including any just ahead that going back left done.
    frozen = cursor.open_ahead[0] if cursor.open_ahead else len(cursor.steps)
    done_part = cursor.steps[:frozen]
    if frozen == len(cursor.steps):
        return replace(cursor, circuit=circuit)
    upcoming = cursor.steps[frozen]
    ahead: list[Step] = [] if upcoming.is_set else [Step(WARMUP)]
    first_round = upcoming.round if upcoming.is_set else 1
    for round_ in range(first_round, cursor.circuit.rounds + 1):
        before = [s for s in done_part if s.is_set and s.round == round_]
        # Done this round: what was done, and what stands in for it (swapped in after its set was done).
        done = {s.exercise for s in before}
        todo = [e for e in plan if e not in done and cursor.swapped.get(e) not in done]
        ahead += [Step(SET, round_, len(before) + i, len(before) + len(todo), e) for i, e in enumerate(todo)]
    keep = range(frozen)
    return Cursor(circuit, position=cursor.position, steps=done_part + tuple(ahead), dose_steps=cursor.dose_steps,
                  swapped=cursor.swapped, eased=cursor.eased,
                  done=frozenset(i for i in cursor.done if i in keep),
                  skipped=frozenset(i for i in cursor.skipped if i in keep))


def leave_out(cursor: Cursor, exercise_ids: Iterable[str]) -> Cursor:
    """The workout without these exercises from here on (they hurt, or load a sore part): nothing ahead is one of
    them, what was done stays. With nothing left ahead, the workout is at its end."""
    gone = set(exercise_ids)
    plan = tuple(e for e in cursor.circuit.exercises if e not in gone)
    if not gone & {s.exercise for i, s in enumerate(cursor.steps) if i in cursor.open_ahead and s.is_set}:
        return cursor
    return _with_plan(cursor, replace(cursor.circuit, exercises=plan or cursor.circuit.exercises), plan)


def spare(cursor: Cursor, catalog: Catalog, request: CircuitRequest) -> tuple[Cursor, tuple[str, ...]]:
    """What is ahead without anything that loads a part sore today (`request.sore`): each exercise that does gives
    way to one for its area that spares it, or leaves the plan when there is none. Returns the workout and the
    exercises taken out. The warm-up is left as it is: a workout with nothing done yet is built again instead
    (voice/areas/pain.py)."""
    taken = []
    for exercise_id in loads_ahead(cursor, catalog, request.sore):
        options = alternatives(catalog, cursor, exercise_id, request)
        cursor = swap(cursor, exercise_id, options[0].id) if options else leave_out(cursor, [exercise_id])
        taken.append(exercise_id)
    return cursor, tuple(taken)


def loads_ahead(cursor: Cursor, catalog: Catalog, sore: frozenset[str]) -> tuple[str, ...]:
    """The exercises still ahead that load a sore part, in plan order."""
    ahead = {cursor.steps[i].exercise for i in cursor.open_ahead if cursor.steps[i].is_set}
    return tuple(e for e in cursor.exercises if e in ahead and not catalog[e].spares(sore))


def put_in(cursor: Cursor, new: str, at: int, instead_of: str | None = None) -> Cursor:
    """`new` into the plan ahead at place `at` (where the exercise it stands in for was), in the rounds still to
    come, this one included when it has not been done in it."""
    plan = [e for e in cursor.circuit.exercises if e != instead_of]
    plan.insert(min(max(at, 0), len(plan)), new)
    swapped = dict(cursor.swapped)
    if instead_of is not None:
        swapped[new] = cursor.swapped.get(instead_of, instead_of)
    changed = _with_plan(replace(cursor, ended=False, ended_for=None),
                         replace(cursor.circuit, exercises=tuple(plan)), tuple(plan))
    return replace(changed, swapped=swapped)


def swap(cursor: Cursor, old: str, new: str) -> Cursor:
    """`new` in place of `old` everywhere ahead (a swap, a harder or easier variant)."""
    open_ahead = set(cursor.open_ahead)
    steps = tuple(replace(s, exercise=new) if i in open_ahead and s.is_set and s.exercise == old else s
                  for i, s in enumerate(cursor.steps))
    exercises = tuple(dict.fromkeys(new if e == old else e for e in cursor.circuit.exercises))
    original = cursor.swapped.get(old, old)
    swapped = {k: v for k, v in cursor.swapped.items() if k != old}
    if new != original:
        swapped[new] = original
    return replace(cursor, steps=steps, circuit=replace(cursor.circuit, exercises=exercises), swapped=swapped)


def alternatives(catalog: Catalog, cursor: Cursor, exercise_id: str, request: CircuitRequest, *,
                 gentler: bool = False) -> list[Exercise]:
    """Other exercises for the same area that fit the runner's kit and level, are not already in this workout
    and not to be avoided: the easier neighbour and lower levels first when `gentler`, else the least recent."""
    exercise = catalog[exercise_id]
    in_workout = set(cursor.exercises) | set(cursor.circuit.exercises)
    pool = [e for e in catalog.in_area(exercise.area)
            if e.id not in in_workout and e.id not in request.avoid and fits(e, request) and e.spares(request.sore)]
    if gentler:
        pool = [e for e in pool if e.level_rank <= exercise.level_rank]
    recency = {e: i for i, e in enumerate(reversed(request.recent))}

    def rank(e: Exercise) -> tuple:
        return (e.id != exercise.easier if gentler else False,
                e.level_rank - exercise.level_rank if gentler else abs(e.level_rank - exercise.level_rank),
                recency.get(e.id, -1), e.id)

    return sorted(pool, key=rank)
