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
from tests.support.envelopes import Conversation, ended, heard, said, slot, waits
from tests.support.workouts import area_slot

CATALOG = load_catalog()
EN = load_locale("en-US")
TOLERANCE = 2.0  # seconds: one second of stamping on each request, and the latencies' spread


def cursor_of(store) -> Cursor:
    return Cursor.from_dict(next(iter(store.items.values()))["workout"])


def to_a_set(skill, store, want, area: str = "LOWER_BACK") -> tuple[Conversation, int, float, float]:
    """A conversation whose last response holds a set of an exercise for which `want(exercise)` holds: the
    conversation, that set's step, and the start and announced seconds of its first work interval."""
    for seed_area in (area, "GLUTE_MEDIUS", "HAMSTRINGS", "LOWER_BODY_STABILITY", "REAR_DELTS"):
        talk = Conversation(skill)
        talk.launch()
        talk.say("BuildCircuitIntent", area=area_slot(seed_area), rounds=slot("rounds", "2"))
        reply = talk.say("ReadyIntent")
        while waits(reply):
            steps = cursor_of(store).steps
            for kind, start, seconds, step in talk.session["block_sent"]["marks"]:
                if kind in ("hold", "reps") and steps[step].is_set and want(CATALOG[steps[step].exercise]):
                    return talk, step, start, seconds
            reply = talk.say("AMAZON.NextIntent")
    raise AssertionError("no such set came up")


def name_at(store, step: int) -> str:
    return EN.exercises[cursor_of(store).steps[step].exercise].name


def test_pause_in_a_hold_then_open_again_picks_up_with_the_seconds_left(skill, store):
    talk, step, start, seconds = to_a_set(skill, store,
                                          lambda e: e.seconds is not None and e.seconds >= 25 and not e.per_side)
    name = name_at(store, step)
    done_before = {i for i in cursor_of(store).done if i < step}
    paused = talk.say("AMAZON.PauseIntent", barge=start + 12)
    left = int(re.search(r"(\d+) seconds left", said(paused))[1])
    assert abs(left - (seconds - 12)) <= TOLERANCE and name in said(paused) and ended(paused)
    cursor = cursor_of(store)
    assert step not in cursor.done and cursor.position == step, "an interrupted set does not count"
    assert {i for i in cursor.done if i < step} == done_before, "what came before it does"
    resumed = talk.launch()  # within minutes: no question, straight back to it
    assert heard(resumed, "resume.hold", seconds=left, name=name), said(resumed)
    assert step in cursor_of(store).done, "done once it is finished"


def test_pause_in_a_rep_set_then_resume_picks_up_at_the_rep_reached(skill, store, clock):
    talk, step, start, seconds = to_a_set(skill, store, lambda e: e.reps is not None and e.reps >= 10,
                                          area="GLUTE_MEDIUS")
    exercise = CATALOG[cursor_of(store).steps[step].exercise].with_dose_steps(0)
    name = EN.exercises[exercise.id].name
    tempo = seconds / exercise.reps
    paused = talk.say("AMAZON.PauseIntent", barge=start + tempo * 6.5)
    rep = int(re.search(r"rep (\d+)", said(paused))[1])
    assert abs(rep - 7) <= TOLERANCE / tempo + 1
    clock.advance(minutes=5)
    resumed = said(talk.launch())
    assert f"rep {rep}" in resumed and name in resumed
    numbers = [int(n) for n in re.findall(r"(?<![\w.])(\d+)\.(?!\d)", resumed.split(f"rep {rep}")[1])]
    assert numbers[:2] == [rep, rep + 1] and exercise.reps in numbers


def test_a_pause_after_the_response_was_heard_out_is_a_plain_pause_and_nothing_is_undone(skill, store):
    talk, _, _, _ = to_a_set(skill, store, lambda e: True)
    done = cursor_of(store).sets_done
    reply = talk.say("AMAZON.PauseIntent")  # the device clock has let the response play to its end
    assert heard(reply, "guide.paused", place=re.search(r"Paused at (.+?), and", said(reply))[1])
    assert cursor_of(store).sets_done == done


