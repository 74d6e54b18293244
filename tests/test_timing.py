"""The coach's clock in the timing model: what is said takes time, the pauses give it back, no response runs
over 240 s, and "about N minutes" is what the workout will take. (tests/test_rendered_audio.py holds the same
clock to real audio.)"""

from __future__ import annotations

import itertools
import random
import re
import statistics

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from benchmarks.timing import modelled_workout_seconds, sample_set, workout_speech
from runner_strength.speech import workout
from runner_strength.speech.phrases import Voice, load_locale
from runner_strength.speech.ssml import MARK, MAX_RENDERED_SECONDS, SPEECH, SpeechLimitError, Ssml
from runner_strength.speech.timing import (
    REFERENCE_TEXT,
    WORDS_PER_MINUTE,
    number_words,
    pause_after,
    speech_seconds,
    spoken_words,
    words_per_minute,
)
from runner_strength.training import duration
from runner_strength.training.builder import (
    REST_CHOICES,
    Circuit,
    CircuitRequest,
    build_circuit,
)
from runner_strength.training.catalog import AREAS, DRILLS, EQUIPMENT, LEVELS, load_catalog
from runner_strength.training.cursor import Cursor
from runner_strength.training.record import CUE_STYLES, MAX_DOSE_STEPS, MAX_REST, MIN_REST, PACES

CATALOG = load_catalog()
EN = load_locale("en-US")
EXERCISES = sorted(e.id for e in CATALOG.exercises.values() if e.area != DRILLS)


def voice(seed: int = 1) -> Voice:
    return Voice(EN, random.Random(seed), {})


def speech_after(ssml: Ssml, start: float) -> list:
    return [s for s in ssml.timeline if s.kind == SPEECH and s.start >= start - 0.01]


# The model ------------------------------------------------------------------------------------------------

def test_the_model_reads_the_reference_passage_at_alexas_rate():
    assert words_per_minute(REFERENCE_TEXT) == pytest.approx(WORDS_PER_MINUTE, rel=0.01)


def test_numbers_are_read_as_words():
    assert [number_words(n) for n in (7, 12, 20, 45, 120)] == [
        "seven", "twelve", "twenty", "forty five", "one hundred twenty"]
    assert spoken_words("Exercise 1 of 5: single-leg deadlift.") == [
        "Exercise", "one", "of", "five", "single", "leg", "deadlift"]
    assert speech_seconds("27.") > speech_seconds("2.")


def test_punctuation_inside_a_line_is_a_pause_and_at_its_end_belongs_to_what_follows():
    assert speech_seconds("Rest, then go") > speech_seconds("Rest then go")
    assert speech_seconds("Rest. Then go.") > speech_seconds("Rest, then go.")
    assert speech_seconds("Go!") == speech_seconds("Go")
    assert pause_after("Go!") > pause_after("Go,") > pause_after("Go") == 0


def test_an_utterance_runs_on_until_a_break():
    together = Ssml().say("Nice work.").say("Rest 30 seconds.")
    apart = Ssml().say("Nice work.").pause(1).say("Rest 30 seconds.")
    first, second = together.timeline
    assert second.start == pytest.approx(first.end + pause_after("Nice work."))
    assert together.seconds == pytest.approx(
        speech_seconds("Nice work.") + pause_after("Nice work.") + speech_seconds("Rest 30 seconds.", continuing=True))
    assert apart.seconds == pytest.approx(speech_seconds("Nice work.") + 1 + speech_seconds("Rest 30 seconds."))


def test_joining_responses_keeps_the_clock():
    one = Ssml().say("Warm-up.").pause(2.5).say("Go!")
    two = Ssml().say("Next up: side plank.").pause(1)
    joined = Ssml().extend(one).extend(two)
    direct = Ssml().say("Warm-up.").pause(2.5).say("Go!").say("Next up: side plank.").pause(1)
    assert joined.to_ssml() == direct.to_ssml()
    assert joined.timeline == direct.timeline


def test_silence_straight_after_silence_is_one_chain_of_breaks():
    ssml = Ssml().say("1.").pause(0.25).mark("switch", 5).pause(0.5).say("Switch sides.")
    assert ssml.to_ssml() == '<speak>1. <break time="750ms"/> Switch sides.</speak>'
    assert Ssml().pause(9.5).pause(3).to_ssml() == '<speak><break time="10s"/> <break time="2500ms"/></speak>'


