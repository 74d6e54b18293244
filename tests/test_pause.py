""""Alexa, pause" in the middle of a set or a rest, then picking up: the place is worked out from the block's
timeline and the requests' time stamps (within about two seconds), an interrupted set does not count, resuming
carries on from the seconds or the rep reached, and after a long pause the set starts over."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog
from runner_strength.training.cursor import Cursor
from tests.support.envelopes import Conversation, ended, heard, said, slot
from tests.support.workouts import area_slot

CATALOG = load_catalog()
EN = load_locale("en-US")
TOLERANCE = 2.0  # seconds: one second of stamping on each request, and the latencies' spread


def cursor_of(store) -> Cursor:
    return Cursor.from_dict(next(iter(store.items.values()))["workout"])


def to_a_set(skill, store, want, area: str = "LOWER_BACK") -> tuple[Conversation, dict]:
    """A conversation whose last response is a set of an exercise for which `want(exercise)` holds."""
    for seed_area in (area, "GLUTE_MEDIUS", "HAMSTRINGS", "LOWER_BODY_STABILITY", "REAR_DELTS"):
        talk = Conversation(skill)
        talk.launch()
        talk.say("BuildCircuitIntent", area=area_slot(seed_area), rounds=slot("rounds", "2"))
        talk.say("ReadyIntent")
        for _ in range(6):
            reply = talk.say("AMAZON.NextIntent")
            if ended(reply) or next(iter(store.items.values()))["workout"] is None:
                break
            if want(CATALOG[cursor_of(store).last_set_done.exercise]):
                return talk, reply
    raise AssertionError("no such set came up")


def work_mark(talk: Conversation, kind: str) -> tuple[float, float]:
    """(start, announced seconds) of the first interval of `kind` in the last block, on its timeline."""
    for mark_kind, start, seconds in talk.session["block_sent"]["marks"]:
        if mark_kind == kind:
            return start, seconds
    raise AssertionError(f"no {kind} in the block")


def test_pause_in_a_hold_then_open_again_picks_up_with_the_seconds_left(skill, store):
    talk, _ = to_a_set(skill, store, lambda e: e.seconds is not None and e.seconds >= 25 and not e.per_side)
    done = cursor_of(store).sets_done
    name = EN.exercises[cursor_of(store).last_set_done.exercise].name
    start, seconds = work_mark(talk, "hold")
    paused = talk.say("AMAZON.PauseIntent", barge=start + 12)
    left = int(re.search(r"(\d+) seconds left", said(paused))[1])
    assert abs(left - (seconds - 12)) <= TOLERANCE and name in said(paused) and ended(paused)
    assert cursor_of(store).sets_done == done - 1, "an interrupted set does not count"
    talk.launch()
    resumed = talk.say("AMAZON.YesIntent")
    assert heard(resumed, "resume.hold", seconds=left, name=name), said(resumed)
    assert cursor_of(store).sets_done == done, "done once it is finished"


def test_pause_in_a_rep_set_then_resume_picks_up_at_the_rep_reached(skill, store):
    talk, _ = to_a_set(skill, store, lambda e: e.reps is not None and e.reps >= 10 and not e.per_side,
                       area="GLUTE_MEDIUS")
    exercise = CATALOG[cursor_of(store).last_set_done.exercise]
    name = EN.exercises[exercise.id].name
    start, seconds = work_mark(talk, "reps")
    tempo = seconds / exercise.reps
    paused = talk.say("AMAZON.PauseIntent", barge=start + tempo * 6.5)
    rep = int(re.search(r"rep (\d+)", said(paused))[1])
    assert abs(rep - 7) <= TOLERANCE / tempo + 1
    talk.launch()
    resumed = said(talk.say("AMAZON.YesIntent"))
    assert f"rep {rep}" in resumed and name in resumed
    numbers = [int(n) for n in re.findall(r"(?<![\w.])(\d+)\.(?!\d)", resumed.split("Go!")[-1])]
    assert numbers[:2] == [rep, rep + 1] and numbers[-1] == exercise.reps


def test_a_pause_after_the_block_was_heard_out_is_a_plain_pause_and_the_set_counts(skill, store):
    talk, _ = to_a_set(skill, store, lambda e: True)
    done = cursor_of(store).sets_done
    reply = talk.say("AMAZON.PauseIntent")  # the device clock has let the block play to its end
    assert heard(reply, "guide.paused", place=re.search(r"Paused at (.+?), and", said(reply))[1])
    assert cursor_of(store).sets_done == done


def test_stop_in_the_middle_of_a_set_does_not_count_it_and_the_next_day_starts_there(skill, store, clock):
    talk, _ = to_a_set(skill, store, lambda e: e.seconds is not None)
    stopped_in = cursor_of(store).last_set_done
    done = cursor_of(store).sets_done
    start, _ = work_mark(talk, "hold")
    reply = talk.say("AMAZON.StopIntent", barge=start + 5)
    assert f"{done - 1} of" in said(reply)
    assert cursor_of(store).next_step == stopped_in


def test_after_a_long_pause_the_set_starts_over(skill, store):
    talk, _ = to_a_set(skill, store, lambda e: e.seconds is not None and not e.per_side)
    start, _ = work_mark(talk, "hold")
    talk.say("AMAZON.PauseIntent", barge=start + 8)
    talk.device_time += timedelta(minutes=15)
    talk.launch()
    resumed = talk.say("AMAZON.YesIntent")
    assert heard(resumed, "resume.over") and "Exercise" in said(resumed)


def test_this_hurts_in_the_middle_of_a_set_is_about_that_set(skill, store):
    talk, _ = to_a_set(skill, store, lambda e: e.seconds is not None)
    hurting = cursor_of(store).last_set_done.exercise
    done = cursor_of(store).sets_done
    start, _ = work_mark(talk, "hold")
    reply = talk.say("PainIntent", barge=start + 4)
    assert heard(reply, "pain.stop", name=EN.exercises[hurting].name)
    assert cursor_of(store).sets_done == done - 1


@pytest.mark.parametrize("seed", range(6))
def test_the_place_found_is_within_two_seconds_for_any_moment_and_stamps_to_the_second(skill, store, seed):
    """Simulated clocks: the runner cuts in at a random moment of a hold; the device stamps to the second (and
    the block's own request may be stamped up to a second late). The place found is within TOLERANCE."""
    rng = random.Random(seed)
    talk, _ = to_a_set(skill, store, lambda e: e.seconds is not None and e.seconds >= 30 and not e.per_side)
    start, seconds = work_mark(talk, "hold")
    at = start + rng.uniform(3, seconds - 5)
    talk.last_stamp += timedelta(seconds=rng.choice([0, 0, 1]))  # the block's own stamp a second late
    reply = talk.say("AMAZON.PauseIntent", barge=at)
    left = int(re.search(r"(\d+) seconds left", said(reply))[1])
    assert abs(left - (seconds - (at - start))) <= TOLERANCE + 1, (left, seconds, at - start)


def test_a_set_too_long_for_one_response_is_spoken_in_parts_and_counts_once(store, clock):
    """The slowest count, the longest rest and three dose steps up on every exercise: some sets run past what one
    response may play, so they come a part at a time, each within the limits, the set counted with its last."""
    from runner_strength.training.record import MAX_DOSE_STEPS, MAX_REST, Preferences, RunnerRecord
    from tests.support.envelopes import USER_ID, request_for
    from tests.support.limits import check_response
    from tests.support.skills import make_skill

    prefs = Preferences(pace="slower", rest_seconds=MAX_REST, cues="detailed",
                        dose_steps={e: MAX_DOSE_STEPS for e in CATALOG.exercises})
    store.save_attributes(request_for(USER_ID), RunnerRecord(preferences=prefs, welcomed=True).to_dict())
    talk = Conversation(make_skill(store, clock))
    talk.launch()
    talk.say("BuildCircuitIntent", area=area_slot("LOWER_BODY_STABILITY"), rounds=slot("rounds", "2"))
    replies = [talk.say("ReadyIntent")]
    parts_heard = 0
    while talk.session is not None and next(iter(store.items.values()))["workout"] is not None:
        done = cursor_of(store).sets_done
        replies.append(talk.say("AMAZON.NextIntent"))
        if re.search(r"Say next (for the rest of your|to go on with) ", said(replies[-1])):
            parts_heard += 1
            assert cursor_of(store).sets_done == done, "a set part-way is not counted yet"
    for reply in replies:
        check_response(reply)
        assert "Sorry" not in said(reply)
    assert parts_heard > 0, "some set came in parts"


def test_a_pause_in_a_repeated_block_is_placed_from_the_repeat(skill, store):
    talk, _ = to_a_set(skill, store, lambda e: e.seconds is not None and e.seconds >= 25 and not e.per_side)
    start, seconds = work_mark(talk, "hold")
    talk.say("AMAZON.RepeatIntent")
    paused = talk.say("AMAZON.PauseIntent", barge=start + 10)
    left = int(re.search(r"(\d+) seconds left", said(paused))[1])
    assert abs(left - (seconds - 10)) <= TOLERANCE
