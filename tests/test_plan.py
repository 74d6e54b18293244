"""A plan that knows the runner, over simulated runners and weeks: their level, variety with a memory of the last
sessions, and the article's drills in the warm-up at every level."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runner_strength.training.builder import ARTICLE_DRILLS, MEMORY_SESSIONS, Circuit, CircuitRequest, build_circuit
from runner_strength.training.catalog import AREAS, EQUIPMENT, LEVELS, load_catalog
from tests.support.envelopes import Conversation

CATALOG = load_catalog()
KITS = {"no kit": frozenset(), "a band": frozenset({"resistance_band"}), "dumbbells": frozenset({"dumbbells"}),
        "a ball": frozenset({"stability_ball"}), "a step": frozenset({"step_or_bench"}),
        "everything": frozenset(EQUIPMENT)}
RUNNERS = [(level, kit) for level in LEVELS for kit in KITS]
SESSIONS = 8


def sessions(level: str, kit: str, salt: object, areas: tuple[str, ...] = (), count: int = SESSIONS) -> list[Circuit]:
    """A runner's circuits one session after another, each built from the history the skill keeps: the last
    sessions' warm-ups and exercises, most recent first."""
    past: list[Circuit] = []
    for number in range(count):
        memory = tuple(c.warmup + c.exercises for c in reversed(past[-MEMORY_SESSIONS:]))
        request = CircuitRequest(areas=areas, level=level, equipment=KITS[kit], recent_sessions=memory)
        past.append(build_circuit(request, CATALOG, f"{salt}-{number}"))
    return past


def options(area: str, level: str, kit: str) -> list[str]:
    """What fits the runner in an area: their kit, at or below their level."""
    rank = LEVELS.index(level)
    return [e.id for e in CATALOG.in_area(area)
            if e.equipment in KITS[kit] | {"none"} and e.level_rank <= rank]


def exercise_for(circuit: Circuit, area: str) -> set[str]:
    return {e for e in circuit.exercises if CATALOG[e].area == area}


runners = st.sampled_from(RUNNERS)
salts = st.integers(0, 10**6)


@settings(max_examples=90, deadline=None)
@given(runners, salts)
def test_nothing_from_the_last_session_comes_back_where_the_area_has_another_choice(runner, salt):
    level, kit = runner
    circuits = sessions(level, kit, salt)
    for last, this in itertools.pairwise(circuits):
        for area in AREAS:
            if len(options(area, level, kit)) >= 2:
                assert not exercise_for(this, area) & exercise_for(last, area), (area, last.exercises, this.exercises)


@settings(max_examples=90, deadline=None)
@given(runners, salts)
def test_a_full_circuit_differs_from_each_of_the_last_two_in_at_least_two_exercises(runner, salt):
    level, kit = runner
    circuits = sessions(level, kit, salt)
    for back in (1, 2):
        for before, this in zip(circuits, circuits[back:], strict=False):
            assert len(set(this.exercises) - set(before.exercises)) >= 2, (back, before.exercises, this.exercises)


@settings(max_examples=60, deadline=None)
@given(runners, salts, st.sampled_from(AREAS))
def test_a_focus_repeats_last_sessions_exercises_only_when_the_area_has_too_few(runner, salt, area):
    level, kit = runner
    circuits = sessions(level, kit, salt, areas=(area,), count=4)
    fitting = options(area, level, kit)
    for last, this in itertools.pairwise(circuits):
        fresh = [e for e in fitting if e not in last.exercises]
        repeated = set(this.exercises) & set(last.exercises)
        assert len(repeated) <= max(0, len(this.exercises) - len(fresh)), (last.exercises, this.exercises)


@settings(max_examples=90, deadline=None)
@given(runners, salts)
def test_high_knees_or_butt_kicks_are_in_at_least_one_warm_up_in_three_at_every_level(runner, salt):
    level, kit = runner
    circuits = sessions(level, kit, salt)
    assert set(ARTICLE_DRILLS) & set(circuits[0].warmup), "a new runner's first warm-up has the article's drills"
    for three in zip(circuits, circuits[1:], circuits[2:], strict=False):
        assert any(set(ARTICLE_DRILLS) & set(c.warmup) for c in three), [c.warmup for c in three]


@settings(max_examples=90, deadline=None)
@given(runners, salts)
def test_warm_ups_rotate_and_build_up_from_the_gentlest_drill(runner, salt):
    level, kit = runner
    circuits = sessions(level, kit, salt)
    for last, this in itertools.pairwise(circuits):
        assert set(this.warmup) != set(last.warmup)
    for circuit in circuits:
        ranks = [CATALOG[d].level_rank for d in circuit.warmup]
        assert ranks == sorted(ranks) and max(ranks) <= LEVELS.index(level)


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_gets_drills_of_its_own_level_within_three_warm_ups(level):
    for salt in range(30):
        circuits = sessions(level, "no kit", salt, count=3)
        assert any(CATALOG[d].level == level for c in circuits for d in c.warmup), salt


@pytest.mark.parametrize(("level", "kit"), RUNNERS)
def test_eight_sessions_are_eight_different_circuits_at_the_runners_level(level, kit):
    for salt in range(10):
        circuits = sessions(level, kit, salt)
        assert len({c.exercises for c in circuits}) >= 6, salt
        rank = LEVELS.index(level)
        assert all(CATALOG[e].level_rank <= rank for c in circuits for e in c.exercises)


def test_a_fresh_advanced_runner_gets_many_circuits_and_mostly_advanced_work():
    built = [build_circuit(CircuitRequest(level="advanced"), CATALOG, seed) for seed in range(30)]
    assert len({c.exercises for c in built}) >= 10
    assert all(CATALOG[e].level == "advanced" for c in built for e in c.exercises)


def test_a_new_circuit_the_day_after_an_unfinished_one_is_a_different_one(skill, store, clock):
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    talk.say("AMAZON.StopIntent")
    first = next(iter(store.items.values()))["workout"]["circuit"]["exercises"]

    clock.advance(days=1)
    talk.launch()
    talk.say("BuildCircuitIntent")
    second = next(iter(store.items.values()))["workout"]["circuit"]["exercises"]
    assert len(first) == len(second) == 5
    assert not set(first) & set(second), (first, second)