def test_a_response_longer_than_240_seconds_is_refused():
    fits = Ssml().say("Go!")
    fits.pause(MAX_RENDERED_SECONDS - 1 - fits.seconds).say("Done.")
    assert fits.seconds <= MAX_RENDERED_SECONDS
    fits.to_ssml()
    too_long = Ssml().say("Go!").pause(MAX_RENDERED_SECONDS).say("Done.")
    with pytest.raises(SpeechLimitError, match="240"):
        too_long.to_ssml()


# The clock inside a delivery -------------------------------------------------------------------------------

@settings(max_examples=150)
@given(st.integers(MIN_REST, MAX_REST), st.integers(0, 1000))
def test_a_count_down_lasts_what_it_announces(seconds, seed):
    ssml = Ssml().say("Go!")
    start = ssml.seconds
    workout.count_down(ssml, voice(seed), seconds)
    ssml.say("Nice work.")
    said = speech_after(ssml, start)
    one, after = said[-2], said[-1]
    assert one.text == "1."
    assert one.end - start == pytest.approx(seconds - workout.FINAL_BEAT, abs=0.005)
    assert after.start - start == pytest.approx(seconds, abs=0.005)
    for mark in said[:-4]:
        # "10 seconds" starts as ten seconds are left, and only once enough of the hold has gone by.
        left = int(mark.text.split()[0])
        assert mark.start - start == pytest.approx(seconds - left, abs=0.005)
        assert left in workout.MARKS and seconds - left >= workout.MARK_AFTER
    breaks = [int(ms) / 1000 if unit == "ms" else int(ms)
              for ms, unit in re.findall(r'<break time="(\d+)(ms|s)"/>', ssml.to_ssml())]
    assert breaks and all(0 < b <= 10 for b in breaks), "silence is said in breaks of at most ten seconds"


@given(st.integers(3, 30), st.sampled_from([1.6, 2.0, 2.4, 3.0, 3.75, 5.0, 6.25]))
def test_a_rep_count_lasts_reps_times_the_tempo_each_number_on_its_rep(reps, tempo):
    ssml = Ssml().say("Go!")
    start = ssml.seconds
    workout.count_reps(ssml, reps, tempo)
    numbers = speech_after(ssml, start)
    assert [n.text for n in numbers] == [f"{n}." for n in range(1, reps + 1)]
    for rep, number in enumerate(numbers, 1):
        assert number.end - start == pytest.approx(rep * tempo, abs=0.005)


@given(st.integers(3, 30), st.sampled_from([1.6, 2.4, 3.0, 3.75, 5.0]), st.sampled_from(EXERCISES))
def test_a_cue_said_as_the_reps_start_leaves_unsaid_only_the_numbers_it_talks_over(reps, tempo, exercise_id):
    cue = EN.exercises[exercise_id].cue
    ssml = Ssml().say("Go!")
    start = ssml.seconds
    workout.count_reps(ssml, reps, tempo, cue=cue)
    said = speech_after(ssml, start)
    if said[0].text != cue:
        # Left out only when it would hold up the count: it cannot end before the last number must start.
        assert workout.CUE_BEAT + speech_seconds(cue) + workout.SWITCH_BEAT > reps * tempo - speech_seconds(f"{reps}.")
        return
    numbers = said[1:]
    assert numbers[-1].text == f"{reps}." and numbers[-1].end - start == pytest.approx(reps * tempo, abs=0.005)
    for number in numbers:
        rep = int(number.text[:-1])
        assert number.end - start == pytest.approx(rep * tempo, abs=0.005), "each number still on its rep"
    first = int(numbers[0].text[:-1])
    assert first == reps or start + first * tempo - speech_seconds(f"{first}.") >= said[0].end + workout.SWITCH_BEAT


def two_sets(first: str, second: str, rest: int = 30) -> Cursor:
    return Cursor(Circuit(areas=(), warmup=(), exercises=(first, second), rounds=2, rest_seconds=rest,
                          estimated_seconds=0))


@pytest.mark.parametrize("seed", range(4))
def test_a_side_switch_lasts_five_seconds_words_included(seed):
    for exercise_id in ("side_plank", "single_leg_glute_bridge"):
        ssml = workout.work(voice(seed), CATALOG, two_sets(exercise_id, "dead_bug"), 0, workout.Style())
        switch = next(s for s in ssml.timeline if s.kind == MARK and s.text == "switch")
        second_go = next(s for s in speech_after(ssml, switch.start) if s.text.endswith("Go!"))
        assert second_go.end - switch.start == pytest.approx(duration.SIDE_SWITCH_SECONDS, abs=0.005)


