"""The workout cursor over random workouts and random sequences of moves."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from runner_strength.training.builder import CircuitRequest, build_circuit
from runner_strength.training.catalog import AREAS, load_catalog
from runner_strength.training.cursor import SET, WARMUP, Cursor

CATALOG = load_catalog()
circuits = st.builds(
    lambda areas, rounds, seed: build_circuit(CircuitRequest(areas=areas, rounds=rounds), CATALOG, seed),
    st.lists(st.sampled_from(AREAS), max_size=2).map(tuple), st.integers(1, 4), st.integers(0, 10_000),
)
moves = st.lists(st.sampled_from(["advance", "back", "skip", "start_over"]), max_size=40)


def play(cursor: Cursor, move: str) -> Cursor:
    if move == "start_over":
        return cursor.start_over()
    if move in ("advance", "skip") and cursor.finished:
        return cursor
    return getattr(cursor, move)()[0]


def test_a_workout_is_the_warm_up_then_every_exercise_round_by_round():
    circuit = build_circuit(CircuitRequest(areas=("HAMSTRINGS",), rounds=2), CATALOG, 1)
    steps = Cursor(circuit).steps
    assert steps[0].kind == WARMUP
    assert [(s.round, s.index) for s in steps[1:]] == [(1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2)]
    assert all(s.kind == SET for s in steps[1:])


@settings(max_examples=300)
@given(circuits, moves)
def test_the_cursor_survives_json_unchanged_after_any_moves(circuit, sequence):
    cursor = Cursor(circuit)
    for move in sequence:
        cursor = play(cursor, move)
        assert Cursor.from_dict(json.loads(json.dumps(cursor.to_dict()))) == cursor


@settings(max_examples=300)
@given(circuits, moves)
def test_invariants_hold_after_any_moves(circuit, sequence):
    cursor = Cursor(circuit)
    for move in sequence:
        cursor = play(cursor, move)
        assert 0 <= cursor.position <= len(cursor.steps)
        assert not cursor.done & cursor.skipped
        # After going back, blocks already done can lie ahead again; they still count once.
        assert all(0 <= i < len(cursor.steps) for i in cursor.done | cursor.skipped)
        left = cursor.remaining(CATALOG)
        assert left.sets == sum(1 for s in cursor.steps[cursor.position:] if s.is_set)
        assert 0 <= cursor.sets_done <= circuit.total_sets


@given(circuits)
def test_advancing_through_everything_does_every_set_and_finishes(circuit):
    cursor = Cursor(circuit)
    while not cursor.finished:
        cursor, _ = cursor.advance()
    assert cursor.sets_done == circuit.total_sets
    assert cursor.remaining(CATALOG).sets == 0


@given(circuits, st.integers(2, 6))
def test_back_does_the_block_before_the_last_and_next_carries_on_from_there(circuit, ahead):
    cursor = Cursor(circuit)
    for _ in range(min(ahead, len(cursor.steps))):
        cursor, _ = cursor.advance()
    position = cursor.position
    back, step = cursor.back()
    assert step == cursor.steps[max(position - 2, 0)]
    assert back.position == max(position - 2, 0) + 1


def test_back_at_the_start_goes_nowhere():
    cursor = Cursor(build_circuit(CircuitRequest(), CATALOG, 1))
    assert cursor.back() == (cursor, None)


def test_skip_passes_a_set_without_counting_it():
    cursor, _ = Cursor(build_circuit(CircuitRequest(), CATALOG, 1)).advance()
    skipped, step = cursor.skip()
    assert step.is_set and skipped.sets_done == 0 and skipped.position == 2


def test_a_damaged_position_is_refused():
    data = Cursor(build_circuit(CircuitRequest(), CATALOG, 1)).to_dict()
    data["position"] = 999
    try:
        Cursor.from_dict(data)
    except ValueError as err:
        assert "999" in str(err)
    else:
        raise AssertionError("a position past the end was accepted")
