"""Whole conversations through a real Alexa client (virtual-alexa, our interaction model) over HTTP
against the served endpoint with the SQLite store."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys

import pytest

from runner_strength.speech.coach import dose
from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog
from tests.support.virtual_alexa import MODEL, Reply, heard, named, picks_up
from tests.support.workouts import SLOT_FILL
from tools.endpoint import ROOT

pytestmark = pytest.mark.e2e
EN = load_locale("en-US")
CATALOG = load_catalog()
WORK = ("reps", "hold")



def name_of(exercise: str) -> str:
    return EN.exercises[exercise].name


def closes_with_a_closer(reply: Reply) -> bool:
    """A hand-back: it ends with a short "say go" line and waits for the runner, with the reprompt that says how."""
    closers = EN.phrases["closer.full"] + EN.phrases["closer.short"]
    return reply.waits and any(reply.speech.endswith(c) for c in closers) \
        and any(v in (reply.raw.get("reprompt") or "") for v in EN.phrases["reprompt.next"])


def coming_up(reply: Reply) -> str:
    """The exercise a hand-back's closing rest leads into: the last one it names."""
    assert closes_with_a_closer(reply), reply.speech[-200:]
    return named(reply.speech)[-1]


def sets_in(reply: Reply) -> list[int]:
    """The sets (their steps) a delivery counts, in order: every set whose work it speaks."""
    cursor = reply.workout
    return list(dict.fromkeys(step for kind, _, _, step in reply.marks
                              if kind in WORK and cursor.steps[step].is_set))


def done_so_far(reply: Reply) -> int:
    """From "You've done 3 of 10." (how many are left)."""
    match = re.search(r"(?:You've )?done (\d+) of \d+", reply.speech)
    assert match, reply.speech
    return int(match[1])


def picked_up(reply: Reply, exercise: str) -> bool:
    """A delivery carried on inside a set: the seconds left of a hold, the rep reached (on a side, for a move done per
    side), or the other side."""
    keys = ("resume.hold", "resume.reps", "resume.switch", "resume.hold_side", "resume.reps_side")
    lines = [line.split("{name}")[0] for key in keys for line in EN.phrases[key]]
    return any(re.search(re.escape(line).replace(r"\{seconds\}", r"\d+").replace(r"\{rep\}", r"\d+")
                         .replace(r"\{side\}", r"\w+") + re.escape(name_of(exercise)), reply.speech) for line in lines)


def test_launch_focus_circuit_move_around_stop_and_open_again_carries_on_at_the_right_set(alexa):
    welcome = alexa.utter("open runner strength")
    assert welcome.intent == "LaunchRequest" and "therapist" in welcome.speech

    built = alexa.utter("give me a glute and hamstring circuit")
    assert built.intent == "BuildCircuitIntent"
    assert "glute medius and hamstrings" in built.speech and not built.ended

    # "Ready": the warm-up, then the first set, what it is for, how to set up and its count, and on into the rest
    # before the next, where it hands back.
    first = alexa.utter("ready")
    assert first.intent == "ReadyIntent" and heard(first, "warmup.start")
    assert "Exercise 1 of" not in first.speech and "round 1 of" not in first.speech, "no header"
    opener = re.search(r"First(?: up)?: ([^,]+), for your (glute medius|hamstrings)\.", first.speech)
    assert opener, first.speech
    one, two = named(opener[1])[0], coming_up(first)
    assert CATALOG[one].area in ("GLUTE_MEDIUS", "HAMSTRINGS") and EN.exercises[one].setup in first.speech
    assert [first.workout.steps[s].exercise for s in sets_in(first)] == [one]

    # "Say that again" at the hand-back: the instruction for the set coming up, not a whole response again.
    again = alexa.utter("say that again")
    assert again.intent == "AMAZON.RepeatIntent"
    text = EN.exercises[two]
    assert again.speech.lower().startswith(f"{text.name.lower()}: {text.setup.lower()}"), again.speech
    assert text.cue in again.speech and "<break" not in again.ssml and again.workout == first.workout

    # "Go back": the set just done again, with time to set up, never the warm-up.
    back = alexa.utter("go back")
    assert back.intent == "AMAZON.PreviousIntent" and heard(back, "back.to", name=name_of(one))
    assert not heard(back, "warmup.start") and EN.exercises[one].setup in back.speech
    redone = sets_in(back)
    assert back.workout.steps[redone[0]].exercise == one and closes_with_a_closer(back)
    place = coming_up(back)

    stopped = alexa.utter("stop")
    done = back.workout.sets_done
    assert stopped.ended and heard(stopped, "stop.saved", done=done, total=back.workout.total_sets,
                                   place=f"{name_of(place)} in round {back.workout.next_step.round}")
    assert done == len(redone), "the set done again counts once"

    # Opened again a moment later: straight on at the set it stopped before, with no question.
    reopened = alexa.utter("open runner strength")
    assert reopened.intent == "LaunchRequest" and heard(reopened, "welcome.carry_on")
    assert "therapist" not in reopened.speech and not reopened.attributes.get("question") and "<break" in reopened.ssml
    assert named(reopened.speech)[0] == place and reopened.workout.steps[sets_in(reopened)[0]].exercise == place
    assert done_so_far(alexa.utter("how many are left")) == done + len(sets_in(reopened)), "nothing lost or twice"


