"""Re-planning a running workout, over random workouts and random sequences of changes."""

from __future__ import annotations

import json
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from runner_strength.training.builder import CircuitRequest, build_circuit
from runner_strength.training.catalog import AREAS, EQUIPMENT, LEVELS, load_catalog
from runner_strength.training.cursor import Cursor
from runner_strength.training.replan import alternatives, replan, shape_after_adding, swap

CATALOG = load_catalog()

requests = st.builds(
    CircuitRequest,
    areas=st.lists(st.sampled_from(AREAS), max_size=2, unique=True).map(tuple),
    rounds=st.integers(1, 4),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)),
    level=st.sampled_from(LEVELS),
)
changes = st.lists(st.one_of(
    st.tuples(st.just("advance"), st.integers(0, 4)),
    st.tuples(st.just("add"), st.sampled_from(AREAS)),
    st.tuples(st.just("remove"), st.sampled_from(AREAS)),
    st.tuples(st.just("focus"), st.sampled_from(AREAS)),
    st.tuples(st.just("swap"), st.booleans()),
    st.tuples(st.just("pain"), st.just(0)),
), max_size=12)


def apply(cursor: Cursor, request: CircuitRequest, change: tuple, seed: int) -> Cursor:
    kind, value = change
    if kind == "advance":
        for _ in range(value):
            if not cursor.finished:
                cursor, _ = cursor.advance()
        return cursor
    if kind == "add":
        areas, focus = shape_after_adding(cursor, value)
        return replan(cursor, CATALOG, areas, focus, request, seed)
    if kind == "remove":
        areas = tuple(a for a in cursor.circuit.areas if a != value)
        return replan(cursor, CATALOG, areas, cursor.circuit.focus and len(areas) <= 2, request, seed)
    if kind == "focus":
        return replan(cursor, CATALOG, (value,), True, request, seed)
    if kind == "swap":
        step = cursor.next_set
        options = alternatives(CATALOG, cursor, step.exercise, request, gentler=value) if step else []
        return swap(cursor, step.exercise, options[0].id) if options else cursor
    return cursor.uncount_last_set()


def check(before: Cursor, after: Cursor) -> None:
    # Work done is kept, and counted.
    assert after.steps[: before.position] == before.steps[: before.position]
    assert after.position == before.position
    assert {i for i in before.done if i < before.position} - after.skipped <= after.done
    # No exercise twice in a round, and a round ahead has the shape the plan says.
    by_round: dict[int, list[str]] = {}
    for step in after.steps:
        if step.is_set:
            by_round.setdefault(step.round, []).append(step.exercise)
    for exercises in by_round.values():
        assert len(exercises) == len(set(exercises))
    first_future = (after.next_step.round + 1) if after.next_step and after.next_step.is_set else 1
    plan_areas = Counter(CATALOG[e].area for e in after.circuit.exercises)
    for round_, exercises in by_round.items():
        if round_ >= first_future and after.next_step is not None:
            assert Counter(CATALOG[e].area for e in exercises) == plan_areas
    for area, count in plan_areas.items():
        assert area in after.circuit.areas
        assert count == 1 if not after.circuit.focus else 2 <= count <= 3
    # Indexes and counts say where a set stands in its round.
    for exercises_round in by_round:
        steps = [s for s in after.steps if s.is_set and s.round == exercises_round]
        ahead = [s for s in steps if after.steps.index(s) >= before.position]
        if ahead:
            assert [s.index for s in ahead] == list(range(ahead[0].index, ahead[0].index + len(ahead)))
            assert all(s.count == ahead[-1].index + 1 for s in ahead)
    assert after.total_sets <= 8 * 6
    left = after.remaining(CATALOG)
    assert (left.sets, left.exercises) == (len(after.sets_ahead), len({s.exercise for s in after.sets_ahead}))
    assert Cursor.from_dict(json.loads(json.dumps(after.to_dict()))) == after


@settings(max_examples=300, deadline=None)
@given(requests, st.integers(0, 1000), changes)
def test_any_sequence_of_changes_keeps_done_work_and_the_builders_rules(request, seed, sequence):
    cursor = Cursor(build_circuit(request, CATALOG, seed))
    for number, change in enumerate(sequence):
        after = apply(cursor, request, change, seed + number)
        if change[0] != "advance":
            check(cursor, after)
        cursor = after


def started(areas=(), rounds=2, sets=1, seed=3) -> tuple[Cursor, CircuitRequest]:
    request = CircuitRequest(areas=areas, rounds=rounds)
    cursor = Cursor(build_circuit(request, CATALOG, seed))
    for _ in range(1 + sets):
        cursor, _ = cursor.advance()
    return cursor, request


def test_no_lower_back_today_takes_it_out_of_what_is_ahead_only():
    cursor, request = started(sets=4)
    after = replan(cursor, CATALOG, tuple(a for a in AREAS if a != "LOWER_BACK"), False, request, 1)
    ahead = [s.exercise for s in after.steps[after.position:] if s.is_set]
    assert ahead and all(CATALOG[e].area != "LOWER_BACK" for e in ahead)
    assert after.sets_done == cursor.sets_done
    assert any(CATALOG[s.exercise].area == "LOWER_BACK" for s in after.steps[: after.position] if s.is_set)


def test_just_hamstrings_from_here_is_a_focus_of_three():
    cursor, request = started(sets=2)
    after = replan(cursor, CATALOG, ("HAMSTRINGS",), True, request, 1)
    assert len(after.circuit.exercises) == 3
    assert all(CATALOG[e].area == "HAMSTRINGS" for e in after.circuit.exercises)
    kept = [e for e in cursor.circuit.exercises if CATALOG[e].area == "HAMSTRINGS"]
    assert set(kept) <= set(after.circuit.exercises), "the hamstring exercise already planned is kept"


