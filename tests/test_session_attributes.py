"""No odd session attribute sticks a session (issue 24). Every attribute the skill reads back (the fields of
conversation/session.py's SessionState), of the wrong type or shape, as a damaged session or another version of the
skill could leave it, is dropped or put right, and the turn answers: never an apology, let alone one a turn until
the session ends. The cases are made from the declared fields: a new field without an example fails here."""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from dataclasses import fields
from datetime import timedelta
from typing import Any

import pytest

from runner_strength.storage.memory import MemoryStore
from runner_strength.voice.conversation import interruption
from runner_strength.voice.conversation.record_io import TROUBLE
from runner_strength.voice.conversation.session import SessionState
from tests.support.clock import NOW, Clock
from tests.support.envelopes import Conversation, heard, said, slot, unpacked
from tests.support.skills import device_in, make_skill

WIRES = [spec.metadata["wire"] for spec in fields(SessionState)]
# What a wrong attribute is replaced with: other types, a number out of any range, nothing.
ODD = ("soon", -3, 999, 2.5, True, None, ["x"], {"a": "b"})
# What the runner says next: each reads some of the session (the delivery's timeline, the pending question and what
# it is about, what undo puts back, what the finish offers to keep, the last response, the back-off).
NEXT = (("AMAZON.NextIntent", None), ("AMAZON.PauseIntent", 20.0), ("AMAZON.RepeatIntent", None),
        ("HowManyLeftIntent", None), ("UndoIntent", None), ("AMAZON.YesIntent", None),
        ("FinishWorkoutIntent", None))
# Attributes the conversation below does not leave, as the skill writes them; and questions with what they are about.
EXAMPLES: dict[str, list[Any]] = {
    "notice": [{TROUBLE: False}],
    "one_offs": [{"equipment": "dumbbells", "level": "advanced", "rounds": 2}],
    "cramps": [1],
    "store_retry_at": [(NOW + timedelta(seconds=10)).isoformat()],
    "unconfirmed_saves": [["0f3a"]],
    "summed_up": ["20261125070000-000001"],
    "unread": [True],
    "question": [
        {"name": "sore_check", "about": {"part": "knee", "then": None}, "prompt": "Still sore?", "reprompt": None},
        {"name": "drop_kit", "about": {"kit": "resistance_band"}, "prompt": "Drop it?", "reprompt": "Drop it?"},
        {"name": "keep_request", "about": {"equipment": "dumbbells", "level": "advanced", "rounds": 2},
         "prompt": "Keep it?", "reprompt": "Keep it?"},
    ],
}


def in_a_workout() -> tuple[Conversation, MemoryStore]:
    """A runner two sets into a workout built with a one-off (two rounds), who just made one move harder."""
    store = MemoryStore()
    talk = Conversation(make_skill(store, Clock(), settings=device_in("America/Los_Angeles", "IMPERIAL")))
    talk.launch()
    talk.say("BuildCircuitIntent", rounds=slot("rounds", "2"))
    talk.say("ReadyIntent")
    talk.say("HarderIntent")
    talk.say("AMAZON.NextIntent")
    return talk, store


def odd_shapes(value: Any, depth: int = 3) -> Iterator[Any]:
    """`value` with one part of it (to `depth` levels down) replaced by an ODD value or left out, an unknown key
    added (with a value like the others), or every item of a list changed as its first is. Of a long list, its first
    two items and its last are changed one at a time."""
    if depth == 0:
        return
    if isinstance(value, dict):
        for key in value:
            for odd in ODD:
                yield {**value, key: odd}
            yield {k: v for k, v in value.items() if k != key}
            for inner in odd_shapes(value[key], depth - 1):
                yield {**value, key: inner}
        yield {**value, "unknown.key": next(iter(value.values()), 1)}
    elif isinstance(value, list) and value:
        for i in range(len(value)) if len(value) <= 4 else (0, 1, len(value) - 1):
            for odd in (*ODD, *odd_shapes(value[i], depth - 1)):
                yield [*value[:i], odd, *value[i + 1:]]
        if len(value) > 2:
            for odd in (*ODD, *odd_shapes(value[0], depth - 1)):
                yield [odd] * len(value)


@pytest.fixture(scope="module")
def workout() -> tuple[Conversation, MemoryStore, dict, dict]:
    talk, store = in_a_workout()
    return talk, store, unpacked(talk.session), store.snapshot()


def examples(session: dict[str, Any]) -> dict[str, list[Any]]:
    found = {wire: [session[wire]] for wire in WIRES if wire in session}
    # A step spoken in parts is the one the workout is at.
    found["block_parts"] = [{"step": session["record"]["workout"]["position"], "mark": 1}]
    for wire, values in EXAMPLES.items():
        found.setdefault(wire, []).extend(values)
    return found