def test_a_one_shot_invocation_builds_the_asked_circuit(alexa):
    reply = alexa.utter("ask runner strength for a twenty minute glute circuit")
    assert reply.intent == "BuildCircuitIntent"
    assert "glute medius" in reply.speech and "minutes" in reply.speech


def test_a_whole_workout_runs_to_the_end_in_a_few_responses_and_is_in_the_history_once(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a posture workout with two rounds")
    replies = [alexa.utter("let's go")]
    while replies[-1].waits and len(replies) < 10:
        assert closes_with_a_closer(replies[-1])
        replies.append(alexa.utter("go"))
    # Two rounds of three exercises: two or three times the runner says go, from "ready" to the finish.
    assert len(replies) <= 4, [r.speech[-80:] for r in replies]
    assert not any(reply.ended for reply in replies)
    last = replies[-1]
    assert heard(last, "workout.done", done=6, total=6), last.speech
    assert sum(len(sets_in(r)) for r in replies) == 6, "every set spoken once"
    # Two rounds were asked for this workout only: the finish offers to remember them; a no ends the session.
    assert last.speech.endswith("Want me to remember 2 rounds a circuit for next time?")
    assert alexa.utter("no").ended
    welcome = alexa.utter("open runner strength")
    assert not picks_up(welcome) and "<break" not in welcome.ssml, "nothing to pick up"
    history = EN.phrases["history.last_finished"][0].split("{exercises}")[0]
    assert history.format(when="earlier today", areas="rear delts", total=6) in \
        alexa.utter("what did i do last time").speech
    week = alexa.utter("how many circuits did i do this week").speech.lower()
    assert any(v.format(workouts="one workout").lower() in week for v in EN.phrases["history.week"]), week


def test_the_last_response_listens_a_moment_so_a_word_about_its_last_set_lands(alexa):
    alexa.launch()
    alexa.utter("a glute circuit")
    replies = [alexa.utter("ready")]
    while replies[-1].waits and len(replies) < 10:
        replies.append(alexa.utter("go"))
    last = replies[-1]
    total = last.workout.total_sets
    assert heard(last, "workout.done", done=total, total=total) and heard(last, "finish.anything"), last.speech
    assert not last.ended and any(v in last.raw["reprompt"] for v in EN.phrases["finish.reprompt"])
    # "That was too hard", after the summary: about the last set, and the summary is not said again.
    final = name_of(last.workout.steps[sets_in(last)[-1]].exercise)
    easier = alexa.utter("that was too hard")
    assert easier.intent == "EasierIntent" and final.lower() in easier.speech.lower(), easier.speech
    assert not heard(easier, "workout.done", done=total, total=total)
    assert alexa.utter("no").ended
    # The workout was closed once, and is not offered again.
    welcome = alexa.utter("open runner strength")
    assert not picks_up(welcome) and "<break" not in welcome.ssml, "nothing to pick up"
    week = alexa.utter("how many circuits did i do this week").speech.lower()
    assert any(v.format(workouts="one workout").lower() in week for v in EN.phrases["history.week"]), week


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
    assert heard(reply, "guide.no_workout") and not reply.ended


def test_nonsense_at_a_hand_back_or_in_a_set_never_loses_the_workout(alexa):
    alexa.launch()
    alexa.utter("focus on my core")
    first = alexa.utter("ready")
    coming = coming_up(first)
    mumble = alexa.intend("AMAZON.FallbackIntent")
    assert heard(mumble, "fallback.workout") and mumble.workout == first.workout
    assert coming_up(mumble) == coming, "what is next, again, and the turn handed back"
    go = alexa.utter("go")
    assert go.marks[0][0] in WORK and go.workout.steps[go.marks[0][3]].exercise == coming, \
        "straight into the set the rest led into"
    assert go.speech.startswith(f"{dose(EN, CATALOG[coming])} "), "its dose (a first set of it), then Go"
    # A mumble half-way through the last set of that response: the set goes on from where it was.
    _, start, seconds, step = next(m for m in go.marks if m[0] in WORK and m[3] == sets_in(go)[-1])
    exercise = go.workout.steps[step].exercise
    cut = alexa.intend("AMAZON.FallbackIntent", barge=start + seconds / 2)
    assert heard(cut, "fallback.workout") and picked_up(cut, exercise), cut.speech[:300]
    assert cut.workout.steps[sets_in(cut)[0]].exercise == exercise


def test_how_many_left_and_explain_at_a_hand_back_and_cut_into_a_set_and_a_rest(alexa):
    alexa.launch()
    alexa.utter("a core circuit")
    first = alexa.utter("ready")
    coming, done = coming_up(first), len(sets_in(first))
    left = alexa.utter("how many are left")
    assert f"done {done} of 6" in left.speech and closes_with_a_closer(left)
    explained = alexa.utter("how do i do this")
    assert heard(explained, "explain", name=name_of(coming), how_to=EN.exercises[coming].how_to), explained.speech
    go = alexa.utter("go")
    # Cut into the last set of that response: the sets before it count, the one cut does not, and it goes on from
    # there.
    *counted, cut_at = sets_in(go)
    _, start, seconds, _ = next(m for m in go.marks if m[0] in WORK and m[3] == cut_at)
    cut = alexa.utter("how many are left", barge=start + seconds / 2)
    assert f"done {done + len(counted)} of 6" in cut.speech, cut.speech[:200]
    assert picked_up(cut, cut.workout.steps[cut_at].exercise), cut.speech[:300]
    # "How do I do this" in a rest: the exercise the runner is setting up for, then the rest of the rest.
    _, start, seconds, step = next(m for m in cut.marks if m[0] == "rest" and m[3] > cut_at)
    upcoming = cut.workout.steps[step].exercise
    rest = alexa.utter("how do i do this", barge=start + 8)
    assert rest.speech.startswith(f"Here's how to do {name_of(upcoming)}."), rest.speech[:100]
    left = int(re.search(r"(\d+) seconds of rest left, then ", rest.speech)[1])
    assert heard(rest, "resume.rest", seconds=left, name=name_of(upcoming)) and abs(left - (seconds - 8)) <= 2


def test_a_session_that_times_out_keeps_the_place_and_open_runner_strength_carries_on(alexa):
    alexa.launch()
    alexa.utter("a balance workout")
    first = alexa.utter("ready")
    coming, done = coming_up(first), first.workout.sets_done
    alexa.end("EXCEEDED_MAX_REPROMPTS")
    back = alexa.launch()
    assert heard(back, "welcome.carry_on") and not back.attributes.get("question")
    assert named(back.speech)[0] == coming and back.workout.steps[sets_in(back)[0]].exercise == coming
    assert done_so_far(alexa.utter("how many are left")) == done + len(sets_in(back))


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
