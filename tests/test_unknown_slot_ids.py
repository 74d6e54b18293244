"""A slot value the model resolves to an id the code does not know (an interaction model newer than the code) is
heard as words the model does not know: the runner hears what the skill knows, never an apology, and nothing
becomes a setting by surprise. The cases are every intent of the model with a custom slot, each such slot, at three
moments; and every id the model has is one the code acts on."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from runner_strength.storage.memory import MemoryStore
from tests.support.clock import Clock
from tests.support.envelopes import Conversation, heard, said, slot, unpacked
from tests.support.skills import make_skill
from tools.endpoint import ROOT

LANGUAGE = json.loads((ROOT / "interaction_model" / "en-US.json").read_text())["interactionModel"]["languageModel"]
TYPES = {t["name"]: [v["id"] for v in t["values"]] for t in LANGUAGE["types"]}
# (intent, slot, slot type) for every slot of a custom type
SLOTS = [(i["name"], s["name"], s["type"]) for i in LANGUAGE["intents"] for s in i.get("slots", ())
         if s["type"] in TYPES]
MOMENTS = {"no workout": (), "asked if ready": ("BuildCircuitIntent",),
           "in a workout": ("BuildCircuitIntent", "ReadyIntent")}
WORDS = "kettlebell swings"


def answer(moment: str, intent: str, slot_name: str, value: dict[str, Any]) -> dict[str, Any]:
    talk = Conversation(make_skill(MemoryStore(), Clock()))
    talk.launch()
    for earlier in MOMENTS[moment]:
        talk.say(earlier)
    return talk.say(intent, **{slot_name: value})


def preferences(reply: dict[str, Any]) -> dict[str, Any]:
    return unpacked(reply.get("sessionAttributes")).get("record", {}).get("preferences", {})


def test_the_cases_include_the_ten_intents_that_apologised():
    assert {"BuildCircuitIntent", "HaveEquipmentIntent", "LackEquipmentIntent", "SetLevelIntent", "SetPaceIntent",
            "SetCueStyleIntent", "AddAreaIntent", "RemoveAreaIntent", "FocusAreaIntent", "AlwaysAreaIntent"} \
        <= {intent for intent, _, _ in SLOTS}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize(("intent", "slot_name", "kind"), SLOTS)
def test_an_id_newer_than_the_code_is_heard_as_words_the_model_does_not_know(moment, intent, slot_name, kind):
    newer = answer(moment, intent, slot_name, slot(slot_name, WORDS, "KETTLEBELL_SWING"))
    unmatched = answer(moment, intent, slot_name, slot(slot_name, WORDS, matched=False))
    assert not heard(newer, "error.sorry"), said(newer)
    assert said(newer) == said(unmatched)
    assert preferences(newer) == preferences(unmatched), "a setting changed on an id the code does not know"


def test_a_kit_or_level_the_code_does_not_know_is_said_not_silently_left_out():
    reply = answer("no workout", "BuildCircuitIntent", "equipment", slot("equipment", "a kettlebell", "KETTLEBELL"))
    assert heard(reply, "build.unknown_kit", heard="a kettlebell"), said(reply)
    assert "full circuit" in said(reply).lower(), "and the circuit is offered"
    reply = answer("no workout", "BuildCircuitIntent", "level", slot("level", "elite", "ELITE"))
    assert heard(reply, "build.unknown_level", heard="elite"), said(reply)


@pytest.mark.parametrize(("intent", "slot_name", "kind"), SLOTS)
def test_every_id_in_the_model_is_one_the_code_acts_on(intent, slot_name, kind, caplog):
    for value_id in TYPES[kind]:
        with caplog.at_level(logging.WARNING):
            answer("no workout", intent, slot_name, slot(slot_name, value_id.lower().replace("_", " "), value_id))
        assert "does not know" not in caplog.text, f"{intent}.{slot_name} = {value_id}"
        caplog.clear()