def test_adding_an_area_to_a_one_area_focus_makes_a_two_area_focus_and_a_third_makes_one_each():
    cursor, request = started(areas=("GLUTE_MEDIUS",), sets=1)
    areas, focus = shape_after_adding(cursor, "HAMSTRINGS")
    two = replan(cursor, CATALOG, areas, focus, request, 1)
    assert focus and Counter(CATALOG[e].area for e in two.circuit.exercises) == {"GLUTE_MEDIUS": 2, "HAMSTRINGS": 2}
    areas, focus = shape_after_adding(two, "REAR_DELTS")
    three = replan(two, CATALOG, areas, focus, request, 2)
    assert not focus and sorted(CATALOG[e].area for e in three.circuit.exercises) == sorted(areas)


def test_removing_the_last_area_leaves_nothing_ahead():
    cursor, request = started(areas=("REAR_DELTS",), sets=1)
    assert replan(cursor, CATALOG, (), True, request, 1).finished


def test_a_swap_is_for_the_same_area_fits_the_kit_and_is_not_already_in_the_workout():
    cursor, request = started(sets=0)
    step = cursor.next_set
    options = alternatives(CATALOG, cursor, step.exercise, request)
    assert options
    assert all(o.area == CATALOG[step.exercise].area and o.id not in cursor.exercises for o in options)
    assert all(o.equipment == "none" for o in options)
    swapped = swap(cursor, step.exercise, options[0].id)
    assert swapped.next_set.exercise == options[0].id


def test_a_gentler_option_is_the_easier_neighbour_when_there_is_one():
    exercise = next(e for e in CATALOG.exercises.values() if e.easier and CATALOG[e.easier].equipment == "none"
                    and e.area != "DRILLS")
    request = CircuitRequest(areas=(exercise.area,), level="advanced")
    cursor = Cursor(build_circuit(request, CATALOG, 1))
    cursor = swap(cursor, cursor.circuit.exercises[0], exercise.id)
    options = alternatives(CATALOG, cursor, exercise.id, request, gentler=True)
    if exercise.easier not in cursor.exercises:
        assert options[0].id == exercise.easier
    assert all(o.level_rank <= exercise.level_rank for o in options)


def test_pain_uncounts_the_block_just_done():
    cursor, _ = started(sets=2)
    after = cursor.uncount_last_set()
    assert after.sets_done == cursor.sets_done - 1 and after.position == cursor.position


def test_the_set_just_done_passes_over_skips_and_follows_going_back():
    cursor, _ = started(sets=0)
    assert cursor.last_set_done is None  # only the warm-up so far
    first = cursor.next_set
    cursor, _ = cursor.advance()
    assert cursor.last_set_done == first
    second = cursor.next_set
    cursor, _ = cursor.skip()
    assert cursor.last_set_done == first and cursor.next_set != second
    cursor, _ = cursor.advance()
    third = cursor.last_set_done
    assert third not in (first, second)
    cursor, redone = cursor.back()
    assert cursor.last_set_done == redone
    hurt = cursor.uncount_last_set()
    assert hurt.sets_done == cursor.sets_done - 1


def test_todays_dose_changes_survive_a_round_trip_a_replan_and_starting_over():
    cursor, request = started(sets=1)
    exercise = cursor.next_set.exercise
    changed = cursor.with_dose(exercise, 2)
    assert Cursor.from_dict(json.loads(json.dumps(changed.to_dict()))).dose_steps == {exercise: 2}
    replanned = replan(changed, CATALOG, changed.circuit.areas, changed.circuit.focus, request, 3)
    assert replanned.dose_steps == {exercise: 2}
    assert changed.start_over().dose_steps == {exercise: 2}


def test_a_dose_step_is_a_rep_or_two_or_five_seconds_within_bounds():
    for exercise in CATALOG.exercises.values():
        for steps in range(-3, 4):
            dosed = exercise.with_dose_steps(steps)
            if exercise.reps is not None:
                step = 2 if exercise.reps >= 10 else 1
                assert dosed.reps == max(3, exercise.reps + step * steps), (exercise.id, steps)
            else:
                assert dosed.seconds == max(10, exercise.seconds + 5 * steps), (exercise.id, steps)
    assert CATALOG["glute_bridge"].with_dose_steps(1).reps == CATALOG["glute_bridge"].reps + 2


def test_a_swap_chain_remembers_the_original_and_survives_a_round_trip_and_a_replan():
    cursor, request = started(sets=1)
    first = cursor.next_set.exercise
    options = alternatives(CATALOG, cursor, first, request)
    second = options[0].id
    cursor = swap(cursor, first, second)
    third = next(o.id for o in alternatives(CATALOG, cursor, second, request) if o.id != first)
    cursor = swap(cursor, second, third)
    assert cursor.swapped == {third: first}
    assert swap(cursor, third, first).swapped == {}, "swapped back: nothing changed"
    assert Cursor.from_dict(json.loads(json.dumps(cursor.to_dict()))).swapped == {third: first}
    assert replan(cursor, CATALOG, cursor.circuit.areas, cursor.circuit.focus, request, 5).swapped == {third: first}


def test_the_work_done_of_a_finished_workout_is_about_its_estimate():
    for seed in range(10):
        circuit = build_circuit(CircuitRequest(minutes=20), CATALOG, seed)
        cursor = Cursor(circuit)
        while not cursor.finished:
            cursor, _ = cursor.advance()
        assert abs(cursor.done_seconds(CATALOG) - circuit.estimated_seconds) <= 0.1 * circuit.estimated_seconds