def test_every_interval_of_a_set_and_its_rest_is_marked_with_what_it_announces_and_its_step():
    ssml = sample_set(CATALOG, voice(), "side_plank", 45)
    marks = [(s.text, s.seconds, s.step) for s in ssml.timeline if s.kind == MARK]
    assert marks[-4:] == [("rest", 45, 1), ("hold", 30, 1), ("switch", 5, 1), ("hold", 30, 1)]
    assert all(step == 0 for _, _, step in marks[:-4]), "the first set's own intervals"


@pytest.mark.parametrize("rest", [10, 15, 30, 45, 60, 120])
def test_a_rest_names_what_is_next_early_and_the_go_comes_as_it_ends(rest):
    for exercise_id in EXERCISES:
        ssml = sample_set(CATALOG, voice(rest), exercise_id, rest)
        mark = next(s for s in ssml.timeline if s.kind == MARK and s.text == "rest")
        words = speech_after(ssml, mark.start)
        named = next(w for w in words if EN.exercises[exercise_id].name.lower() in w.text.lower())
        assert named.start - mark.start < 3.5, exercise_id
        go = next(w for w in words if w.text.startswith(tuple(EN.phrases["go"] + EN.phrases["side.first"])))
        assert go.start - mark.start == pytest.approx(rest, rel=0.05, abs=0.3), exercise_id
        talk = sum(w.end - w.start for w in words if w.end <= go.start)
        if rest >= 30:
            # Even the fullest rest (an exercise's first: its name and how to set up, and its dose if there is
            # room) is mostly rest: at most a third talk, the set-up never dropped for it (a workout's rests in all
            # are held to 30%: tests/test_hands_free.py).
            assert talk <= rest / 3, (exercise_id, talk)


# No response over 240 s, whatever the settings ---------------------------------------------------------------

def settings_space():
    """Every exercise x pace x dose steps x cue style, at the longest rest (a delivery only grows with its rest)."""
    return itertools.product(EXERCISES, PACES, range(-MAX_DOSE_STEPS, MAX_DOSE_STEPS + 1), CUE_STYLES)


@pytest.mark.slow
def test_the_whole_settings_space_fits_in_responses_of_at_most_240_seconds():
    """Each exercise as the first and then the second set of a delivery, at the longest rest: every delivery fits,
    and holds at least a whole set (a set too long for its rest after it hands back in the rest)."""
    longest = (0.0, "")
    for exercise_id, pace, steps, cues in settings_space():
        other = "dead_bug" if exercise_id != "dead_bug" else "glute_bridge"
        style = workout.Style(PACES[pace], cues, {exercise_id: steps})
        for order in ((exercise_id, other), (other, exercise_id)):
            cursor = two_sets(*order, rest=MAX_REST)
            delivery = workout.deliver(voice(), CATALOG, cursor, style, workout.Opening(), "Say go.")
            assert delivery.ssml.seconds <= workout.SPLIT_SECONDS, (order, pace, steps, cues)
            assert delivery.steps and delivery.part is None, (order, pace, steps, cues)
            delivery.ssml.to_ssml()
            longest = max(longest, (delivery.ssml.seconds, f"{order}, {pace} count, {steps:+d} steps, {cues} cues"))
    print(f"\nlongest delivery at a {MAX_REST} s rest: {longest[0]:.1f} s ({longest[1]})")


def test_a_set_too_long_for_one_response_is_cut_between_its_sides_and_picked_up_on_the_other_side():
    cursor = two_sets("side_plank", "dead_bug")
    style = workout.Style()
    whole = workout.work(voice(), CATALOG, cursor, 0, style)
    limit = whole.seconds - 10  # the set does not fit, but a side does
    first = workout.deliver(voice(), CATALOG, cursor, style, workout.Opening(), "Say go.", limit=limit)
    assert first.part == (0, 1) and first.steps == () and first.ssml.seconds <= limit
    assert [s.text for s in first.ssml.timeline if s.kind == MARK] == ["hold"]
    place = {"kind": "switch", "mark": 1, "into": 0.0}
    second = workout.deliver(voice(), CATALOG, cursor, style, workout.Opening(workout.RESUME, place=place), "Go.")
    said = " ".join(s.text for s in second.ssml.timeline if s.kind == SPEECH)
    assert said.startswith("Back to your side plank, on the other side.") and 0 in second.steps


