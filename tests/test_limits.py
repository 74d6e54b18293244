"""Every response of many generated workouts respects Alexa's limits (PRODUCT.md)."""

from __future__ import annotations

import random

from runner_strength.training.catalog import AREAS
from tests.alexa_envelopes import Conversation, slot
from tests.conftest import make_skill
from tests.limits import check_response

AREA_WORDS = {"HAMSTRINGS": "hammies", "GLUTE_MEDIUS": "glutes", "LOWER_BACK": "core", "REAR_DELTS": "posture",
              "LOWER_BODY_STABILITY": "balance"}
EQUIPMENT = {"NONE": "nothing", "RESISTANCE_BAND": "band", "DUMBBELLS": "dumbbells",
             "STABILITY_BALL": "swiss ball", "STEP_OR_BENCH": "step"}
LEVELS = {"BEGINNER": "easy", "INTERMEDIATE": "medium", "ADVANCED": "hard"}
ASIDES = ("AMAZON.RepeatIntent", "AMAZON.PreviousIntent", "HowManyLeftIntent", "ExplainIntent",
          "AMAZON.HelpIntent", "SkipIntent", "AMAZON.FallbackIntent", "HarderIntent", "EasierIntent", "SwapIntent",
          "PainIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "RemoveAreaIntent", "AddAreaIntent",
          "FocusAreaIntent")
AREA_ASIDES = {"RemoveAreaIntent", "AddAreaIntent", "FocusAreaIntent"}


def aside(talk: Conversation, rng: random.Random) -> dict:
    name = rng.choice(ASIDES)
    if name in AREA_ASIDES:
        area = rng.choice(AREAS)
        return talk.say(name, area=slot("area", AREA_WORDS[area], area))
    return talk.say(name)
CIRCUITS = 300


def random_request_slots(rng: random.Random) -> dict:
    slots = {}
    areas = rng.sample(AREAS, rng.choice([0, 0, 1, 1, 2]))
    for name, area in zip(("area", "secondArea"), areas, strict=False):
        slots[name] = slot(name, AREA_WORDS[area], area)
    if rng.random() < 0.5:
        slots["minutes"] = slot("minutes", str(rng.randint(3, 90)))
    if rng.random() < 0.4:
        slots["rounds"] = slot("rounds", str(rng.randint(0, 12)))
    if rng.random() < 0.5:
        key = rng.choice(sorted(EQUIPMENT))
        slots["equipment"] = slot("equipment", EQUIPMENT[key], key)
    if rng.random() < 0.5:
        key = rng.choice(sorted(LEVELS))
        slots["level"] = slot("level", LEVELS[key], key)
    return slots


def test_every_response_of_many_generated_workouts_is_within_alexas_limits(store, clock):
    rng = random.Random(20261125)
    skill = make_skill(store, clock)
    responses = 0
    for _ in range(CIRCUITS):
        talk = Conversation(skill, user_id=f"amzn1.ask.account.{rng.randrange(10**9)}")
        replies = [talk.launch(), talk.say("BuildCircuitIntent", **random_request_slots(rng)),
                   talk.say("ReadyIntent")]
        while talk.session is not None and len(replies) < 200:
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
