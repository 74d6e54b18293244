"""A plan a coach would sign (issue 22), as a runner hears it: a long workout is built from more moves rather than
more rounds and says so in one clause; the warm-up is about a tenth of the time and fits a room.

In-process conversations (test_hands_free's runner); the builder's rules over generated requests are in
test_builder.py."""

from __future__ import annotations

import pytest

from runner_strength.training.builder import TIME_MAX_ROUNDS
from runner_strength.training.catalog import load_catalog
from runner_strength.training.duration import warmup_seconds
from tests.support.envelopes import heard, said, slot
from tests.test_hands_free import cursor_of, runner

CATALOG = load_catalog()


@pytest.mark.parametrize("seed", range(6))
def test_a_forty_five_minute_workout_is_more_moves_not_six_rounds_of_five_and_says_how(seed):
    talk, store, _ = runner(seed=seed)
    talk.launch()
    reply = talk.say("BuildCircuitIntent", minutes=slot("minutes", "45"))
    circuit = cursor_of(store).circuit
    assert circuit.rounds <= TIME_MAX_ROUNDS and len(circuit.exercises) >= 10, (circuit.rounds, circuit.exercises)
    moves = len(circuit.exercises) // len(circuit.areas)
    assert heard(reply, "note.time_spread", value=str(moves)), said(reply)
    assert "45 minutes" in said(reply) or "44 minutes" in said(reply) or "46 minutes" in said(reply), said(reply)


@pytest.mark.parametrize("minutes", ["10", "20", "30"])
def test_the_warm_up_is_about_a_tenth_of_the_time_and_stays_in_the_room(minutes):
    talk, store, _ = runner()
    talk.launch()
    talk.say("BuildCircuitIntent", minutes=slot("minutes", minutes))
    circuit = cursor_of(store).circuit
    warm = warmup_seconds(tuple(CATALOG[d] for d in circuit.warmup))
    assert 45 <= warm <= 195 and abs(warm - 0.1 * circuit.estimated_seconds) <= 60, warm
    assert not {"bounding", "straight_leg_bounds", "power_skips"} & set(circuit.warmup)
