"""The catalog shipped with the skill, and how a bad catalog is reported."""

import copy
import json
import re
from collections import Counter

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import (
    AREAS,
    DEFAULT_PATH,
    DRILLS,
    EQUIPMENT,
    LEVELS,
    CatalogError,
    load_catalog,
    parse_catalog,
)

CATALOG = load_catalog()
RAW = json.loads(DEFAULT_PATH.read_text())


def test_every_area_has_six_exercises_three_without_equipment():
    for area in AREAS:
        exercises = CATALOG.in_area(area)
        assert len(exercises) >= 6, area
        assert sum(e.equipment == "none" for e in exercises) >= 3, area


def test_warm_up_drills_include_high_knees_butt_kicks_and_two_more():
    drills = {e.id for e in CATALOG.in_area(DRILLS)}
    assert {"high_knees", "butt_kicks"} <= drills
    assert len(drills) >= 4


def test_every_area_has_two_exercises_without_equipment_at_every_level():
    for area in AREAS:
        for level in LEVELS:
            bodyweight = [e for e in CATALOG.in_area(area) if e.equipment == "none" and e.level == level]
            assert len(bodyweight) >= 2, (area, level)


def test_the_articles_drills_are_beginner_drills_and_every_level_has_drills_of_its_own():
    assert {CATALOG["high_knees"].level, CATALOG["butt_kicks"].level} == {"beginner"}
    for level in LEVELS:
        assert sum(e.level == level for e in CATALOG.in_area(DRILLS)) >= 2, level
    assert {"bounding", "straight_leg_bounds", "fast_feet"} <= {e.id for e in CATALOG.in_area(DRILLS)
                                                                 if e.level == "advanced"}


def test_every_equipment_value_and_level_is_used():
    assert set(Counter(e.equipment for e in CATALOG.exercises.values())) == set(EQUIPMENT)
    assert set(Counter(e.level for e in CATALOG.exercises.values())) == set(LEVELS)


def test_every_exercise_has_english_words_a_short_cue_and_a_two_to_four_sentence_how_to():
    text = load_locale("en-US").exercises
    assert set(text) == set(CATALOG.exercises)
    for exercise_id, words in text.items():
        assert len(words.cue.split()) <= 20, exercise_id
        sentences = [s for s in re.split(r"[.!?]+\s*", words.how_to) if s.strip()]
        assert 2 <= len(sentences) <= 4, exercise_id


def test_ladders_point_both_ways():
    for exercise in CATALOG.exercises.values():
        if exercise.harder:
            assert CATALOG[exercise.harder].easier == exercise.id


def broken(change) -> dict:
    data = copy.deepcopy(RAW)
    change(data["exercises"])
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda ex: ex[0].update(area="CALVES"), "area 'CALVES'"),
    (lambda ex: ex[0].update(equipment="kettlebell"), "equipment 'kettlebell'"),
    (lambda ex: ex[0].update(level="elite"), "level 'elite'"),
    (lambda ex: ex[0].update(reps=None, seconds=None), "exactly one of reps or seconds"),
    (lambda ex: ex[0].update(reps=10, seconds=30), "exactly one of reps or seconds"),
    (lambda ex: ex[0].update(tempo=0), "tempo"),
    (lambda ex: ex[0].pop("tempo"), "missing tempo"),
    (lambda ex: ex[0].update(colour="red"), "unknown field colour"),
    (lambda ex: ex[0].update(harder="no_such_move"), "unknown exercise 'no_such_move'"),
    (lambda ex: ex.append(dict(ex[0])), "duplicate id"),
    (lambda ex: ex[0].update(id="Bad Id"), "snake_case"),
    (lambda ex: ex[0].pop("loads"), "missing loads"),
    (lambda ex: ex[0].update(needs_space="yes"), "needs_space must be true or false"),
    (lambda ex: ex[0].update(loads=[]), "loads must list"),
    (lambda ex: ex[0].update(loads=["kneee"]), "loads must list"),
    (lambda ex: ex[0].update(loads=["knee", "knee"]), "loads must list"),
])
def test_a_bad_entry_is_named_in_the_error(change, message):
    data = broken(change)
    with pytest.raises(CatalogError, match=re.escape(message)):
        parse_catalog(data)


def test_the_error_names_the_entry():
    data = broken(lambda ex: ex[3].update(level="elite"))
    with pytest.raises(CatalogError, match=re.escape(f"#3 ({RAW['exercises'][3]['id']})")):
        parse_catalog(data)


def test_an_area_running_short_is_refused():
    def drop_rear_delts(exercises):
        exercises[:] = [e for e in exercises if e["area"] != "REAR_DELTS"]

    data = broken(drop_rear_delts)
    with pytest.raises(CatalogError, match="REAR_DELTS"):
        parse_catalog(data)


def test_a_level_left_without_two_bodyweight_exercises_in_an_area_is_refused():
    def drop_advanced_hamstrings(exercises):
        exercises[:] = [e for e in exercises if not (e["area"] == "HAMSTRINGS" and e["level"] == "advanced"
                                                     and e["equipment"] == "none" and e["harder"] is None
                                                     and e["easier"] is None)]

    with pytest.raises(CatalogError, match="area HAMSTRINGS: needs 2 advanced exercises without equipment"):
        parse_catalog(broken(drop_advanced_hamstrings))


def test_a_level_without_its_own_drills_is_refused():
    def drop_advanced_drills(exercises):
        exercises[:] = [e for e in exercises if not (e["area"] == "DRILLS" and e["level"] == "advanced")]

    with pytest.raises(CatalogError, match="needs 2 advanced drills"):
        parse_catalog(broken(drop_advanced_drills))


def test_the_manifest_and_interaction_model_agree_on_the_invocation():
    from tools.endpoint import ROOT

    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    model = json.loads((ROOT / "interaction_model" / "en-US.json").read_text())["interactionModel"]
    assert model["languageModel"]["invocationName"] == "runner strength"
    assert any("runner strength" in p for p in manifest["publishingInformation"]["locales"]["en-US"]["examplePhrases"])


def test_the_manifest_subscribes_to_the_skill_disabled_event():
    from tools.endpoint import ROOT

    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    assert {"eventName": "SKILL_DISABLED"} in manifest["events"]["subscriptions"]


def test_the_manifest_asks_for_skill_personalization():
    """Without it Alexa sends no personId, and everyone in a household shares the account's record."""
    from tools.endpoint import ROOT

    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    assert {"name": "alexa::person_id:read"} in manifest["permissions"]


def test_the_parts_each_exercise_loads_are_written_with_care():
    """A few a coach would check: a single-leg squat loads the knee and a prone Y raise does not; nothing on the
    floor on your back loads the ankle; every standing single-leg move loads the ankle and foot."""
    assert "knee" in CATALOG["single_leg_mini_squat"].loads
    assert not CATALOG["prone_y_raise"].loads & {"knee", "ankle", "hip", "back"}
    for lying in ("dead_bug", "glute_bridge", "clamshell", "heel_dig_hold", "prone_t_raise"):
        assert not CATALOG[lying].loads & {"ankle", "foot", "achilles", "calf"}, lying
    for standing in ("single_leg_deadlift", "single_leg_balance", "single_leg_mini_squat", "step_down"):
        assert {"ankle", "foot"} <= CATALOG[standing].loads, standing
    for drill in CATALOG.in_area("DRILLS"):
        assert {"ankle", "foot"} <= drill.loads, drill.id
