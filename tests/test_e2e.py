"""Whole conversations through a real Alexa client (virtual-alexa, our interaction model) over HTTP
against the served endpoint with the SQLite store."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import pytest

from tests.support.virtual_alexa import MODEL
from tests.support.workouts import SLOT_FILL
from tools.endpoint import ROOT

pytestmark = pytest.mark.e2e


def set_header(speech: str) -> tuple[int, int, str]:
    """(exercise number, round, name) from "Exercise 2 of 4, round 1 of 2: clamshell, for your ..."."""
    match = re.search(r"Exercise (\d+) of \d+, round (\d+) of \d+: ([^,]+),", speech)
    assert match, speech
    return int(match[1]), int(match[2]), match[3]


def test_launch_focus_circuit_move_around_stop_and_resume_at_the_right_set(alexa):
    welcome = alexa.utter("open runner strength")
    assert welcome.intent == "LaunchRequest" and "therapist" in welcome.speech

    built = alexa.utter("give me a glute and hamstring circuit")
    assert built.intent == "BuildCircuitIntent"
    assert "glute medius and hamstrings" in built.speech and not built.ended

    warmup = alexa.utter("ready")
    assert warmup.intent == "ReadyIntent" and "warm" in warmup.speech.lower()

    first = alexa.utter("next")
    assert set_header(first.speech)[:2] == (1, 1)
    second = alexa.utter("next exercise")
    assert set_header(second.speech)[:2] == (2, 1)

    again = alexa.utter("say that again")
    assert again.intent == "AMAZON.RepeatIntent"
    assert set_header(again.speech) == set_header(second.speech)

    back = alexa.utter("go back")
    assert back.intent == "AMAZON.PreviousIntent"
    assert set_header(back.speech) == set_header(first.speech)

    redo = alexa.utter("next")
    assert set_header(redo.speech) == set_header(second.speech)
    third_name = re.search(r"(?:Next up:|Coming up:|Next is|rest, then|seconds before) ([^.]+)\.", redo.speech)[1]

    stopped = alexa.utter("stop")
    assert stopped.ended and "2 of" in stopped.speech and third_name in stopped.speech

    back_again = alexa.utter("open runner strength")
    assert back_again.intent == "LaunchRequest" and third_name in back_again.speech
    assert "therapist" not in back_again.speech

    resumed = alexa.utter("yes")
    assert set_header(resumed.speech) == (3, 1, third_name)


def test_a_one_shot_invocation_builds_the_asked_circuit(alexa):
    reply = alexa.utter("ask runner strength for a twenty minute glute circuit")
    assert reply.intent == "BuildCircuitIntent"
    assert "glute medius" in reply.speech and "minutes" in reply.speech


def test_a_whole_workout_runs_to_the_end(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a posture workout with two rounds")
    alexa.utter("let's go")
    sets = [alexa.utter("next") for _ in range(6)]
    assert not any(reply.ended for reply in sets[:-1])
    assert "6 of 6" in sets[-1].speech, sets[-1].speech
    # Two rounds were asked for this workout only: the finish offers to remember them; a no ends the session.
    assert sets[-1].speech.endswith("Want me to remember 2 rounds a circuit for next time?")
    assert alexa.utter("no").ended


def test_an_area_the_model_does_not_know_is_asked_again(alexa):
    alexa.launch()
    reply = alexa.intend("BuildCircuitIntent", area="biceps")
    assert reply.raw["request"]["request"]["intent"]["slots"]["area"]["resolutions"][
        "resolutionsPerAuthority"][0]["status"]["code"] == "ER_SUCCESS_NO_MATCH"
    assert "biceps" in reply.speech.lower() and "hamstrings" in reply.speech and not reply.ended


def test_fifty_rounds_are_clamped_with_a_word(alexa):
    alexa.launch()
    reply = alexa.intend("BuildCircuitIntent", rounds="50")
    assert "8 rounds" in reply.speech and "cap" in reply.speech


def test_next_before_a_workout_gets_guidance(alexa):
    alexa.launch()
    reply = alexa.utter("next")
    assert reply.intent == "AMAZON.NextIntent"
    assert ("haven't started" in reply.speech or "no workout" in reply.speech) and not reply.ended


def test_nonsense_falls_back_without_losing_the_workout(alexa):
    alexa.launch()
    alexa.utter("focus on my core")
    alexa.utter("ready")
    reply = alexa.intend("AMAZON.FallbackIntent")
    assert "Sorry" in reply.speech or "Hmm" in reply.speech
    assert "Exercise 1 of 3" in alexa.utter("next").speech


def test_how_many_left_and_explain_mid_workout(alexa):
    alexa.launch()
    alexa.utter("a core circuit")
    alexa.utter("ready")
    alexa.utter("next")
    assert "1 of 6" in alexa.utter("how many are left").speech
    assert alexa.utter("how do i do this").speech.startswith("Here's how to do")


def test_a_session_that_times_out_keeps_the_place(alexa):
    alexa.launch()
    alexa.utter("a balance workout")
    alexa.utter("ready")
    alexa.utter("next")
    alexa.end("EXCEEDED_MAX_REPROMPTS")
    assert "round 1" in alexa.launch().speech
    assert "Exercise 2 of 3" in alexa.utter("resume my workout").speech


# Samples sent through the served endpoint per intent: every intent is reached, and every sample is checked
# against virtual-alexa's matcher in one process by the model tests (the model has thousands).
SAMPLES_PER_INTENT = 6


def samples():
    model = json.loads(MODEL.read_text())["interactionModel"]["languageModel"]
    for intent in model["intents"]:
        chosen = random.Random(intent["name"]).sample(intent["samples"],
                                                      min(SAMPLES_PER_INTENT, len(intent["samples"])))
        for sample in chosen:
            yield intent["name"], re.sub(r"\{(\w+)\}", lambda m: SLOT_FILL[m[1]], sample)


def test_samples_of_every_intent_reach_it_through_the_served_endpoint_and_get_an_answer(alexa):
    checked = 0
    for name, text in samples():
        reply = alexa.utter(text)
        assert reply.intent == name, (text, reply.intent)
        assert reply.speech or name == "SessionEndedRequest", text
        checked += 1
    assert checked > 200


def test_chat_takes_piped_utterances_and_prints_what_alexa_says(tmp_path):
    script = "open runner strength\ngive me a core circuit\nready\nflibbertigibbet\nstop\n"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "chat.py")], input=script, text=True,
                            capture_output=True, timeout=120,
                            env={"PATH": __import__("os").environ["PATH"],
                                 "SKILL_STORE": f"sqlite:{tmp_path / 'chat.sqlite3'}"})
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.count("alexa> ") == 5
    assert "you> ready" in out and "lower back" in out
    assert "sent as AMAZON.FallbackIntent" in out
    assert "(session ended)" in out and "<break" not in out
