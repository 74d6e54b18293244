"""Every response of many generated workouts respects Alexa's limits (PRODUCT.md)."""

from __future__ import annotations

import random

from tests.support.envelopes import Conversation, slot
from tests.support.limits import check_response
from tests.support.skills import make_skill
from tests.support.workouts import aside, random_request_slots

CIRCUITS = 300


def test_every_response_of_many_generated_workouts_is_within_alexas_limits(store, clock):
    rng = random.Random(20261125)
    skill = make_skill(store, clock)
    responses = 0
    for _ in range(CIRCUITS):
        talk = Conversation(skill, user_id=f"amzn1.ask.account.{rng.randrange(10**9)}")
        replies = [talk.launch(), talk.say("BuildCircuitIntent", **random_request_slots(rng)),
                   talk.say("ReadyIntent")]
        while talk.session is not None and len(replies) < 200:
            if (talk.session.get("question") or {}).get("name") == "keep_request":
                # The finish offers to remember what the request named: answered either way, it ends.
                replies.append(talk.say(rng.choice(["AMAZON.YesIntent", "AMAZON.NoIntent"])))
                continue
            replies.append(aside(talk, rng) if rng.random() < 0.15 else talk.say("AMAZON.NextIntent"))
        assert talk.session is None, "the workout came to an end"
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
    largest = max(len(__import__("json").dumps(r).encode()) for r in replies)
    assert largest < 24 * 1024
    print("largest response with a full history:", largest, "bytes")