def test_every_attribute_the_skill_reads_has_an_example(workout):
    assert sorted(examples(workout[2])) == sorted(WIRES)


def cases(wire: str, session: dict[str, Any], every_request: bool) -> Iterator[tuple[Any, tuple[str, float | None]]]:
    """Each ODD value followed by each request; each odd shape of the attribute's examples by one of them in turn,
    or (`every_request`) by each."""
    for value in ODD:
        for request in NEXT:
            yield value, request
    shapes = [shape for example in examples(session)[wire] for shape in odd_shapes(example)]
    for i, value in enumerate(shapes):
        for request in NEXT if every_request else (NEXT[i % len(NEXT)],):
            yield value, request


@pytest.mark.parametrize("every_request", [False, pytest.param(True, marks=pytest.mark.slow)])
@pytest.mark.parametrize("wire", WIRES)
def test_an_attribute_of_the_wrong_type_or_shape_never_makes_the_turn_apologise(workout, wire, every_request,
                                                                               caplog):
    talk, store, session, stored = workout
    apologies, tried = [], 0
    with caplog.at_level(logging.CRITICAL):  # each dropped attribute is logged; thousands of lines here
        for value, (intent, barge) in cases(wire, session, every_request):
            tried += 1
            store.restore(stored)
            runner = Conversation(talk.skill, session={**copy.deepcopy(session), wire: copy.deepcopy(value)},
                                  device_time=talk.device_time, last_stamp=talk.last_stamp)
            if heard(runner.send({"type": "IntentRequest", "intent": {"name": intent, "slots": {}}}, barge),
                     "error.sorry"):
                apologies.append(f"{wire}={value!r} then {intent}")
    assert not apologies, f"{len(apologies)} of {tried}: {apologies[:5]}"


def test_a_back_off_that_is_not_a_time_does_not_keep_the_workout_from_being_saved(workout):
    """An older version's store_retry_at ("soon", or a time far ahead) read as a back-off for the whole session:
    every set done went unsaved until the session ended."""
    talk, store, session, stored = workout
    for retry_at in ("soon", "9999-12-31T00:00:00+00:00", "2026-11-25T07:00:10"):
        store.restore(stored)
        writes = store.writes
        runner = Conversation(talk.skill, session={**copy.deepcopy(session), "store_retry_at": retry_at},
                              device_time=talk.device_time, last_stamp=talk.last_stamp)
        reply = runner.say("AMAZON.NextIntent")
        assert "<break" in reply["response"]["outputSpeech"]["ssml"], said(reply)
        assert store.writes == writes + 1, f"store_retry_at={retry_at!r}: the sets just done were not saved"
    store.restore(stored)
    writes = store.writes
    within = (NOW + timedelta(seconds=10)).isoformat()
    runner = Conversation(talk.skill, session={**copy.deepcopy(session), "store_retry_at": within},
                          device_time=talk.device_time, last_stamp=talk.last_stamp)
    runner.say("AMAZON.NextIntent")
    assert store.writes == writes, "a back-off this version set is still kept"


def test_a_dropped_attribute_is_logged_by_name_never_with_its_value(workout, caplog):
    talk, store, session, stored = workout
    store.restore(stored)
    runner = Conversation(talk.skill, session={**copy.deepcopy(session), "block_parts": {"step": 0, "mark": "x-77"}},
                          device_time=talk.device_time, last_stamp=talk.last_stamp)
    with caplog.at_level(logging.WARNING):
        runner.say("AMAZON.NextIntent")
    assert "'block_parts'" in caplog.text and "x-77" not in caplog.text


def test_a_turn_that_fails_on_what_the_session_carries_apologises_once_not_every_turn(workout, monkeypatch):
    """Whatever a check misses: a reader that fails on the delivery the session carries (here a planted one)
    costs one apology; the session goes back without what the conversation was in the middle of."""
    talk, store, session, stored = workout
    store.restore(stored)
    real = interruption.where

    def choking(turn):
        if turn.state.block is not None:
            raise ValueError("a timeline this reader cannot take")
        return real(turn)

    monkeypatch.setattr(interruption, "where", choking)
    runner = Conversation(talk.skill, session=copy.deepcopy(session), device_time=talk.device_time,
                          last_stamp=talk.last_stamp)
    first = runner.say("HowManyLeftIntent")
    assert heard(first, "error.sorry")
    again = runner.say("HowManyLeftIntent")
    assert not heard(again, "error.sorry"), said(again)
    assert "sets to go" in said(again) or "left" in said(again), said(again)
