"""Changing the workout by voice while it runs, in-process: every change from every point of a workout (before it
starts, at a hand-back, and barging into the warm-up, a rest or a set at a second read from the response's
timeline). What was done stays done, what is ahead changes, and the runner hears what changed and what is next."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog
from runner_strength.training.cursor import Cursor
from tests.support.envelopes import Conversation, ended, heard, said, session_record, slot
from tests.support.workouts import WORK_MARKS, area_slot, mark_of, pending_question

CATALOG = load_catalog()
EN = load_locale("en-US")
CLOSERS = tuple(EN.phrases["closer.full"]) + tuple(EN.phrases["closer.short"])


def stored(store) -> dict:
    return next(iter(store.items.values()))


def workout(store) -> dict:
    return stored(store)["workout"]


def cursor_of(store) -> Cursor:
    return Cursor.from_dict(workout(store))


def ahead(store) -> list[str]:
    return [s.exercise for s in cursor_of(store).sets_ahead]


def name(exercise_id: str) -> str:
    return EN.exercises[exercise_id].name


def marks(talk: Conversation) -> list[list]:
    return talk.session["block_sent"]["marks"]


def full_circuit(skill, *, gos: int = 0) -> Conversation:
    """A full circuit started, heard to its first hand-back, and `gos` more deliveries after it."""
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    for _ in range(gos):
        talk.say("AMAZON.NextIntent")
    return talk


# Points in a workout: each brings a conversation there and says when the runner speaks (seconds into the last
# response, or None: at its hand-back) and at which workout step.

def before_the_warm_up(talk: Conversation) -> tuple[float | None, int]:
    return None, 0


def in_the_warm_up(talk: Conversation) -> tuple[float | None, int]:
    talk.say("ReadyIntent")
    drill = mark_of(talk, "hold", 0)
    return drill[1] + 5, 0


def at_the_first_hand_back(talk: Conversation) -> tuple[float | None, int]:
    talk.say("ReadyIntent")
    return None, marks(talk)[-1][3]


def in_a_rest(talk: Conversation) -> tuple[float | None, int]:
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    rest = mark_of(talk, "rest")
    assert rest is not marks(talk)[-1], "a rest inside the response"
    return rest[1] + 5, rest[3]


def half_way_through_a_set(talk: Conversation) -> tuple[float | None, int]:
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    first = talk.session["block_sent"]["first"]
    work = next(m for m in marks(talk) if m[0] in WORK_MARKS and m[3] > first)
    return work[1] + work[2] / 2, work[3]


def at_a_rounds_end(talk: Conversation) -> tuple[float | None, int]:
    talk.say("ReadyIntent")
    for _ in range(8):
        cursor = Cursor.from_dict(session_record(talk.session)["workout"])
        if cursor.next_step.round == 2 and cursor.next_step.index == 0:
            return None, cursor.position
        talk.say("AMAZON.NextIntent")
    raise AssertionError("no hand-back at a round's end")


POINTS: dict[str, Callable[[Conversation], tuple[float | None, int]]] = {
    "before the warm-up": before_the_warm_up,
    "in the warm-up": in_the_warm_up,
    "at the first hand-back": at_the_first_hand_back,
    "in a rest": in_a_rest,
    "half-way through a set": half_way_through_a_set,
    "at a round's end": at_a_rounds_end,
}
NOT_STARTED = {"before the warm-up", "in the warm-up"}


def at_point(skill, point: str) -> tuple[Conversation, float | None, int]:
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    barge, step = POINTS[point](talk)
    return talk, barge, step


def kept_done(before: Cursor, after: Cursor, step: int) -> None:
    """What was done before the step the runner was at is still done, as it was."""
    for index in (i for i in before.done if i < step):
        assert index in after.done and after.steps[index] == before.steps[index], index


def goes_on(talk: Conversation, reply: dict, point: str) -> None:
    """After a change: the runner hears what is next. Before the workout is under way, asked if ready; in it, on
    straight away with a count to get set for the next set, naming it."""
    if point == "before the warm-up":
        assert heard(reply, "prompt.ready"), said(reply)
        return
    if point == "in the warm-up" and pending_question(talk) == "ready":
        # The warm-up cut: asked whether ready, and a yes goes on with the warm-up.
        talk.say("AMAZON.YesIntent")
        assert marks(talk)[0][0] == "hold" and marks(talk)[0][3] == 0
        return
    cursor = Cursor.from_dict(session_record(talk.session)["workout"]) if talk.session else None
    first = marks(talk)[0]
    assert first[0] == "setup", said(reply)
    assert cursor is not None and name(cursor.steps[first[3]].exercise).lower() in said(reply).lower()


@pytest.mark.parametrize("point", POINTS)
def test_no_lower_back_today_from_any_point(skill, store, point):
    talk, barge, step = at_point(skill, point)
    before = cursor_of(store)
    reply = talk.say("RemoveAreaIntent", area=area_slot("LOWER_BACK"), barge=barge)
    assert heard(reply, "adjust.removed", area="lower back"), said(reply)
    after = cursor_of(store)
    assert all(CATALOG[s.exercise].area != "LOWER_BACK" for s in after.steps[step:] if s.is_set)
    kept_done(before, after, step)
    goes_on(talk, reply, point)


@pytest.mark.parametrize("point", POINTS)
def test_just_hamstrings_from_here_from_any_point(skill, store, point):
    talk, barge, step = at_point(skill, point)
    before = cursor_of(store)
    reply = talk.say("FocusAreaIntent", area=area_slot("HAMSTRINGS"), barge=barge)
    assert heard(reply, "adjust.focus", area="hamstrings"), said(reply)
    if ended(reply):  # what was left fitted in this response, to the finish: every move it named
        named = [e for e in CATALOG.exercises if EN.exercises[e].name.lower() in said(reply).lower()]
        assert named and all(CATALOG[e].area == "HAMSTRINGS" for e in named), named
        assert stored(store)["history"][-1]["done"] >= before.sets_done
        return
    after = cursor_of(store)
    sets = [s for s in after.steps[step:] if s.is_set]
    assert sets and all(CATALOG[s.exercise].area == "HAMSTRINGS" for s in sets)
    kept_done(before, after, step)
    goes_on(talk, reply, point)


def referent(cursor: Cursor, step: int, in_work: bool) -> str:
    """What "make it harder" is about: the set being done when it cut into one; else the set just done; before
    any set, the one coming up."""
    if in_work and cursor.steps[step].is_set:
        return cursor.steps[step].exercise
    done = [i for i in cursor.done if i < step and cursor.steps[i].is_set]
    if done:
        return cursor.steps[max(done)].exercise
    return next(s.exercise for s in cursor.steps[step:] if s.is_set)


@pytest.mark.parametrize("point", POINTS)
def test_harder_from_any_point_holds_today_and_a_no_keeps_it_to_today(skill, store, point):
    talk, barge, step = at_point(skill, point)
    before = cursor_of(store)
    meant = referent(before, step, point == "half-way through a set")
    harder = CATALOG[meant].harder
    reply = talk.say("HarderIntent", barge=barge)
    assert name(meant).lower() in said(reply).lower(), "the reply names the exercise it acted on"
    prefs = stored(store)["preferences"]
    today = cursor_of(store)
    if harder and CATALOG[harder].equipment == "none" and harder not in before.exercises:
        assert prefs["variants"] == {meant: harder}
        assert harder in today.exercises and meant not in [s.exercise for s in today.steps[step:] if s.is_set]
    else:
        assert prefs["dose_steps"] == {meant: 1} and today.dose_steps[meant] == 1
    assert pending_question(talk) == "keep_change"
    talk.say("AMAZON.NoIntent")
    prefs = stored(store)["preferences"]
    assert meant not in prefs["variants"] and meant not in prefs["dose_steps"], "not kept for next time"
    later = cursor_of(store)
    if harder in today.exercises:
        assert harder in later.exercises, "still harder today"
    else:
        assert later.dose_steps[meant] == 1, "still harder today"


@pytest.mark.parametrize("point", POINTS)
def test_give_me_something_else_from_any_point(skill, store, point):
    talk, barge, step = at_point(skill, point)
    before = cursor_of(store)
    index = next(i for i in range(step, len(before.steps)) if before.steps[i].is_set)
    old = before.steps[index].exercise
    reply = talk.say("SwapIntent", barge=barge)
    after = cursor_of(store)
    new = after.steps[index].exercise
    assert new != old and CATALOG[new].area == CATALOG[old].area and CATALOG[new].equipment == "none"
    assert old not in [s.exercise for s in after.steps[index:] if s.is_set]
    assert heard(reply, "adjust.swapped", old=name(old), new=name(new)), said(reply)
    kept_done(before, after, step)
    goes_on(talk, reply, point)


@pytest.mark.parametrize("point", ["at the first hand-back", "in a rest"])
def test_add_glutes_to_a_hamstring_focus_and_it_is_counted_in(skill, store, point):
    talk = Conversation(skill)
    talk.say("BuildCircuitIntent", area=area_slot("HAMSTRINGS"))
    barge, step = POINTS[point](talk)
    before = cursor_of(store)
    reply = talk.say("AddAreaIntent", area=area_slot("GLUTE_MEDIUS"), barge=barge)
    assert heard(reply, "adjust.added", area="glute medius"), said(reply)
    after = cursor_of(store)
    assert {CATALOG[s.exercise].area for s in after.steps[step:] if s.is_set} == {"HAMSTRINGS", "GLUTE_MEDIUS"}
    assert workout(store)["circuit"]["focus"] is True
    kept_done(before, after, step)
    goes_on(talk, reply, point)


def test_adding_an_area_already_in_says_so_and_hands_back(skill):
    talk = full_circuit(skill)
    reply = talk.say("AddAreaIntent", area=area_slot("REAR_DELTS"))
    assert heard(reply, "adjust.already", area="Rear delts"), said(reply)
    assert any(said(reply).endswith(c) for c in CLOSERS), said(reply)


def test_no_lower_back_today_lasts_for_today_only(skill, store, clock):
    talk = full_circuit(skill)
    talk.say("RemoveAreaIntent", area=area_slot("LOWER_BACK"))
    talk.say("AMAZON.StopIntent")
    clock.advance(minutes=30)  # back later today: asked whether to pick up
    talk.launch()
    assert pending_question(talk) == "resume"
    talk.say("AMAZON.NoIntent")
    talk.say("BuildCircuitIntent")
    assert "LOWER_BACK" not in workout(store)["circuit"]["areas"]
    clock.advance(days=1)
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    assert "LOWER_BACK" in workout(store)["circuit"]["areas"]


@pytest.mark.parametrize("point", ["at the first hand-back", "half-way through a set"])
def test_removing_the_only_area_ends_the_workout_with_its_summary(skill, store, point):
    talk = Conversation(skill)
    talk.say("BuildCircuitIntent", area=area_slot("REAR_DELTS"))
    barge, step = POINTS[point](talk)
    before = cursor_of(store)
    counted = sum(1 for i in before.done if i < step and before.steps[i].is_set)
    assert counted >= 1
    reply = talk.say("RemoveAreaIntent", area=area_slot("REAR_DELTS"), barge=barge)
    assert ended(reply) and heard(reply, "adjust.removed", area="rear delts")
    assert re.search(rf"\b{counted} of \d+ sets", said(reply)), said(reply)
    history = stored(store)["history"]
    assert history[-1]["done"] == counted, "a set cut part-way is not counted"


def test_always_include_glutes_adds_them_to_the_next_focus(skill, store):
    talk = Conversation(skill)
    assert "always include glute medius" in said(talk.say("AlwaysAreaIntent", area=area_slot("GLUTE_MEDIUS")))
    talk.say("BuildCircuitIntent", area=area_slot("HAMSTRINGS"))
    assert set(workout(store)["circuit"]["areas"]) == {"HAMSTRINGS", "GLUTE_MEDIUS"}


def test_never_give_me_an_exercise_takes_it_out_now_and_later(skill, store, clock):
    talk = full_circuit(skill)
    victim = ahead(store)[1]
    words = CATALOG[victim].id.replace("_", " ")
    reply = talk.say("NeverExerciseIntent", exercise=slot("exercise", words, victim))
    assert heard(reply, "adjust.never", name=name(victim))
    assert victim not in ahead(store)
    talk.say("AMAZON.StopIntent")
    clock.advance(minutes=30)
    for _ in range(5):
        talk = Conversation(skill)
        talk.launch()
        if pending_question(talk) == "resume":
            talk.say("AMAZON.NoIntent")
        talk.say("BuildCircuitIntent", area=area_slot(CATALOG[victim].area))
        assert victim not in workout(store)["circuit"]["exercises"]


def test_a_harder_choice_is_remembered_next_time_the_builder_picks_it(skill, store):
    talk = Conversation(skill)
    talk.say("SetLevelIntent", level=slot("level", "easy", "BEGINNER"))
    chosen = None
    for _ in range(10):
        talk.say("BuildCircuitIntent")
        first = ahead(store)[0]
        if CATALOG[first].harder and CATALOG[CATALOG[first].harder].equipment == "none":
            talk.say("HarderIntent")
            chosen = (first, CATALOG[first].harder)
            break
    assert chosen, "found an exercise with a harder bodyweight neighbour"
    level, area_id = "beginner", CATALOG[chosen[0]].area
    from runner_strength.training.builder import CircuitRequest, build_circuit
    from runner_strength.training.record import Preferences

    prefs = Preferences.from_dict(stored(store)["preferences"])
    assert prefs.variants[chosen[0]] == chosen[1]
    picked = [seed for seed in range(40)
              if chosen[0] in build_circuit(CircuitRequest(areas=(area_id,), level=level), CATALOG, seed).exercises]
    assert picked, f"the builder picks {chosen[0]} for a {level} {area_id} focus with some seed"
    for seed in picked:
        remembered = build_circuit(CircuitRequest(areas=(area_id,), level=level, variants=prefs.variants),
                                   CATALOG, seed)
        assert chosen[0] not in remembered.exercises and chosen[1] in remembered.exercises, seed


def test_i_dont_have_a_band_in_the_rest_before_a_band_move_swaps_and_asks_before_changing_the_list(skill, store):
    talk = Conversation(skill)
    talk.say("HaveEquipmentIntent", equipment=slot("equipment", "band", "RESISTANCE_BAND"))
    banded = rest = None
    for _ in range(12):  # a glute circuit with a band move, and a rest leading into it in a response
        talk.say("BuildCircuitIntent", area=area_slot("GLUTE_MEDIUS"), rounds=slot("rounds", "1"))
        if not any(CATALOG[e].equipment == "resistance_band" for e in ahead(store)):
            continue
        talk.say("ReadyIntent")
        while talk.session is not None and rest is None:
            steps = Cursor.from_dict(session_record(talk.session)["workout"]).steps
            rest = next((m for m in marks(talk) if m[0] in ("rest", "setup")
                         and CATALOG[steps[m[3]].exercise].equipment == "resistance_band"), None)
            if rest is None:
                talk.say("AMAZON.NextIntent")
        if rest is not None:
            banded = steps[rest[3]].exercise
            break
        talk = Conversation(skill)
    assert banded, "a rest leading into a band move came up"
    reply = talk.say("LackEquipmentIntent", equipment=slot("equipment", "band", "RESISTANCE_BAND"),
                     barge=rest[1] + 5)
    assert "need a resistance band" in said(reply) or "needs a resistance band" in said(reply)
    assert name(banded).lower() in said(reply).lower()
    assert heard(reply, "kit.confirm", equipment="a resistance band")
    after = cursor_of(store)
    assert CATALOG[after.steps[rest[3]].exercise].equipment != "resistance_band", "the one set up for is swapped"
    assert banded not in ahead(store)
    assert "resistance_band" in stored(store)["preferences"]["equipment"]
    dropped = talk.say("AMAZON.YesIntent")
    assert "resistance_band" not in stored(store)["preferences"]["equipment"]
    # What replaced it is set up before its first "Go!", as any exercise is the first time (found end to end: the
    # rest carried on with only the seconds left and the dose).
    instead = after.steps[rest[3]].exercise
    go = dropped if "<break" in dropped["response"]["outputSpeech"]["ssml"] else talk.say("ReadyIntent")
    assert set_up_before_go(go, instead), said(go)


def set_up_before_go(reply: dict, exercise: str) -> bool:
    return EN.exercises[exercise].setup in said(reply).split("Go!")[0]


def test_a_gentler_move_for_pain_is_set_up_before_its_first_go_after_the_questions(skill, store):
    """Found end to end: after "this hurts", yes to the gentler move and an answer about leaving the painful one
    out, "go" went straight into the new move with its dose and "Go!", never saying how to get into position."""
    talk = full_circuit(skill, gos=1)
    work = mark_of(talk, WORK_MARKS)
    talk.say("PainIntent", bodyPart=slot("bodyPart", "knee", "KNEE"), barge=work[1] + 4)
    gentler = talk.session["question"]["about"]["gentler"]
    talk.say("AMAZON.YesIntent")
    talk.say("AMAZON.NoIntent")
    reply = talk.say("ReadyIntent")
    assert cursor_of(store).steps[talk.session["block_sent"]["first"]].exercise == gentler
    assert set_up_before_go(reply, gentler), said(reply)


def test_this_hurts_stops_uncounts_says_the_safety_line_and_offers_gentler_or_skip(skill, store):
    talk = full_circuit(skill, gos=1)
    before = cursor_of(store)
    hurt = before.last_set_done.exercise
    reply = talk.say("PainIntent", bodyPart=slot("bodyPart", "knee", "KNEE"))
    text = said(reply)
    assert heard(reply, "pain.stop", name=name(hurt)) and heard(reply, "pain.safety")
    assert "not a medical" in text and not ended(reply)
    assert cursor_of(store).sets_done == before.sets_done - 1
    # What is kept about the pain: the part and the day, so that the next session can ask; nothing else.
    record = stored(store)
    assert record["sore"] == [{"part": "knee", "day": record["workout_updated"][:10], "times": 1}]
    assert not re.search(r"KNEE|bodyPart|pain", json.dumps(record)), "nothing more about the pain is stored"
    gentler = talk.session["question"]["about"]["gentler"]
    answer = talk.say("AMAZON.YesIntent")
    assert heard(answer, "pain.swapped", new=name(gentler)) and "Should I leave" in said(answer)
    assert hurt not in ahead(store), "never put back into the move that hurt"
    assert said(talk.say("AMAZON.NoIntent")).startswith("Okay")
    talk.say("AMAZON.NextIntent")
    assert hurt not in [s.exercise for s in cursor_of(store).steps[before.position:] if s.is_set]


def test_pain_then_skip_the_area_then_avoid_the_exercise(skill, store):
    talk = full_circuit(skill, gos=1)
    painful = cursor_of(store).last_set_done.exercise
    talk.say("PainIntent")
    reply = talk.say("SkipIntent")
    area_name = EN.phrases[f"area.{CATALOG[painful].area}"][0]
    assert heard(reply, "pain.skipped", area=area_name) and "Should I leave" in said(reply)
    assert all(CATALOG[e].area != CATALOG[painful].area for e in ahead(store))
    final = talk.say("AMAZON.YesIntent")
    assert heard(final, "pain.avoided", name=name(painful))
    assert any(said(final).endswith(c) for c in CLOSERS), "and hands back: say go when set"
    assert painful in stored(store)["preferences"]["avoid"]


def test_pain_then_no_to_avoiding_stores_nothing(skill, store):
    talk = full_circuit(skill, gos=1)
    talk.say("PainIntent")
    talk.say("SwapIntent")
    talk.say("AMAZON.NoIntent")
    assert stored(store)["preferences"]["avoid"] == []


def test_pain_before_any_exercise_still_gets_the_safety_line(skill):
    reply = Conversation(skill).say("PainIntent")
    assert "physical or sports therapist" in said(reply) and reply["response"]["shouldEndSession"] is False


def test_adjusting_with_no_workout_gets_guidance(skill):
    for intent in ("HarderIntent", "EasierIntent", "SwapIntent"):
        reply = Conversation(skill).say(intent)
        assert heard(reply, "adjust.no_target"), intent


def test_a_focus_by_voice_with_no_workout_builds_one(skill, store):
    reply = Conversation(skill).say("FocusAreaIntent", area=area_slot("REAR_DELTS"))
    assert "rear delts" in said(reply) and workout(store)["circuit"]["areas"] == ["REAR_DELTS"]
    assert workout(store)["circuit"]["focus"] is True


def test_repeat_or_explain_during_the_pain_offer_keeps_the_question_and_what_it_is_about(skill, store):
    talk = full_circuit(skill, gos=1)
    painful = cursor_of(store).last_set_done.exercise
    talk.say("PainIntent")
    asked = talk.session["question"]
    for aside in ("AMAZON.RepeatIntent", "ExplainIntent"):
        reply = talk.say(aside)
        assert said(reply).endswith(asked["prompt"]), said(reply)
        assert talk.session["question"]["name"] == "pain" and talk.session["question"]["about"] == asked["about"]
    talk.say("SkipIntent")
    assert all(CATALOG[e].area != CATALOG[painful].area for e in ahead(store))
    assert "Should I leave" in said(talk.say("AMAZON.RepeatIntent"))
    talk.say("AMAZON.YesIntent")
    assert painful in stored(store)["preferences"]["avoid"]
