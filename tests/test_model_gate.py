"""The interaction model's quality gate: the committed model is exactly its grammar expanded, it passes every check in
tools/model/gate.py (Alexa's rules and limits, with their sources, are cited there), and each check can fail."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog
from tools.model import expand, gate

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "interaction_model" / "en-US.json"


@cache
def model_text() -> str:
    return MODEL.read_text(encoding="utf-8")


def model() -> dict[str, Any]:
    return json.loads(model_text())


def intents(of: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {intent["name"]: intent for intent in gate.language_model(of)["intents"]}


def test_the_committed_model_is_the_grammar_expanded():
    assert expand.expanded("en-US") == model_text(), "interaction_model/en-US.json is stale: run make model"


def test_the_expansion_is_stable_and_sorted():
    again = expand.build(expand.load(expand.GRAMMAR_DIR / "en-US.yaml"))
    assert expand.render(again) == model_text()
    for intent in intents(again).values():
        assert intent["samples"] == sorted(set(intent["samples"])), intent["name"]


@pytest.mark.parametrize("check", gate.CHECKS, ids=lambda check: check.__name__)
def test_the_model_passes_the_gate(check):
    assert check(model()) == []


def test_the_model_is_within_alexas_size_limits():
    assert gate.size_limits(model(), model_text()) == []
    assert len(model_text().encode()) < gate.MAX_MODEL_BYTES


def test_every_intent_and_slot_the_code_reads_is_in_the_model():
    code = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "lambda").rglob("*.py"))
    named = set(re.findall(r'"((?:AMAZON\.)?[A-Z][A-Za-z]*Intent)"', code))
    slots_read = set(re.findall(r'\b(?:resolved|number)\(\s*\w+\s*,\s*"(\w+)"', code))
    declared = {slot["name"] for intent in intents(model()).values() for slot in intent.get("slots") or []}
    assert named and named <= set(intents(model()))
    assert slots_read and slots_read <= declared


def broken(change) -> dict[str, Any]:
    spoiled = copy.deepcopy(model())
    change(intents(spoiled), gate.language_model(spoiled))
    return spoiled


@pytest.mark.parametrize(("check", "change", "complaint"), [
    (gate.sample_counts, lambda i, lm: i["StreakIntent"].update(samples=i["StreakIntent"]["samples"][:29]),
     "StreakIntent has 29 samples"),
    (gate.repeated_samples, lambda i, lm: i["StreakIntent"]["samples"].append("ready"), '"ready" is a sample of both'),
    (gate.repeated_samples, lambda i, lm: i["BuildCircuitIntent"]["samples"].append("{secondArea} and {area}"),
     "with another slot"),
    (gate.overlaps, lambda i, lm: i["PainIntent"]["samples"].append("{bodyPart} please"),
     'matches BuildCircuitIntent "{area} please" and PainIntent "{bodyPart} please"'),
    (gate.overlaps, lambda i, lm: i["AMAZON.RepeatIntent"]["samples"].append("twenty rounds"),
     '"twenty rounds" matches AMAZON.RepeatIntent'),
    (gate.slot_declarations, lambda i, lm: i["StreakIntent"]["samples"].append("my streak in {area}"),
     "StreakIntent uses slot area but does not declare it"),
    (gate.slot_declarations, lambda i, lm: i["StreakIntent"]["slots"].append({"name": "day", "type": "AMAZON.DATE"}),
     "StreakIntent declares slot day but no sample uses it"),
    (gate.slot_values, lambda i, lm: lm["types"][0]["values"][0]["name"].update(synonyms=[]), "no synonyms"),
    (gate.slot_values, lambda i, lm: lm["types"][0]["values"][0].pop("id"), "has no id"),
    (gate.slot_values, lambda i, lm: lm["types"][0]["values"][1]["name"]["synonyms"].append("hamstrings"),
     "'hamstrings' means both HAMSTRINGS and GLUTE_MEDIUS"),
    (gate.sample_rules, lambda i, lm: i["StreakIntent"]["samples"].append("What's my streak?"), "lowercase words"),
    (gate.sample_rules, lambda i, lm: i["SetRoundsIntent"]["samples"].append("always do 3 rounds"),
     "numbers as words"),
    (gate.sample_rules, lambda i, lm: i["BuildCircuitIntent"]["samples"].append("a {level} {area} workout"),
     "two slots with no word between them"),
    (gate.invocation_name, lambda i, lm: lm.update(invocationName="runner"), "two or more words"),
    (gate.invocation_name, lambda i, lm: lm.update(invocationName="ask runner strength"), "'ask' is a launch"),
    (gate.invocation_name, lambda i, lm: lm.update(invocationName="the runner"), "article or preposition"),
])
def test_each_check_catches_what_it_is_for(check, change, complaint):
    found = check(broken(change))
    assert any(complaint in problem for problem in found), found


def test_the_size_limit_catches_a_model_too_big():
    padded = model_text() + " " * gate.MAX_MODEL_BYTES
    assert any("over Alexa's" in problem for problem in gate.size_limits(model(), padded))


# --- the exercises: generated from the catalog -------------------------------------------------------------------

def exercise_differences(of: dict[str, Any]) -> list[str]:
    """Where the model's ExerciseType and the catalog part: every exercise NeverExerciseIntent can be told about
    (warm-up drills too) must be a value, named as the coach names it, and every value an exercise."""
    catalog, names = load_catalog(), load_locale("en-US").exercises
    values = {value["id"]: value["name"]["value"]
              for slot_type in gate.language_model(of)["types"] if slot_type["name"] == "ExerciseType"
              for value in slot_type["values"]}
    problems = [f"{exercise_id} is in the catalog but not an ExerciseType value"
                for exercise_id in catalog.exercises if exercise_id not in values]
    problems += [f"ExerciseType {value_id} is not in the catalog" for value_id in values if value_id not in catalog]
    problems += [f"ExerciseType {value_id} is {value!r}, the coach says {names[value_id].name!r}"
                 for value_id, value in values.items()
                 if value_id in names and value != " ".join(names[value_id].name.lower().replace("-", " ").split())]
    return problems


def exercise_type(of: dict[str, Any]) -> dict[str, Any]:
    return next(t for t in gate.language_model(of)["types"] if t["name"] == "ExerciseType")


def test_every_exercise_is_an_exercise_type_value_and_every_value_an_exercise():
    assert exercise_differences(model()) == []
    assert {"high_knees", "nordic_hamstring_curl"} <= {value["id"] for value in exercise_type(model())["values"]}


def test_the_exercise_check_catches_a_catalog_and_model_out_of_step():
    spoiled = copy.deepcopy(model())
    values = exercise_type(spoiled)["values"]
    values[:] = [v for v in values if v["id"] != "clamshell"]
    values.append({"id": "burpee", "name": {"value": "burpee", "synonyms": ["burpees"]}})
    next(v for v in values if v["id"] == "a_skip")["name"]["value"] = "a skip"
    assert exercise_differences(spoiled) == [
        "clamshell is in the catalog but not an ExerciseType value",
        "ExerciseType burpee is not in the catalog",
        "ExerciseType a_skip is 'a skip', the coach says 'A-skips'",
    ]


def grammar() -> dict[str, Any]:
    return expand.load(expand.GRAMMAR_DIR / "en-US.yaml")


def test_an_exercise_needs_no_synonyms_to_be_a_value_but_other_values_do():
    plain = grammar()
    del plain["types"]["ExerciseType"]["from_catalog"]["prone_y_t_w_raise"]
    built = expand.build(plain)
    value = next(v for v in exercise_type(built)["values"] if v["id"] == "prone_y_t_w_raise")
    assert value["name"] == {"value": "prone y t w raise", "synonyms": []}
    assert gate.slot_values(built) == []
    built["interactionModel"]["languageModel"]["types"][0]["values"][0]["name"]["synonyms"] = []
    assert gate.slot_values(built) == ["AreaType.HAMSTRINGS: no synonyms"]


@pytest.mark.parametrize(("change", "complaint"), [
    (lambda types: types["ExerciseType"]["from_catalog"].update(burpee=["burpees"]),
     "types.ExerciseType.from_catalog: burpee is not an exercise in the catalog"),
    (lambda types: types["ExerciseType"]["from_catalog"].update(clamshell="clams"),
     "types.ExerciseType.from_catalog.clamshell: synonyms must be a list of phrases"),
    (lambda types: types.update(ExerciseType={"values": []}), "types.ExerciseType: a list of values, or from_catalog"),
])
def test_a_bad_exercise_type_in_the_grammar_is_refused_naming_it(change, complaint):
    bad = grammar()
    change(bad["types"])
    with pytest.raises(expand.GrammarError, match=re.escape(complaint)):
        expand.build(bad)
