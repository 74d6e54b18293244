"""The coach does what the runner means (issue 10's items 2 to 6, in-process): a mumble never throws the workout
away, missing kit is handled wherever it is needed, what is said once stays once and what is remembered can be
heard and undone, the history tells the truth, and the first workout starts fast with the safety line heard once."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from runner_strength.device import WORDS_PER_MINUTE
from runner_strength.speech.coach import dose
from runner_strength.speech.phrases import load_locale
from runner_strength.speech.timing import pause_after, speech_seconds
from runner_strength.training.catalog import EQUIPMENT, load_catalog
from runner_strength.training.cursor import Cursor
from tests.support.envelopes import Conversation, ended, heard, said, session_record, slot, speech
from tests.support.workouts import EQUIPMENT_WORDS, WORK_MARKS, area_slot

CATALOG = load_catalog()
EN = load_locale("en-US")
CLOSERS = tuple(EN.phrases["closer.full"]) + tuple(EN.phrases["closer.short"])
GO = tuple(EN.phrases["go"]) + tuple(v.split(". ")[-1] for v in EN.phrases["side.first"])
GO_LINES = tuple(EN.phrases["go"]) + tuple(EN.phrases["side.first"])  # what a set's work opens with
_BREAK = re.compile(r'<break time="([\d.]+)(ms|s)"/>')


def stored(store) -> dict:
    return next(iter(store.items.values()))


def cursor_of(store) -> Cursor:
    return Cursor.from_dict(stored(store)["workout"])


def glute_circuit(talk: Conversation, **extra) -> dict:
    return talk.say("BuildCircuitIntent", area=area_slot("GLUTE_MEDIUS"), **extra)


# 2. A mumble never throws the workout away ---------------------------------------------------------------------

MUMBLES = ["AMAZON.FallbackIntent", "AMAZON.HelpIntent", "AMAZON.RepeatIntent", "SomeIntentFromANewerModel"]


@pytest.mark.parametrize("mumble", MUMBLES)
def test_after_ready_a_mumble_keeps_the_circuit_and_asks_again_then_yes_starts_it(skill, mumble):
    talk = Conversation(skill)
    talk.launch()
    built = glute_circuit(talk)
    reply = talk.say(mumble)
    assert not ended(reply)
    assert any(said(reply).endswith(v) for v in EN.phrases["prompt.ready"]), said(reply)
    assert heard(talk.say("AMAZON.YesIntent"), "warmup.start")
    assert said(built)


@pytest.mark.parametrize("mumble", MUMBLES)
def test_a_mumble_during_a_question_keeps_the_question(skill, store, mumble):
    talk = Conversation(skill)
    talk.launch()
    glute_circuit(talk)
    talk.say("ReadyIntent")
    talk.say("PainIntent")
    talk.say(mumble)
    assert talk.session["question"]["name"] == "pain"
    talk.say("AMAZON.NoIntent")
    assert talk.session["question"]["name"] == "avoid"


def test_a_mumble_at_a_hand_back_keeps_the_place_and_go_opens_with_the_sets_dose(skill, store):
    talk = Conversation(skill)
    glute_circuit(talk)
    talk.say("ReadyIntent")
    before = cursor_of(store)
    reply = talk.say("AMAZON.FallbackIntent")
    assert heard(reply, "fallback.workout") and cursor_of(store) == before
    assert any(said(reply).endswith(c) for c in CLOSERS), "and the turn handed back again"
    reply = talk.say("AMAZON.YesIntent")
    coming = before.steps[before.position]
    first = talk.session["block_sent"]["marks"][0]
    assert first[0] in WORK_MARKS and first[3] == before.position, "straight into the set the rest led into"
    opening = said(reply).split("Go!")[0]
    assert opening.startswith(dose(EN, CATALOG[coming.exercise])), said(reply)[:80]


# An aside cut into a delivery is answered, then the delivery carries on from that second: a rest with the seconds
# left, a hold with the seconds left, reps from the rep reached. Each aside: what the runner hears first.
ASIDES: dict[str, Callable[[dict, str], bool]] = {
    "AMAZON.FallbackIntent": lambda reply, _: heard(reply, "fallback.workout"),
    "SomeIntentFromANewerModel": lambda reply, _: heard(reply, "fallback.workout"),
    "AMAZON.HelpIntent": lambda reply, _: heard(reply, "help.workout"),
    "AMAZON.NoIntent": lambda reply, _: heard(reply, "no.workout"),
    "HowManyLeftIntent": lambda reply, _: re.search(r"done \d+ of \d+", said(reply)) is not None,
    "SettingsIntent": lambda reply, _: said(reply).startswith("You're set to"),
    "ExplainIntent": lambda reply, exercise: heard(reply, "explain", name=EN.exercises[exercise].name,
                                                   how_to=EN.exercises[exercise].how_to),
    "AMAZON.RepeatIntent": lambda reply, exercise: said(reply).lower().startswith(
        f"{EN.exercises[exercise].name.lower()}: ") and EN.exercises[exercise].cue in said(reply),
}


def delivery_with(talk: Conversation, store, want: Callable[[list, Cursor], bool]) -> list:
    """Go on through the workout until a delivery holds a mark for which `want(mark, cursor)` holds; that mark."""
    while talk.session is not None:
        cursor = Cursor.from_dict(session_record(talk.session)["workout"])
        found = next((m for m in talk.session["block_sent"]["marks"] if want(m, cursor)), None)
        if found is not None:
            return found
        talk.say("AMAZON.NextIntent")
    raise AssertionError("no such mark in any delivery")


def carried_on(talk: Conversation, store, before: Cursor, step: int) -> None:
    """The delivery went on from the step the runner was at: what was done before it is still done, and the step
    and those after it are spoken (and count) again."""
    after = cursor_of(store)
    assert talk.session["block_sent"]["first"] == step
    assert {i for i in before.done if i < step} <= after.done and step in after.done


@pytest.mark.parametrize("aside", ASIDES)
def test_an_aside_in_a_rest_is_answered_and_the_rest_goes_on_with_the_seconds_left(skill, store, aside):
    talk = Conversation(skill)
    glute_circuit(talk)
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    rest = delivery_with(talk, store, lambda m, c: m[0] == "rest" and m[2] >= 30)
    before = cursor_of(store)
    exercise = before.steps[rest[3]].exercise
    reply = talk.say(aside, barge=rest[1] + 8)
    assert ASIDES[aside](reply, exercise), said(reply)
    left = [s for s in range(rest[2] - 11, rest[2] - 5)
            if heard(reply, "resume.rest", seconds=s, name=EN.exercises[exercise].name)]
    assert left, said(reply)
    carried_on(talk, store, before, rest[3])


def rest_left_to_go(reply: dict) -> tuple[int, float, str]:
    """A rest carried on after an aside: the seconds it says are left ("22 seconds of rest left, then X."), how
    long it then runs to the set's first words ("Go!", "Right side. Go!") by the timing model, and the words said
    in it."""
    body = speech(reply).removeprefix("<speak>").removesuffix("</speak>")
    line = re.search(r"(\d+) seconds of rest left, then [^.<]+\.", body)
    assert line, said(reply)
    rest = body[line.end():]
    ends = min(i for i in (rest.find(go) for go in GO_LINES) if i >= 0)
    parts = _BREAK.split(rest[:ends])[::3]
    # Words straight after the line follow it as the next sentence does, after its full stop's pause.
    seconds, words = (pause_after(line[0]) if parts and re.sub(r"<[^>]+>", " ", parts[0]).strip() else 0.0), []
    for part in parts:
        text = re.sub(r"<[^>]+>", " ", part).strip()
        if text:
            seconds += speech_seconds(text)
            words.append(text)
    seconds += sum(float(n) / (1000 if unit == "ms" else 1) for n, unit in _BREAK.findall(rest[:ends]))
    return int(line[1]), seconds, " ".join(words)


def test_a_rest_carried_on_after_a_mumble_lasts_the_seconds_it_says_are_left(skill, store):
    """The clock is true for what is left of a rest too: from "22 seconds of rest left" to the "Go!" is 22 seconds
    (within 5%), with the set's dose said once in it, just before the go."""
    talk = Conversation(skill)
    glute_circuit(talk)
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    rest = delivery_with(talk, store, lambda m, c: m[0] == "rest" and m[2] >= 30)
    coming = cursor_of(store).steps[rest[3]]
    assert coming.round == 1, "its first set: the dose is said before it"
    amount = dose(EN, CATALOG[coming.exercise])
    reply = talk.say("AMAZON.FallbackIntent", barge=rest[1] + 8)
    left, lasts, words = rest_left_to_go(reply)
    assert abs(lasts - left) <= 0.05 * left, f"{left} seconds announced, {lasts:.1f} s to the go: {words}"
    assert words.count(amount) == 1 and words.endswith(amount), words


