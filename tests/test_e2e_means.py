"""What the runner means, and the coach's clock, end to end: through virtual-alexa (our interaction model) over
HTTP against the served endpoint with the SQLite store, which stamps requests by a device clock."""

from __future__ import annotations

import json
import re

import pytest

from runner_strength.device import WORDS_PER_MINUTE
from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog
from tests.support.envelopes import played_seconds

pytestmark = pytest.mark.e2e
EN = load_locale("en-US")
GO = tuple(EN.phrases["go"]) + tuple(v.split(". ")[-1] for v in EN.phrases["side.first"])


def exercise_in(header: str) -> str:
    return re.search(r"Exercise \d+ of \d+, round \d+ of \d+: ([^,]+),", header)[1]


def test_too_easy_after_a_set_changes_that_set_and_a_no_keeps_it_to_today(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a glute circuit")
    alexa.utter("ready")
    done = exercise_in(alexa.utter("next").speech)
    harder = alexa.utter("make it harder")
    assert harder.intent == "HarderIntent" and done.lower() in harder.speech.lower()
    kept = alexa.utter("no")
    assert any(v in kept.speech for v in EN.phrases["keep.change_today"])
    settings = alexa.utter("what are my settings")
    assert done not in settings.speech, "a change kept to today is not a setting"


def test_a_mumble_after_ready_keeps_the_circuit_and_yes_starts_it(alexa):
    alexa.utter("open runner strength")
    built = alexa.utter("give me a core circuit")
    assert not built.ended
    mumble = alexa.intend("AMAZON.FallbackIntent")
    assert any(mumble.speech.endswith(v) for v in EN.phrases["prompt.ready"])
    started = alexa.utter("yes")
    assert any(v in started.speech for v in EN.phrases["warmup.start"])


def test_missing_kit_mid_workout_is_swapped_then_asked_about(alexa):
    alexa.utter("open runner strength")
    alexa.intend("HaveEquipmentIntent", equipment="band")
    alexa.utter("give me a full circuit")
    alexa.utter("ready")
    reply = alexa.intend("LackEquipmentIntent", equipment="band")
    assert "a resistance band" in reply.speech and "no a resistance band" not in reply.speech
    assert "Shall I take a resistance band off your equipment list?" in reply.speech
    dropped = alexa.utter("yes")
    assert "resistance band" in dropped.speech


def test_a_one_shot_new_runner_hears_the_safety_line_once_and_goes_fast(alexa):
    first = alexa.utter("ask runner strength for a glute circuit")
    assert first.intent == "BuildCircuitIntent"
    safety = EN.phrases["safety"][0]
    assert first.speech.count(safety) == 1
    warmup = alexa.utter("ready")
    at = min(warmup.speech.find(g) for g in GO if g in warmup.speech)
    words = len(first.speech.split()) + len(warmup.speech[:at].split())
    assert words / WORDS_PER_MINUTE * 60 <= 30


def test_a_partial_workouts_summary_names_only_what_was_done(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a full circuit")
    alexa.utter("ready")
    done = exercise_in(alexa.utter("next").speech)
    stopped = alexa.utter("stop")
    assert stopped.ended
    alexa.utter("open runner strength")
    last = alexa.utter("what did i do last time")
    assert last.intent == "LastWorkoutIntent" and done in last.speech
    names = [t.name for t in EN.exercises.values() if t.name in last.speech and t.name != done]
    assert names == [] or all(n in done for n in names), json.dumps(names)


def test_alexa_pause_in_the_middle_of_a_hold_then_open_again_picks_up_there(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a core circuit")
    alexa.utter("ready")
    for _ in range(6):
        reply = alexa.utter("next")
        ssml = reply.response["response"]["outputSpeech"]["ssml"]
        hold = re.search(r"(\d+) seconds( each side)?\. [^<]*?(Go!|Begin\.|Start now\.)", ssml)
        if hold:
            break
    else:
        pytest.skip("no hold came up in this core circuit")
    seconds = int(hold[1])
    # Ten seconds into the hold, by the device's own reckoning of how long the response played up to its "Go!".
    into_hold = played_seconds({"response": {"outputSpeech": {"ssml": ssml[:hold.end()] + "</speak>"}}}) + 10
    paused = alexa.utter("pause", barge=into_hold)
    assert paused.intent == "AMAZON.PauseIntent" and paused.ended
    left = int(re.search(r"(\d+) seconds left", paused.speech)[1])
    assert 0 < left < seconds
    alexa.utter("open runner strength")
    resumed = alexa.utter("yes")
    assert f"{left} seconds" in resumed.speech


def test_said_once_stays_once_and_what_is_remembered_can_be_heard_and_undone(alexa):
    alexa.utter("open runner strength")
    built = alexa.utter("a core circuit with my stability ball")
    assert built.intent == "BuildCircuitIntent"
    alexa.utter("stop")
    alexa.utter("open runner strength")
    alexa.utter("no")  # not the unfinished one: a new circuit
    settings = alexa.utter("what are my settings")
    assert "stability ball" not in settings.speech, "a build request's kit is for that workout only"
    assert alexa.utter("set my level to beginner").intent == "SetLevelIntent"
    assert "beginner" in alexa.utter("what are my settings").speech
    undone = alexa.utter("undo that")
    assert undone.intent == "UndoIntent" and "level" in undone.speech
    assert "intermediate" in alexa.utter("what are my settings").speech
    reset = alexa.utter("reset my exercise choices")
    assert reset.intent == "ResetChoicesIntent" and not reset.ended
    cleared = alexa.utter("yes")
    assert any(v in cleared.speech for v in EN.phrases["reset.done"]), cleared.speech


def test_a_circuit_asked_for_with_todays_run_spares_the_hamstrings_and_says_why(alexa):
    alexa.utter("open runner strength")
    built = alexa.utter("give me a full circuit i ran ten miles today")
    assert built.intent == "BuildCircuitIntent"
    assert any(v in built.speech for v in EN.phrases["note.legs_ran"])
    hamstrings = [EN.exercises[e.id].name for e in load_catalog().in_area("HAMSTRINGS")]
    assert [name for name in hamstrings if name.lower() in built.speech.lower()] == []
    later = alexa.utter("give me a full circuit")
    assert any(v in later.speech for v in EN.phrases["note.legs_ran"]), "kept for the rest of the day"
