"""Pain is safe (issue 21): once the runner says something hurts, the exercise that hurt is out of today's workout
whatever they say next, from every point of a workout; with nothing left to do, the workout ends honestly, and
the history and the card say it stopped for pain.

In-process conversations with a device clock, as in test_hands_free: each request comes after the last response
has played, unless a test barges in part-way."""

from __future__ import annotations

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog
from runner_strength.training.cursor import PAIN
from tests.support.envelopes import ended, heard, said, slot, waits
from tests.support.workouts import WORK_MARKS, area_slot
from tests.test_hands_free import cursor_of, runner, under_way

CATALOG = load_catalog()
EN = load_locale("en-US")
# What a runner might say after "this hurts", instead of answering the offer (or answering it).
AFTER = ["ReadyIntent", "AMAZON.NextIntent", "SkipIntent", "AMAZON.FallbackIntent", "AMAZON.NoIntent",
         "AMAZON.YesIntent", "SwapIntent", "AMAZON.ResumeIntent", "HowManyLeftIntent"]
POINTS = ["hand-back", "mid-set", "rest", "set-up after the warm-up"]


def sets_spoken(talk, store, turn) -> list[str]:
    """Say `turn` (a callable on the conversation); the exercises whose work the reply spoke."""
    before = talk.session.get("block_sent")
    reply = turn()
    sent = talk.session.get("block_sent")
    if not sent or sent == before:
        return []
    steps = cursor_of(store).steps
    assert reply
    return [steps[m[3]].exercise for m in sent["marks"] if m[0] in WORK_MARKS and steps[m[3]].is_set]


def hurt_at(point: str):
    """A default full circuit under way and "this hurts" said at `point`: the conversation, the store, and the
    exercise it was about."""
    talk, store, _ = under_way(2 if point == "rest" else 1)
    marks = talk.session["block_sent"]["marks"]
    cursor = cursor_of(store)
    if point == "hand-back":
        painful = cursor.last_set_done.exercise
        reply = talk.say("PainIntent")
    elif point == "mid-set":
        _, start, seconds, step = next(m for m in marks if m[0] in WORK_MARKS and cursor.steps[m[3]].is_set)
        painful = cursor.steps[step].exercise
        reply = talk.say("PainIntent", barge=start + seconds / 2)
    elif point == "rest":
        _, start, _, step = next(m for m in marks if m[0] == "rest")
        painful = next(cursor.steps[i].exercise for i in range(step - 1, -1, -1) if cursor.steps[i].is_set)
        reply = talk.say("PainIntent", barge=start + 5)
    else:
        start = next(m for m in marks if m[0] == "setup")[1]
        painful = None  # before any set: nothing to leave out
        reply = talk.say("PainIntent", barge=start + 3)
    assert heard(reply, "pain.safety"), said(reply)
    return talk, store, painful


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("then", AFTER)
def test_after_this_hurts_whatever_is_said_next_the_move_that_hurt_never_comes_back_today(point, then):
    talk, store, painful = hurt_at(point)
    spoken = sets_spoken(talk, store, lambda: talk.say(then))
    turns = 0
    while not ended(talk.turns[-1]) and waits(talk.turns[-1]) and turns < 20:
        spoken += sets_spoken(talk, store, lambda: talk.say("ReadyIntent"))
        turns += 1
    assert spoken, "the workout went on"
    if painful is not None:
        assert painful not in spoken, (painful, spoken)
        cursor = cursor_of(store)
        assert painful not in {s.exercise for s in cursor.sets_ahead}


def test_a_yes_to_the_gentler_one_puts_it_in_the_place_of_the_one_that_hurt_this_round_and_the_next():
    talk, store, painful = hurt_at("hand-back")
    offered = talk.session["question"]["about"]["gentler"]
    assert offered and offered != painful
    reply = talk.say("AMAZON.YesIntent")
    assert heard(reply, "pain.swapped", new=EN.exercises[offered].name)
    talk.say("AMAZON.NoIntent")  # not out of future workouts
    spoken = []
    while waits(talk.turns[-1]):
        spoken += sets_spoken(talk, store, lambda: talk.say("ReadyIntent"))
    assert spoken.count(offered) == 2 and painful not in spoken, spoken


def test_no_to_the_gentler_one_in_a_focus_carries_on_with_the_areas_other_moves_never_the_one_that_hurt():
    """Issue 21: "no" to the swap in a hamstrings focus said "Okay, no hamstrings today. And that's the workout! You
    did 0 of 1 sets. Great work today."."""
    talk, store, _ = runner()
    talk.launch()
    talk.say("BuildCircuitIntent", area=area_slot("HAMSTRINGS"))
    talk.say("ReadyIntent")
    painful = cursor_of(store).last_set_done.exercise
    talk.say("PainIntent")
    reply = talk.say("AMAZON.NoIntent")
    assert heard(reply, "pain.carry_on", name=EN.exercises[painful].name), said(reply)
    assert not any(v.split("{")[0] in said(reply) for v in EN.phrases["workout.done"] if not v.startswith("{"))
    talk.say("AMAZON.NoIntent")  # not out of future workouts
    spoken = []
    while waits(talk.turns[-1]):
        spoken += sets_spoken(talk, store, lambda: talk.say("ReadyIntent"))
    others = {e for e in cursor_of(store).circuit.exercises if e != painful}
    assert spoken and set(spoken) <= others and painful not in spoken, (painful, spoken)


@pytest.mark.parametrize("then", ["AMAZON.NoIntent", "AMAZON.NextIntent", "AMAZON.FallbackIntent", "SkipIntent"])
def test_with_nothing_left_but_what_hurt_the_workout_stops_honestly_and_the_history_and_card_say_so(then):
    """Pain in the workout's last set, the gentler one not taken: "Let's stop here for today. You did N of M sets
    before that.", no praise for work not done, in the history and on the card as stopped for pain."""
    talk, store, _ = runner()
    talk.launch()
    talk.say("BuildCircuitIntent", area=area_slot("HAMSTRINGS"), rounds=slot("rounds", "1"))
    last = talk.say("ReadyIntent")
    while waits(last):
        last = talk.say("ReadyIntent")
    cursor = cursor_of(store)
    step = len(cursor.steps) - 1
    start, seconds = next((m[1], m[2]) for m in talk.session["block_sent"]["marks"]
                          if m[0] in WORK_MARKS and m[3] == step)
    reply = talk.say("PainIntent", barge=start + seconds / 2)
    done = cursor_of(store).sets_done
    assert done == sum(1 for s in cursor.steps[:step] if s.is_set), "the set cut by pain does not count"
    stopped = talk.say(then)
    if ((talk.session or {}).get("question") or {}).get("name") == "pain":  # a mumble: the offer again, then "next"
        stopped = talk.say("AMAZON.NextIntent")
    text = " ".join(said(r) for r in (reply, stopped))
    assert done == 2 and heard(stopped, "workout.stopped_pain", sets="2 sets"), text
    total = cursor.total_sets
    assert not any(heard(r, praise, done=done, total=t) for r in (reply, stopped) for t in (total, total - 1)
                   for praise in ("workout.done", "workout.done_early")), text
    record = next(iter(store.items.values()))
    assert record["history"][-1]["ended_for"] == PAIN and not record["history"][-1].get("early")
    assert stopped["response"]["card"]["title"].startswith("Stopped when something hurt"), stopped["response"]
