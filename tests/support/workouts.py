"""Workouts made up for tests and benchmarks: the words a runner uses for areas, kit and levels, random circuit
requests, and random asides in the middle of a workout."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ask_sdk_core.skill import CustomSkill

from runner_strength.training.catalog import AREAS, DRILLS, load_catalog
from runner_strength.training.record import RunnerRecord, Session
from tests.support.clock import Clock
from tests.support.envelopes import Conversation, request_for, slot, waits

_CATALOG = load_catalog()

# What a runner says for each slot value (the interaction model knows these words).
AREA_WORDS = {"HAMSTRINGS": "hammies", "GLUTE_MEDIUS": "glutes", "LOWER_BACK": "core", "REAR_DELTS": "posture",
              "LOWER_BODY_STABILITY": "balance"}
EQUIPMENT_WORDS = {"NONE": "nothing", "RESISTANCE_BAND": "band", "DUMBBELLS": "dumbbells",
                   "STABILITY_BALL": "swiss ball", "STEP_OR_BENCH": "step"}
LEVEL_WORDS = {"BEGINNER": "easy", "INTERMEDIATE": "medium", "ADVANCED": "hard"}
# A word a runner might say for each slot of the model, to fill its samples with.
SLOT_FILL = {"area": "glutes", "secondArea": "hamstrings", "rounds": "three", "minutes": "twenty", "equipment": "band",
             "level": "easy", "seconds": "fifteen", "change": "longer", "pace": "slower", "style": "brief",
             "exercise": "clamshell", "bodyPart": "knee", "run": "easy day", "day": "saturday", "miles": "ten",
             "kilometers": "eight", "warmup": "warm up", "sign": "sharp", "feel": "just right",
             "secondEquipment": "step"}

ASIDES = ("AMAZON.RepeatIntent", "AMAZON.PreviousIntent", "HowManyLeftIntent", "ExplainIntent",
          "AMAZON.HelpIntent", "SkipIntent", "AMAZON.FallbackIntent", "HarderIntent", "EasierIntent", "SwapIntent",
          "PainIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "RemoveAreaIntent", "AddAreaIntent",
          "FocusAreaIntent")
AREA_ASIDES = {"RemoveAreaIntent", "AddAreaIntent", "FocusAreaIntent"}


def area_slot(area: str, name: str = "area") -> dict[str, Any]:
    """The area slot as Alexa resolves it from the runner's word for `area` (an AREAS id)."""
    return slot(name, AREA_WORDS[area], area)


def aside(talk: Conversation, rng: random.Random) -> dict[str, Any]:
    """Something other than "next", said mid-workout: a question, a change, a yes or no out of the blue."""
    name = rng.choice(ASIDES)
    if name in AREA_ASIDES:
        return talk.say(name, area=area_slot(rng.choice(AREAS)))
    return talk.say(name)


def random_request_slots(rng: random.Random) -> dict[str, dict[str, Any]]:
    """The slots of a random circuit request: none to two areas, maybe minutes, rounds, kit and level."""
    slots = {}
    areas = rng.sample(AREAS, rng.choice([0, 0, 1, 1, 2]))
    for name, area in zip(("area", "secondArea"), areas, strict=False):
        slots[name] = area_slot(area, name)
    if rng.random() < 0.5:
        slots["minutes"] = slot("minutes", str(rng.randint(3, 90)))
    if rng.random() < 0.4:
        slots["rounds"] = slot("rounds", str(rng.randint(0, 12)))
    if rng.random() < 0.5:
        key = rng.choice(sorted(EQUIPMENT_WORDS))
        slots["equipment"] = slot("equipment", EQUIPMENT_WORDS[key], key)
    if rng.random() < 0.5:
        key = rng.choice(sorted(LEVEL_WORDS))
        slots["level"] = slot("level", LEVEL_WORDS[key], key)
    return slots


def pending_question(talk: Conversation) -> str | None:
    """The name of the question the skill is waiting on an answer to, if any."""
    return ((talk.session or {}).get("question") or {}).get("name")