def test_stop_in_the_middle_of_a_set_does_not_count_it_nor_what_followed_it(skill, store, clock):
    talk, step, start, _ = to_a_set(skill, store, lambda e: e.seconds is not None)
    counted = sum(1 for i in cursor_of(store).done if i < step and cursor_of(store).steps[i].is_set)
    reply = talk.say("AMAZON.StopIntent", barge=start + 5)
    assert f"{counted} of" in said(reply)
    assert cursor_of(store).position == step


def test_after_a_long_pause_the_set_starts_over(skill, store, clock):
    talk, _, start, _ = to_a_set(skill, store, lambda e: e.seconds is not None and not e.per_side)
    talk.say("AMAZON.PauseIntent", barge=start + 8)
    talk.device_time += timedelta(minutes=15)
    clock.advance(minutes=15)
    talk.launch()
    resumed = talk.say("AMAZON.YesIntent")
    assert heard(resumed, "resume.over") and "Go!" in said(resumed)


def test_this_hurts_in_the_middle_of_a_set_is_about_that_set(skill, store):
    talk, step, start, _ = to_a_set(skill, store, lambda e: e.seconds is not None)
    name = name_at(store, step)
    reply = talk.say("PainIntent", barge=start + 4)
    assert heard(reply, "pain.stop", name=name)
    assert step not in cursor_of(store).done


@pytest.mark.parametrize("seed", range(6))
def test_the_place_found_is_within_two_seconds_for_any_moment_and_stamps_to_the_second(skill, store, seed):
    """Simulated clocks: the runner cuts in at a random moment of a hold; the device stamps to the second (and
    the delivery's own request may be stamped up to a second late). The place found is within TOLERANCE."""
    rng = random.Random(seed)
    talk, _, start, seconds = to_a_set(skill, store,
                                       lambda e: e.seconds is not None and e.seconds >= 30 and not e.per_side)
    at = start + rng.uniform(3, seconds - 5)
    talk.last_stamp += timedelta(seconds=rng.choice([0, 0, 1]))  # the delivery's own stamp a second late
    reply = talk.say("AMAZON.PauseIntent", barge=at)
    left = int(re.search(r"(\d+) seconds left", said(reply))[1])
    assert abs(left - (seconds - (at - start))) <= TOLERANCE + 1, (left, seconds, at - start)


def test_the_longest_sets_and_rests_stay_within_the_limits_and_every_set_counts_once(store, clock):
    """The slowest count, the longest rest and three dose steps up on every exercise: every response within Alexa's
    limits; a long rest that does not fit after its set is split between two responses; the workout ends with
    every set counted once."""
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
    total = cursor_of(store).total_sets
    replies = [talk.say("ReadyIntent")]
    while waits(replies[-1]):
        replies.append(talk.say("AMAZON.NextIntent"))
    for reply in replies:
        check_response(reply)
        assert "Sorry" not in said(reply)
    # A rest too long to fit after its set is split: the response ends part-way into it, and the next picks it up
    # with the seconds left.
    assert any(heard(r, "resume.rest", seconds=int(m[1]), name=m[2])
               for r in replies for m in re.finditer(r"(\d+) seconds of rest left, then (.+?)\.", said(r))), \
        "a long rest split between two responses"
    assert heard(replies[-1], "workout.done", done=total, total=total)


def test_a_pause_in_a_hold_picked_up_after_an_aside_is_placed_on_the_original_hold(skill, store):
    """"How many are left" in a hold carries the hold on from the second it cut in; a pause in what follows is
    placed on the whole hold: the seconds left count from its start, not from the aside."""
    talk, _, start, seconds = to_a_set(skill, store,
                                       lambda e: e.seconds is not None and e.seconds >= 30 and not e.per_side)
    talk.say("HowManyLeftIntent", barge=start + 8)
    resumed = next(m for m in talk.session["block_sent"]["marks"] if m[0] == "hold")
    paused = talk.say("AMAZON.PauseIntent", barge=resumed[1] + 6)
    left = int(re.search(r"(\d+) seconds left", said(paused))[1])
    assert abs(left - (seconds - 14)) <= TOLERANCE + 1, (left, seconds)
