"""Every response of many generated workouts respects Alexa's limits (docs/speaking.md lists them)."""

from __future__ import annotations

import json
import random
import re

import pytest

from tests.support.envelopes import Conversation, said, slot
from tests.support.limits import check_response
from tests.support.skills import make_skill
from tests.support.workouts import aside, generated_workout

CIRCUITS = 300


@pytest.mark.slow
def test_every_response_of_many_generated_workouts_is_within_alexas_limits(store, clock):
    rng = random.Random(20261125)
    skill = make_skill(store, clock)
    responses = 0
    for _ in range(CIRCUITS):
        talk = Conversation(skill, user_id=f"amzn1.ask.account.{rng.randrange(10**9)}")
        replies = generated_workout(talk, rng, lambda talk, rng: aside(talk, rng) if rng.random() < 0.15
                                    else talk.say("AMAZON.NextIntent"))
        for reply in replies:
            check_response(reply)
        responses += len(replies)
    assert responses > CIRCUITS * 10


def test_a_runner_with_a_full_history_still_gets_responses_within_the_limits(store, clock):
    skill = make_skill(store, clock)
    for _ in range(50):
        talk = Conversation(skill)
        talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"),
                 secondArea=slot("secondArea", "hammies", "HAMSTRINGS"), rounds=slot("rounds", "1"))
        talk.say("ReadyIntent")
        for _ in range(6):
            talk.say("AMAZON.NextIntent")
        clock.advance(days=1)
    assert len(next(iter(store.items.values()))["history"]) == 50
    talk = Conversation(skill)
    replies = [talk.launch(), talk.say("BuildCircuitIntent"), talk.say("ReadyIntent")]
    replies += [talk.say("AMAZON.NextIntent") for _ in range(3)]
    replies += [talk.say("LastWorkoutIntent"), talk.say("StreakIntent")]
    for reply in replies:
        check_response(reply)
    largest = max(len(json.dumps(r).encode()) for r in replies)
    assert largest < 24 * 1024
    print("largest response with a full history:", largest, "bytes")


def test_a_runner_with_everything_remembered_still_gets_responses_within_the_limits(store, clock):
    """The largest record a runner can have: 50 sessions (each with exercises eased), progression's log and told
    keys full, a dose and a ladder choice remembered for every exercise, and that record in the session."""
    from dataclasses import replace

    from runner_strength.training.catalog import load_catalog
    from runner_strength.training.progression import DOSE_UP, LOG_LIMIT, Change
    from runner_strength.training.record import HISTORY_LIMIT, MAX_DOSE_STEPS, RunnerRecord, Session
    from tests.support.envelopes import request_for

    catalog = load_catalog()
    ids = sorted(catalog.exercises)
    day = clock.now.date().isoformat()
    history = tuple(Session(id=f"2026{n:010d}-{n:06d}", day=day, areas=("HAMSTRINGS", "GLUTE_MEDIUS"),
                            picks=tuple(ids[n % 40:n % 40 + 9]), done=10, total=10, finished=True,
                            did=tuple(ids[n % 40:n % 40 + 6]), eased={i: "too_hard" for i in ids[n % 40:n % 40 + 3]})
                    for n in range(HISTORY_LIMIT))
    log = tuple(Change(day, ids[n % len(ids)], DOSE_UP, 1 + n % MAX_DOSE_STEPS, ids[n % len(ids)], history[-1].id)
                for n in range(LOG_LIMIT))
    record = RunnerRecord(history=history, progress=log, told=tuple(c.key for c in log), welcomed=True)
    prefs = replace(record.preferences, dose_steps={i: MAX_DOSE_STEPS for i in ids},
                    variants={i: ids[(k + 1) % len(ids)] for k, i in enumerate(ids)}, avoid=frozenset(ids[:8]))
    store.save_attributes(request_for("amzn1.ask.account.FULL"), replace(record, preferences=prefs).to_dict())
    skill = make_skill(store, clock)
    talk = Conversation(skill, user_id="amzn1.ask.account.FULL")
    replies = [talk.launch(), talk.say("BuildCircuitIntent"), talk.say("ReadyIntent")]
    replies += [talk.say("AMAZON.NextIntent") for _ in range(3)]
    replies += [talk.say("ProgressionIntent"), talk.say("SettingsIntent"), talk.say("LastWorkoutIntent")]
    for reply in replies:
        check_response(reply)
    # Found here: reading every choice back ran 395 s, and the apology for it sent the record unpacked (55 KB).
    settings = said(replies[-2])
    assert "Exercises made harder or easier" in settings or "Your harder and easier choices" in settings
    assert re.search(r"and \d+ more\.", settings), "a long list names five, then says how many more"
    largest = max(len(json.dumps(r).encode()) for r in replies)
    print("largest response with everything remembered:", largest, "bytes")
    assert largest < 24 * 1024