def generated_workout(talk: Conversation, rng: random.Random,
                      move: Callable[[Conversation, random.Random], dict[str, Any]]) -> list[dict[str, Any]]:
    """A random circuit request, built and started, then `move` turn after turn until the session ends (the
    finish's offer to remember what the request named is answered either way; after the last response, which
    leaves the microphone open a moment, the runner says nothing); every reply."""
    replies = [talk.launch(), talk.say("BuildCircuitIntent", **random_request_slots(rng)), talk.say("ReadyIntent")]
    while talk.session is not None and len(replies) < 200:
        if pending_question(talk) == "keep_request":
            replies.append(talk.say(rng.choice(["AMAZON.YesIntent", "AMAZON.NoIntent"])))
            continue
        if not waits(replies[-1]):
            replies.append(talk.silence())
            continue
        replies.append(move(talk, rng))
    assert talk.session is None, "the workout came to an end"
    return replies


def loyal_move(talk: Conversation, rng: random.Random) -> dict[str, Any]:
    """A turn of a workout as a runner who keeps coming back takes it: mostly next; now and then a named part that
    hurts, harder or easier; and an answer, either way, to whatever the coach asked."""
    if pending_question(talk):
        return talk.say(rng.choice(["AMAZON.YesIntent", "AMAZON.NoIntent"]))
    roll = rng.random()
    if roll < 0.04:
        part = rng.choice(["knee", "hip", "back", "ankle"])
        return talk.say("PainIntent", bodyPart=slot("bodyPart", part, part.upper()))
    if roll < 0.08:
        return talk.say(rng.choice(["HarderIntent", "EasierIntent"]))
    return talk.say("AMAZON.NextIntent")


def loyal_runner(skill: CustomSkill, clock: Clock, rng: random.Random, workouts: int, user: str) -> None:
    """`workouts` generated workouts done through the skill, a day to three apart: the history, progression's log,
    the harder and easier choices, the exercises left out and the sore parts a loyal runner's record holds."""
    for _ in range(workouts):
        generated_workout(Conversation(skill, user_id=user, device_time=clock.now), rng, loyal_move)
        clock.advance(days=rng.choice([1, 1, 2, 3]))


def seeded_glute_runner(store, clock, user: str) -> None:
    """A runner who has done every glute medius move in full in two sessions this week: whatever a glute circuit
    picks has grown."""
    glutes = tuple(e.id for e in _CATALOG.in_area("GLUTE_MEDIUS"))
    drills = tuple(e.id for e in _CATALOG.in_area(DRILLS))[:3]
    days = [(clock.now - timedelta(days=d)).date().isoformat() for d in (6, 3)]
    history = tuple(Session(id=f"seed{n}", day=day, areas=("GLUTE_MEDIUS",), picks=drills + glutes,
                            done=2 * len(glutes), total=2 * len(glutes), finished=True) for n, day in enumerate(days))
    record = RunnerRecord(history=history, welcomed=True, workouts_finished=2)
    store.save_attributes(request_for(user), record.to_dict())


# Where the runner is in the last delivery ----------------------------------------------------------------------

WORK_MARKS = ("hold", "reps")  # a set's (or a warm-up drill's) work; "switch" is the change of sides between


def mark_of(talk: Conversation, kinds: str | tuple[str, ...], step: int | None = None) -> list:
    """The first mark of a kind in `kinds` (hold, reps, switch: work; rest: the rest leading into `step`; setup: the
    count to get set for it) for workout step `step` (any step when None), on the timeline of the last delivery
    sent: `[kind, start, seconds, step]`, in seconds from the delivery's start, as `barge=` counts them. A set done
    per side has a work mark for each side; the first is its first side's."""
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    marks = ((talk.session or {}).get("block_sent") or {}).get("marks") or []
    found = next((m for m in marks if m[0] in kinds and (step is None or m[3] == step)), None)
    assert found is not None, f"no {'/'.join(kinds)} mark for step {step} in the last delivery: {marks}"
    return found
