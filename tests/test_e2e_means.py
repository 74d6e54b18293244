"""What the runner means, and the coach's clock, end to end: through virtual-alexa (our interaction model) over
HTTP against the served endpoint with the SQLite store, which stamps requests by a device clock."""

from __future__ import annotations

import json
import re

import pytest

from runner_strength.device import WORDS_PER_MINUTE
from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog
from tests.support.virtual_alexa import Reply, heard, named, picks_up

pytestmark = pytest.mark.e2e
EN = load_locale("en-US")
CATALOG = load_catalog()
GO = tuple(EN.phrases["go"]) + tuple(v.split(". ")[-1] for v in EN.phrases["side.first"])
WORK = ("reps", "hold")



def sets_in(reply: Reply) -> list[int]:
    """The sets (their steps) a delivery counts, in order: every set whose work it speaks."""
    cursor = reply.workout
    return list(dict.fromkeys(step for kind, _, _, step in reply.marks
                              if kind in WORK and cursor.steps[step].is_set))


def test_too_easy_after_a_set_changes_that_set_and_a_no_keeps_it_to_today(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a glute circuit")
    first = alexa.utter("ready")  # the warm-up, the first set, and into the rest before the next
    done = EN.exercises[first.workout.steps[sets_in(first)[-1]].exercise].name
    harder = alexa.utter("make it harder")
    assert harder.intent == "HarderIntent" and done.lower() in harder.speech.lower()
    kept = alexa.utter("no")
    assert any(v in kept.speech for v in EN.phrases["keep.change_today"])
    settings = alexa.utter("what are my settings")
    heard_settings = re.split(r"Next up: |Coming up: |Next is ", settings.speech)[0]  # then what is next, again
    assert heard_settings.startswith("You're set to"), settings.speech
    assert done.lower() not in heard_settings.lower(), "a change kept to today is not a setting"


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


def test_im_done_for_today_in_a_set_finishes_without_it_and_the_history_names_only_what_was_done(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a full circuit")
    first = alexa.utter("ready")
    go = alexa.utter("go")
    # "I'm done for today" half-way through the last set of that response: it does not count.
    *counted, cut_at = sets_in(go)
    _, start, seconds, _ = next(m for m in go.marks if m[0] in ("reps", "hold") and m[3] == cut_at)
    finished = alexa.utter("i'm done for today", barge=start + seconds / 2)
    assert finished.intent == "FinishWorkoutIntent" and finished.ended
    done = len(sets_in(first)) + len(counted)
    assert heard(finished, "finish.early") and heard(finished, "workout.done_early", done=done, total=10), \
        finished.speech
    # Finished early is finished: the next launch has nothing to pick up, and the history tells the truth.
    welcome = alexa.utter("open runner strength")
    assert not picks_up(welcome) and "<break" not in welcome.ssml, "not offered again"
    last = alexa.utter("what did i do last time")
    assert last.intent == "LastWorkoutIntent"
    did = {go.workout.steps[s].exercise for s in [*sets_in(first), *counted]}
    assert set(named(last.speech)) <= did, json.dumps(named(last.speech))
    assert f"{done} of 10 sets" in last.speech and "all 10 sets done" not in last.speech, last.speech


def test_alexa_pause_in_the_middle_of_a_hold_then_open_again_picks_up_there(alexa):
    alexa.utter("open runner strength")
    for _ in range(10):  # a core circuit with a timed hold in it (most have one)
        built = alexa.utter("give me a core circuit")
        if any(CATALOG[e].seconds for e in named(built.speech)):
            break
    else:
        raise AssertionError("no core circuit with a hold")
    delivery = alexa.utter("ready")
    while not any(kind == "hold" and delivery.workout.steps[step].is_set for kind, _, _, step in delivery.marks):
        assert delivery.waits, "a hold came up"
        delivery = alexa.utter("go")
    _, start, seconds, step = next(m for m in delivery.marks if m[0] == "hold" and delivery.workout.steps[m[3]].is_set)
    exercise = delivery.workout.steps[step].exercise
    name = EN.exercises[exercise].name
    # A hold done on each side says which side (this is its first, the right).
    side = {"side": "right"} if CATALOG[exercise].per_side else {}
    suffix = "_side" if side else ""
    # Ten seconds into the hold, by the device's clock.
    paused = alexa.utter("pause", barge=start + 10)
    assert paused.intent == "AMAZON.PauseIntent" and paused.ended
    left = int(re.search(r"(\d+) seconds left on ", paused.speech)[1])
    assert abs(left - (seconds - 10)) <= 2, paused.speech
    assert heard(paused, "paused.hold" + suffix, seconds=left, name=name, **side), paused.speech
    # Open again a moment later: straight back into the hold, with what was left of it.
    resumed = alexa.utter("open runner strength")
    assert heard(resumed, "welcome.carry_on") and not resumed.attributes.get("question")
    assert heard(resumed, "resume.hold" + suffix, seconds=left, name=name, **side), resumed.speech[:200]


def test_said_once_stays_once_and_what_is_remembered_can_be_heard_and_undone(alexa):
    alexa.utter("open runner strength")
    built = alexa.utter("a core circuit with my stability ball")
    assert built.intent == "BuildCircuitIntent"
    alexa.utter("stop")
    welcome = alexa.utter("open runner strength")
    assert not picks_up(welcome), "a circuit never started is not offered again"
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
