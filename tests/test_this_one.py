""""This one" is the one the runner means, from every point of a workout: a remark about difficulty or pain is
about the set just done; "skip this one" and "something else" at a hand-back are about the one coming up; and
every reply names the exercise it acted on."""

from __future__ import annotations

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog
from runner_strength.training.cursor import Cursor
from tests.support.envelopes import Conversation, heard, said

CATALOG = load_catalog()
EN = load_locale("en-US")


def cursor_of(store) -> Cursor:
    return Cursor.from_dict(next(iter(store.items.values()))["workout"])


def name(exercise_id: str) -> str:
    return EN.exercises[exercise_id].name


# Each point: the moves that lead there from a freshly built full circuit (five exercises, two rounds).
POINTS = {
    "after the warm-up": ["ReadyIntent"],
    "after a set": ["ReadyIntent", "AMAZON.NextIntent"],
    "at a round's end": ["ReadyIntent", *["AMAZON.NextIntent"] * 5],
    "after a skip": ["ReadyIntent", "AMAZON.NextIntent", "SkipIntent"],
    "after going back": ["ReadyIntent", "AMAZON.NextIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent"],
}


def at(skill, point: str) -> Conversation:
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    for move in POINTS[point]:
        talk.say(move)
    return talk


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("remark", ["HarderIntent", "EasierIntent"])
def test_harder_or_easier_is_about_the_set_just_done(skill, store, point, remark):
    talk = at(skill, point)
    before = cursor_of(store)
    meant = before.last_set_done or before.next_set
    if point == "after the warm-up":
        assert before.last_set_done is None  # nothing done but drills: the one coming up is meant
    else:
        assert meant == before.last_set_done and meant != before.next_set
    reply = talk.say(remark)
    assert name(meant.exercise).lower() in said(reply).lower()
    prefs = next(iter(store.items.values()))["preferences"]
    changed = set(prefs["variants"]) | set(prefs["dose_steps"])
    assert changed == {meant.exercise}, "only the exercise meant is changed"
    untouched = before.next_set.exercise
    if untouched != meant.exercise:
        assert untouched in [s.exercise for s in cursor_of(store).sets_ahead][:1] or untouched not in \
            CATALOG[meant.exercise].__dict__.values()


@pytest.mark.parametrize("point", [p for p in POINTS if p != "after the warm-up"])
def test_this_hurts_is_about_the_set_just_done_never_a_skipped_one(skill, store, point):
    talk = at(skill, point)
    before = cursor_of(store)
    hurt = before.last_set_done
    reply = talk.say("PainIntent")
    assert heard(reply, "pain.stop", name=name(hurt.exercise))
    assert cursor_of(store).sets_done == before.sets_done - 1
    if point == "after a skip":
        skipped = before.steps[before.position - 1].exercise
        assert name(skipped) not in said(reply).split("?")[0] or skipped == hurt.exercise


def test_this_hurts_after_only_the_warm_up_stops_and_says_the_safety_line(skill, store):
    talk = at(skill, "after the warm-up")
    reply = talk.say("PainIntent")
    assert heard(reply, "pain.stop_general") and "therapist" in said(reply)
    assert cursor_of(store).sets_done == 0


@pytest.mark.parametrize("point", POINTS)
def test_skip_this_one_is_the_one_coming_up_and_is_not_counted(skill, store, point):
    talk = at(skill, point)
    before = cursor_of(store)
    coming = before.next_step
    reply = talk.say("SkipIntent")
    assert heard(reply, "skip.set", name=name(coming.exercise))
    after = cursor_of(store)
    assert after.sets_done == before.sets_done
    left = said(talk.say("HowManyLeftIntent"))
    assert f"done {before.sets_done} of" in left


@pytest.mark.parametrize("point", POINTS)
def test_something_else_is_the_one_coming_up(skill, store, point):
    talk = at(skill, point)
    before = cursor_of(store)
    coming = before.next_set.exercise
    reply = talk.say("SwapIntent")
    assert name(coming).lower() in said(reply).lower()
    assert coming not in [s.exercise for s in cursor_of(store).sets_ahead]
    done = [s.exercise for i, s in enumerate(before.steps) if i in before.done and s.is_set]
    assert [s.exercise for i, s in enumerate(cursor_of(store).steps) if i in before.done and s.is_set] == done


def test_too_easy_after_the_last_set_of_an_exercise_changes_it_for_next_time_and_a_no_keeps_it_to_today(
        skill, store):
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    for move in ["ReadyIntent", *["AMAZON.NextIntent"] * 6]:  # round two's first set: its exercise's last today
        talk.say(move)
    meant = cursor_of(store).last_set_done.exercise
    reply = talk.say("HarderIntent")
    assert name(meant).lower() in said(reply).lower()
    assert "next time" in said(reply).lower()
    stored = next(iter(store.items.values()))["preferences"]
    assert meant in stored["variants"] or meant in stored["dose_steps"]
    reply = talk.say("AMAZON.NoIntent")
    assert heard(reply, "keep.change_today")
    stored = next(iter(store.items.values()))["preferences"]
    assert meant not in stored["variants"] and meant not in stored["dose_steps"]


def test_undo_that_right_after_a_harder_or_easier_choice_keeps_it_to_today(skill, store):
    """Found in make chat: "undo that" after "make this one a bit easier" said "Undone: …" and then asked again
    whether to keep the change it had just undone. It is the runner's no: today only, and nothing asked again."""
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    for move in ("ReadyIntent", "AMAZON.NextIntent"):
        talk.say(move)
    meant = cursor_of(store).last_set_done.exercise
    talk.say("EasierIntent")
    reply = talk.say("UndoIntent")
    assert heard(reply, "keep.change_today")
    assert not any(v in said(reply) for v in EN.phrases["keep.change"])
    stored = next(iter(store.items.values()))["preferences"]
    assert meant not in stored["variants"] and meant not in stored["dose_steps"]