def resumed(reply: dict, kind: str, exercise: str, **params: object) -> bool:
    """Whether the reply picks up a set's `kind` (reps, hold) where it was: on the right side, for a set done on
    each side (the barges here land in its first side)."""
    name = EN.exercises[exercise].name
    if CATALOG[exercise].per_side:
        return heard(reply, f"resume.{kind}_side", name=name, side="right", **params)
    return heard(reply, f"resume.{kind}", name=name, **params)


@pytest.mark.parametrize("aside", ASIDES)
def test_an_aside_half_way_through_a_rep_set_is_answered_and_the_set_goes_on_from_the_rep_reached(
        skill, store, aside):
    talk = Conversation(skill)
    glute_circuit(talk)
    talk.say("ReadyIntent")
    work = delivery_with(talk, store, lambda m, c: m[0] == "reps" and CATALOG[c.steps[m[3]].exercise].reps >= 8)
    before = cursor_of(store)
    exercise = before.steps[work[3]].exercise
    tempo = work[2] / CATALOG[exercise].reps
    into = tempo * 4.5  # half-way through the fifth rep (a request is placed within a second of when it was said)
    reply = talk.say(aside, barge=work[1] + into)
    assert ASIDES[aside](reply, exercise), said(reply)
    reached = {int((into - 1) // tempo) + 1, int(into // tempo) + 1}
    assert any(resumed(reply, "reps", exercise, rep=rep) for rep in reached), said(reply)
    carried_on(talk, store, before, work[3])


@pytest.mark.parametrize("aside", ASIDES)
def test_an_aside_in_a_hold_is_answered_and_the_hold_goes_on_with_the_seconds_left(skill, store, aside):
    talk = Conversation(skill)
    talk.say("BuildCircuitIntent", area=area_slot("LOWER_BACK"))
    talk.say("ReadyIntent")
    hold = delivery_with(talk, store, lambda m, c: m[0] == "hold" and m[3] > 0 and m[2] >= 20)
    before = cursor_of(store)
    exercise = before.steps[hold[3]].exercise
    reply = talk.say(aside, barge=hold[1] + 10)
    assert ASIDES[aside](reply, exercise), said(reply)
    left = [s for s in range(hold[2] - 11, hold[2] - 8) if resumed(reply, "hold", exercise, seconds=s)]
    assert left, said(reply)
    carried_on(talk, store, before, hold[3])


def test_help_in_the_warm_up_is_the_workouts_help_and_the_drill_goes_on(skill, store):
    talk = Conversation(skill)
    glute_circuit(talk)
    talk.say("ReadyIntent")
    drill = talk.session["block_sent"]["marks"][0]
    assert drill[0] == "hold" and drill[3] == 0
    name = EN.exercises[cursor_of(store).circuit.warmup[0]].name
    reply = talk.say("AMAZON.HelpIntent", barge=drill[1] + 5)
    assert heard(reply, "help.workout"), said(reply)
    assert any(heard(reply, "resume.hold", seconds=s, name=name) for s in range(drill[2] - 6, drill[2] - 3)), \
        said(reply)


# 3. Missing kit wherever it is needed --------------------------------------------------------------------------

@pytest.mark.parametrize("kit", [e for e in EQUIPMENT if e != "none"])
def test_i_dont_have_it_swaps_everything_ahead_that_needs_it_in_one_grammatical_sentence(skill, store, kit):
    talk = Conversation(skill)
    talk.say("HaveEquipmentIntent", equipment=slot("equipment", EQUIPMENT_WORDS[kit.upper()], kit.upper()))
    needing = []
    for _ in range(30):  # a full circuit that uses the kit somewhere ahead, not necessarily next
        talk.say("BuildCircuitIntent", rounds=slot("rounds", "2"))
        needing = [s.exercise for s in cursor_of(store).sets_ahead if CATALOG[s.exercise].equipment == kit]
        if needing:
            break
    assert needing, f"a circuit with {kit} came up"
    talk.say("ReadyIntent")
    reply = talk.say("LackEquipmentIntent", equipment=slot("equipment", "x", kit.upper()))
    text = said(reply)
    article_form = EN.phrases[f"equipment.{kit}"][0]
    assert article_form in text and f"no {article_form}" not in text
    for exercise_id in dict.fromkeys(needing):
        assert EN.exercises[exercise_id].name.lower() in text.lower()
    assert all(CATALOG[s.exercise].equipment != kit for s in cursor_of(store).sets_ahead)
    assert kit in stored(store)["preferences"]["equipment"], "asked before it comes off the list"
    assert talk.session["question"]["name"] == "drop_kit"


# 4. Once stays once; remembered is audible and undoable ---------------------------------------------------------

def test_a_ball_circuit_once_does_not_put_ball_work_in_later_circuits(skill, store):
    talk = Conversation(skill)
    talk.say("BuildCircuitIntent", area=area_slot("LOWER_BACK"),
             equipment=slot("equipment", "swiss ball", "STABILITY_BALL"))
    for _ in range(10):
        talk.say("BuildCircuitIntent", area=area_slot("HAMSTRINGS"))
        assert all(CATALOG[s.exercise].equipment != "stability_ball" for s in cursor_of(store).sets_ahead)
    assert stored(store)["preferences"]["equipment"] == []


def test_something_easy_once_does_not_set_the_level(skill, store):
    talk = Conversation(skill)
    glute_circuit(talk, level=slot("level", "easy", "BEGINNER"))
    assert stored(store)["preferences"]["level"] == "intermediate"


def test_a_request_that_cannot_use_the_named_kit_says_so_in_one_clause(skill, store):
    talk = Conversation(skill)
    unused = None
    for _ in range(10):
        reply = talk.say("BuildCircuitIntent", area=area_slot("HAMSTRINGS"),
                         equipment=slot("equipment", "step", "STEP_OR_BENCH"))
        if all(CATALOG[s.exercise].equipment != "step_or_bench" for s in cursor_of(store).sets_ahead):
            unused = reply
            break
    assert unused is not None
    assert heard(unused, "kit.unused", areas="hamstrings", equipment="a step or bench")


def test_settings_read_back_everything_that_shapes_a_workout(skill, store):
    talk = Conversation(skill)
    talk.say("HaveEquipmentIntent", equipment=slot("equipment", "band", "RESISTANCE_BAND"))
    talk.say("SetLevelIntent", level=slot("level", "easy", "BEGINNER"))
    talk.say("SetRoundsIntent", rounds=slot("rounds", "3"))
    talk.say("SetRestIntent", seconds=slot("seconds", "45"))
    talk.say("AlwaysAreaIntent", area=area_slot("GLUTE_MEDIUS"))
    talk.say("NeverExerciseIntent", exercise=slot("exercise", "clamshells", "clamshell"))
    glute_circuit(talk)
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    made_harder = cursor_of(store).last_set_done.exercise
    talk.say("HarderIntent")
    text = said(talk.say("SettingsIntent"))
    for words in ("beginner", "a resistance band", "3 rounds", "45", "glute medius", EN.exercises["clamshell"].name,
                  EN.exercises[made_harder].name):
        assert words in text, words


def test_undo_that_puts_back_the_last_remembered_change(skill, store):
    talk = Conversation(skill)
    talk.say("SetRoundsIntent", rounds=slot("rounds", "3"))
    talk.say("SetLevelIntent", level=slot("level", "hard", "ADVANCED"))
    reply = talk.say("UndoIntent")
    assert heard(reply, "undo.done", what="your level")
    prefs = stored(store)["preferences"]
    assert prefs["level"] == "intermediate" and prefs["rounds"] == 3
    assert heard(talk.say("UndoIntent"), "undo.nothing")


def test_reset_my_exercise_choices_asks_then_clears_swaps_doses_and_left_out_exercises(skill, store):
    talk = Conversation(skill)
    talk.say("NeverExerciseIntent", exercise=slot("exercise", "clamshells", "clamshell"))
    glute_circuit(talk)
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    talk.say("HarderIntent")
    talk.say("ResetChoicesIntent")
    assert stored(store)["preferences"]["avoid"] == ["clamshell"], "nothing cleared before the yes"
    reply = talk.say("AMAZON.YesIntent")
    assert heard(reply, "reset.done")
    prefs = stored(store)["preferences"]
    assert prefs["avoid"] == [] and prefs["variants"] == {} and prefs["dose_steps"] == {}


# 5. History tells the truth ------------------------------------------------------------------------------------

def test_redoing_yesterdays_unfinished_workout_keeps_yesterdays_sets(skill, store, clock):
    talk = Conversation(skill)
    talk.launch()
    glute_circuit(talk)
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    yesterday = cursor_of(store).sets_done
    talk.say("AMAZON.StopIntent")
    clock.advance(days=1, hours=2)
    talk.launch()
    assert talk.session["question"]["name"] == "redo"
    talk.say("AMAZON.YesIntent")  # do it again from the top: the warm-up and on
    today = cursor_of(store).sets_done
    assert 0 < today < yesterday
    history = stored(store)["history"]
    assert [h["done"] for h in history] == [yesterday, today]
    assert len({h["day"] for h in history}) == 2
    assert "2 workouts" in said(talk.say("WeekCountIntent"))
    assert "this week" in said(talk.say("StreakIntent"))


def test_a_partial_workouts_summary_names_only_exercises_with_sets_done(skill, store):
    talk = Conversation(skill)
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    done = {s.exercise for i, s in enumerate(cursor_of(store).steps) if i in cursor_of(store).done and s.is_set}
    talk.say("AMAZON.StopIntent")
    assert named_in_the_last_workout(skill, store) == done and done


def named_in_the_last_workout(skill, store) -> set[str]:
    """The exercises "what did I do last time" names as done (after it, it may say what is next)."""
    reply = Conversation(skill).say("LastWorkoutIntent")
    sentence = re.search(r"Your last workout was .+?(?:including|finishing with) (.+?)\.(?: |$)", said(reply))
    assert sentence, said(reply)
    return {e for e in cursor_of(store).circuit.exercises if EN.exercises[e].name in sentence[1]}


def a_set_after_the_first(talk: Conversation, store) -> tuple[list, Cursor]:
    """A circuit under way, its second response playing: the mark of a set in it after its first step, and the
    workout as stored."""
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    first = talk.session["block_sent"]["first"]
    work = next(m for m in talk.session["block_sent"]["marks"] if m[0] in WORK_MARKS and m[3] > first)
    return work, cursor_of(store)


def test_a_set_cut_part_way_by_stop_is_not_in_the_history(skill, store):
    """"Alexa, stop" half-way through a set: the set does not count, and the last workout names only what was
    done."""
    talk = Conversation(skill)
    work, cursor = a_set_after_the_first(talk, store)
    counted = [i for i in cursor.done if i < work[3] and cursor.steps[i].is_set]
    stop = talk.say("AMAZON.StopIntent", barge=work[1] + work[2] / 2)
    assert ended(stop) and re.search(rf"\b{len(counted)} of {cursor.total_sets} sets", said(stop)), said(stop)
    assert stored(store)["history"][-1]["done"] == len(counted)
    assert named_in_the_last_workout(skill, store) == {cursor.steps[i].exercise for i in counted}


def test_done_for_today_in_a_set_finishes_with_what_was_done_and_nothing_to_pick_up(skill, store, clock):
    talk = Conversation(skill)
    talk.launch()
    work, cursor = a_set_after_the_first(talk, store)
    counted = sum(1 for i in cursor.done if i < work[3] and cursor.steps[i].is_set)
    reply = talk.say("FinishWorkoutIntent", barge=work[1] + work[2] / 2)
    assert heard(reply, "finish.early") and heard(reply, "workout.done_early", done=counted, total=cursor.total_sets)
    entry = stored(store)["history"][-1]
    assert entry["done"] == counted and stored(store)["workout"] is None
    clock.advance(minutes=5)
    again = talk.launch()
    assert heard(again, "welcome.back") and "block_sent" not in talk.session, "nothing to pick up"


# 6. The first workout starts fast, and the safety line is heard once ---------------------------------------------

def spoken_before_go(replies: list[dict]) -> int:
    """Words the runner hears up to the first "Go!" (or its variants)."""
    words = 0
    for reply in replies:
        text = said(reply)
        at = min((text.find(go) for go in GO if go in text), default=-1)
        words += len((text if at < 0 else text[:at]).split())
        if at >= 0:
            return words
    raise AssertionError("no Go! heard")


@pytest.mark.parametrize("seed", range(40))
def test_a_new_runners_one_shot_hears_the_safety_line_once_and_goes_within_30_seconds(store, clock, seed):
    from tests.support.skills import make_skill

    talk = Conversation(make_skill(store, clock, seed_start=seed))
    replies = [glute_circuit(talk) if seed % 8 else talk.say("BuildCircuitIntent"), talk.say("ReadyIntent")]
    safety = EN.phrases["safety"][0]
    assert said(replies[0]).count(safety) == 1 and safety.count(". ") == 0, "one sentence, once"
    assert spoken_before_go(replies) / WORDS_PER_MINUTE * 60 <= 30
    talk.say("AMAZON.StopIntent")
    assert safety not in said(Conversation(talk.skill).launch())


@pytest.mark.parametrize("seed", range(40))
def test_a_returning_runner_goes_within_15_seconds(store, clock, seed):
    from tests.support.skills import make_skill

    talk = Conversation(make_skill(store, clock, seed_start=seed))
    talk.launch()
    talk.say("AMAZON.StopIntent")
    replies = [glute_circuit(talk) if seed % 8 else talk.say("BuildCircuitIntent"), talk.say("ReadyIntent")]
    assert EN.phrases["safety"][0] not in said(replies[0])
    assert spoken_before_go(replies) / WORDS_PER_MINUTE * 60 <= 15