def test_a_set_that_cannot_be_cut_small_enough_is_refused():
    with pytest.raises(SpeechLimitError, match="step 0"):
        workout.deliver(voice(), CATALOG, two_sets("side_plank", "dead_bug"), workout.Style(), workout.Opening(),
                        "Say go.", limit=20)


# Honest estimates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cues", CUE_STYLES)
def test_the_spoken_averages_in_training_duration_match_the_speech_model(cues):
    """training/ cannot read the locale, so it keeps averages of what the coach says as a set starts; they must
    follow the lines when the lines change. (The cue and the count are said over the work.)"""
    for per_side in (False, True):
        modelled, estimated = [], []
        for exercise_id in EXERCISES:
            exercise = CATALOG[exercise_id]
            if exercise.per_side != per_side:
                continue
            work = exercise.work_seconds_per_side * exercise.sides + duration.SIDE_SWITCH_SECONDS * per_side
            for seed in range(3):
                ssml = workout.work(voice(seed), CATALOG, two_sets(exercise_id, "dead_bug"), 0,
                                    workout.Style(cues=cues))
                modelled.append(ssml.seconds - work)
                estimated.append(duration.set_seconds(exercise) - work)
        assert statistics.mean(estimated) == pytest.approx(statistics.mean(modelled), rel=0.15, abs=0.2), per_side


def test_the_warm_up_average_matches_the_speech_model():
    warmups = []
    drills = [e for e in CATALOG.exercises.values() if e.area == DRILLS]
    for seed in range(40):
        picked = tuple(random.Random(seed).sample(drills, 3 + seed % 2))
        cursor = Cursor(Circuit(areas=(), warmup=tuple(d.id for d in picked), exercises=("dead_bug",), rounds=1,
                                rest_seconds=30, estimated_seconds=0))
        block = workout.warmup(voice(seed), CATALOG, cursor)
        warmups.append((block.seconds + duration.SETUP_SECONDS, duration.warmup_seconds(picked)))
    assert sum(e for _, e in warmups) == pytest.approx(sum(m for m, _ in warmups), rel=0.05)


requests = st.builds(
    CircuitRequest,
    areas=st.lists(st.sampled_from(AREAS), max_size=3).map(tuple),
    rounds=st.none() | st.integers(1, 8),
    minutes=st.none() | st.integers(5, 60),
    equipment=st.frozensets(st.sampled_from(EQUIPMENT)),
    level=st.sampled_from(LEVELS),
    rest_seconds=st.none() | st.sampled_from(REST_CHOICES),
    pace=st.sampled_from(sorted(PACES.values())),
    cues=st.sampled_from(CUE_STYLES),
    dose_steps=st.dictionaries(st.sampled_from(EXERCISES), st.integers(-MAX_DOSE_STEPS, MAX_DOSE_STEPS), max_size=8),
)


@settings(max_examples=120, deadline=None)
@given(requests, st.integers(0, 2**32))
# a rest split between two responses (60 s rests, a slower count): the model once dropped the rest's remainder
@example(CircuitRequest(areas=("HAMSTRINGS",), rounds=4, minutes=5, equipment=frozenset({"none", "stability_ball"}),
                        rest_seconds=60, pace=1.25, cues="brief"), 0)
def test_about_n_minutes_is_within_ten_percent_of_the_workout_as_spoken(request, seed):
    """Speech, the counting pace, rests and the hand-backs, over many generated workouts."""
    circuit = build_circuit(request, CATALOG, seed)
    responses = workout_speech(circuit, CATALOG, voice(seed), request.pace, request.cues, request.dose_steps)
    spoken = modelled_workout_seconds(responses)
    assert circuit.estimated_seconds == pytest.approx(spoken, rel=0.10)


def test_a_slower_count_makes_a_longer_estimate():
    asked = dict(areas=("GLUTE_MEDIUS",), rounds=3)
    normal = build_circuit(CircuitRequest(**asked), CATALOG, 4)
    slower = build_circuit(CircuitRequest(**asked, pace=PACES["slower"]), CATALOG, 4)
    assert normal.exercises == slower.exercises
    assert slower.estimated_seconds > normal.estimated_seconds * 1.05
