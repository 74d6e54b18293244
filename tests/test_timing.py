"""The coach's clock in the timing model: what is said takes time, the pauses give it back, no response runs
over 240 s, and "about N minutes" is what the workout will take. (tests/test_rendered_audio.py holds the same
clock to real audio.)"""

from __future__ import annotations

import itertools
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.timing import modelled_workout_seconds, workout_speech
from runner_strength.speech import coach
from runner_strength.speech.phrases import Voice, load_locale
from runner_strength.speech.ssml import MARK, MAX_RENDERED_SECONDS, PAUSE, SPEECH, SpeechLimitError, Ssml
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
from runner_strength.training.cursor import Cursor, Step
from runner_strength.training.record import CUE_STYLES, MAX_DOSE_STEPS, MAX_REST, MIN_REST, PACES

CATALOG = load_catalog()
EN = load_locale("en-US")
EXERCISES = sorted(e.id for e in CATALOG.exercises.values() if e.area != DRILLS)
# What a response says after a set: what is next and the prompt (voice/conversation/replies.py hand_back).
HAND_BACK = "Coming up: single-leg deadlift. Say next when you're set, or ask me to explain it."


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


# The clock inside a block -----------------------------------------------------------------------------------

@settings(max_examples=150)
@given(st.integers(MIN_REST, MAX_REST), st.integers(0, 1000))
def test_a_count_down_lasts_what_it_announces(seconds, seed):
    ssml = Ssml().say("Go!")
    start = ssml.seconds
    coach.count_down(ssml, voice(seed), seconds)
    ssml.say("Nice work.")
    said = speech_after(ssml, start)
    one, after = said[-2], said[-1]
    assert one.text == "1."
    assert one.end - start == pytest.approx(seconds - coach.FINAL_BEAT, abs=0.005)
    assert after.start - start == pytest.approx(seconds, abs=0.005)
    for mark in said[:-4]:
        # "20 seconds" starts as twenty seconds are left.
        left = int(mark.text.split()[0])
        assert mark.start - start == pytest.approx(seconds - left, abs=0.005)
    assert all(0 < s.seconds <= 10 for s in ssml.timeline if s.kind == "pause")


@given(st.integers(3, 30), st.sampled_from([1.6, 2.0, 2.4, 3.0, 3.75, 5.0, 6.25]))
def test_a_rep_count_lasts_reps_times_the_tempo_each_number_on_its_rep(reps, tempo):
    ssml = Ssml().say("Go!")
    start = ssml.seconds
    coach.count_reps(ssml, reps, tempo)
    numbers = speech_after(ssml, start)
    assert [n.text for n in numbers] == [f"{n}." for n in range(1, reps + 1)]
    for rep, number in enumerate(numbers, 1):
        assert number.end - start == pytest.approx(rep * tempo, abs=0.005)


@pytest.mark.parametrize("seed", range(4))
def test_a_side_switch_lasts_five_seconds_words_included(seed):
    for exercise_id in ("side_plank", "single_leg_glute_bridge"):
        circuit = Circuit(areas=(), warmup=(), exercises=(exercise_id,), rounds=1, rest_seconds=30,
                          estimated_seconds=0)
        ssml = coach.set_block(voice(seed), CATALOG, circuit, Step("set", 1, 0, 1, exercise_id))
        switch = next(s for s in ssml.timeline if s.kind == MARK and s.text == "switch")
        second_go = next(s for s in speech_after(ssml, switch.start) if s.text.endswith("Go!"))
        assert second_go.end - switch.start == pytest.approx(duration.SIDE_SWITCH_SECONDS, abs=0.005)


def test_every_interval_of_a_set_is_marked_with_what_it_announces():
    circuit = Circuit(areas=(), warmup=(), exercises=("side_plank",), rounds=1, rest_seconds=45, estimated_seconds=0)
    ssml = coach.set_block(voice(), CATALOG, circuit, Step("set", 1, 0, 2, "side_plank"), rest_before=True)
    marks = [(s.text, s.seconds) for s in ssml.timeline if s.kind == MARK]
    assert marks == [("rest", 45), ("hold", 30), ("switch", 5), ("hold", 30)]


@pytest.mark.parametrize("rest", [10, 15, 30, 45, 60, 120])
def test_a_rest_names_what_is_next_early_and_the_go_comes_as_it_ends(rest):
    for exercise_id in EXERCISES:
        circuit = Circuit(areas=(), warmup=(), exercises=(exercise_id,), rounds=2, rest_seconds=rest,
                          estimated_seconds=0)
        ssml = coach.set_block(voice(rest), CATALOG, circuit, Step("set", 1, 1, 2, exercise_id), rest_before=True)
        mark = next(s for s in ssml.timeline if s.kind == MARK and s.text == "rest")
        words = speech_after(ssml, mark.start)
        assert EN.exercises[exercise_id].name in words[0].text and words[0].start - mark.start < 1.0
        go = next(w for w in words if w.text.endswith(("Go!", "Begin.", "Start now.")))
        assert go.end - mark.start == pytest.approx(rest, rel=0.05, abs=0.3), exercise_id


# No response over 240 s, whatever the settings ---------------------------------------------------------------

def settings_space():
    """Every exercise x pace x dose steps x cue style, at the longest rest (a block only grows with its rest)."""
    return itertools.product(EXERCISES, PACES, range(-MAX_DOSE_STEPS, MAX_DOSE_STEPS + 1), CUE_STYLES)


def one_set(exercise_id: str, pace: str, steps: int, cues: str, rest: int = MAX_REST, seed: int = 1,
            rest_before: bool = True, parts: bool = False):
    circuit = Circuit(areas=(), warmup=(), exercises=(exercise_id,), rounds=8, rest_seconds=rest, estimated_seconds=0)
    make = coach.set_parts if parts else coach.set_block
    return make(voice(seed), CATALOG, circuit, Step("set", 1, 1, 5, exercise_id), rest_before=rest_before,
                pace=PACES[pace],
                cues=cues, dose_steps={exercise_id: steps})


def test_the_whole_settings_space_fits_in_responses_of_at_most_240_seconds():
    blocks, over = [], []
    for exercise_id, pace, steps, cues in settings_space():
        whole = one_set(exercise_id, pace, steps, cues).say(HAND_BACK)
        blocks.append((whole.seconds, exercise_id, pace, steps, cues))
        parts = [p.say(HAND_BACK) for p in one_set(exercise_id, pace, steps, cues, parts=True)]
        assert all(p.seconds <= MAX_RENDERED_SECONDS for p in parts), (exercise_id, pace, steps, cues)
        if whole.seconds > MAX_RENDERED_SECONDS:
            over.append((whole.seconds - MAX_RENDERED_SECONDS, exercise_id, pace, steps, cues))
            assert len(parts) > 1
            with pytest.raises(SpeechLimitError):
                whole.to_ssml()
    longest = max(blocks)
    print(f"\nlongest set block with its hand-back, at a {MAX_REST} s rest: {longest[0]:.1f} s "
          f"({longest[1]}, {longest[2]} count, {longest[3]:+d} dose steps, {longest[4]} cues)")
    print(f"{len(over)} of {len(blocks)} combinations over {MAX_RENDERED_SECONDS} s unsplit; "
          "by exercise, the most over:")
    for exercise_id, group in itertools.groupby(sorted(over, key=lambda o: o[1]), key=lambda o: o[1]):
        worst = max(group)
        print(f"  {exercise_id}: +{worst[0]:.0f} s ({worst[2]} count, {worst[3]:+d} steps, {worst[4]} cues)")
    assert len(blocks) == len(EXERCISES) * len(PACES) * (2 * MAX_DOSE_STEPS + 1) * len(CUE_STYLES)



@settings(max_examples=300)
@given(st.sampled_from(EXERCISES), st.sampled_from(sorted(PACES)), st.integers(-MAX_DOSE_STEPS, MAX_DOSE_STEPS),
       st.sampled_from(CUE_STYLES), st.integers(MIN_REST, MAX_REST), st.integers(1, 8), st.booleans(),
       st.integers(0, 100))
def test_any_set_cut_into_parts_says_the_same_and_each_part_fits(exercise_id, pace, steps, cues, rest, round_,
                                                                  rest_before, seed):
    circuit = Circuit(areas=(), warmup=(), exercises=(exercise_id,), rounds=8, rest_seconds=rest, estimated_seconds=0)
    step = Step("set", round_, 0, 5, exercise_id)
    args = dict(rest_before=rest_before, pace=PACES[pace], cues=cues, dose_steps={exercise_id: steps})
    whole = coach.set_block(voice(seed), CATALOG, circuit, step, **args)
    parts = coach.set_parts(voice(seed), CATALOG, circuit, step, **args)
    assert all(p.seconds <= coach.SPLIT_SECONDS for p in parts)
    said = [s.text for p in parts for s in p.timeline if s.kind == SPEECH]
    assert said == [s.text for s in whole.timeline if s.kind == SPEECH]
    # Cut only where the runner can wait: between the sides (at the switch), or as the rest ends.
    for number, part in enumerate(parts[1:], 1):
        first = part.timeline[0]
        after_rest = number == 1 and rest_before and parts[0].timeline[-1].kind == PAUSE
        assert (first.kind, first.text) == (MARK, "switch") or after_rest
    if whole.seconds <= coach.SPLIT_SECONDS:
        assert len(parts) == 1 and parts[0].to_ssml() == whole.to_ssml()


def test_a_set_that_cannot_be_cut_small_enough_is_refused():
    circuit = Circuit(areas=(), warmup=(), exercises=("side_plank",), rounds=1, rest_seconds=30, estimated_seconds=0)
    with pytest.raises(SpeechLimitError, match="side_plank"):
        coach.set_parts(voice(), CATALOG, circuit, Step("set", 1, 0, 1, "side_plank"), rest_before=True, limit=20)


# Honest estimates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cues", CUE_STYLES)
def test_the_spoken_averages_in_training_timing_match_the_speech_model(cues):
    """training/ cannot read the locale, so it keeps averages of what the coach says; they must follow the
    lines when the lines change."""
    for per_side, first_round in itertools.product((False, True), (True, False)):
        modelled, estimated = [], []
        for exercise_id in EXERCISES:
            exercise = CATALOG[exercise_id]
            if exercise.per_side != per_side:
                continue
            # Work and the side switch last what they announce; what is left is talk.
            work = exercise.work_seconds_per_side * exercise.sides + duration.SIDE_SWITCH_SECONDS * per_side
            circuit = Circuit(areas=(), warmup=(), exercises=(exercise_id,), rounds=2, rest_seconds=30,
                              estimated_seconds=0)
            step = Step("set", 1 if first_round else 2, 0, 5, exercise_id)
            for seed in range(3):
                ssml = coach.set_block(voice(seed), CATALOG, circuit, step, cues=cues)
                modelled.append(ssml.seconds - work)
                estimated.append(duration.set_seconds(exercise, cues=cues, first_round=first_round) - work)
        assert statistics.mean(estimated) == pytest.approx(statistics.mean(modelled), rel=0.1), (per_side, first_round)


def test_the_hand_back_and_the_warm_up_averages_match_the_speech_model():
    hand_backs, warmups = [], []
    drills = [e for e in CATALOG.exercises.values() if e.area == DRILLS]
    for seed in range(40):
        talk = voice(seed)
        ssml = Ssml().say("Nice work.")
        ssml.say(coach.next_up(talk, _cursor_before(EXERCISES[seed % len(EXERCISES)]))).say(talk.line("prompt.next"))
        hand_backs.append(ssml.seconds - speech_seconds("Nice work."))
        picked = tuple(random.Random(seed).sample(drills, 3 + seed % 2))
        circuit = Circuit(areas=(), warmup=tuple(d.id for d in picked), exercises=(), rounds=1, rest_seconds=30,
                          estimated_seconds=0)
        block = coach.warmup_block(talk, CATALOG, circuit)
        warmups.append((block.seconds, duration.warmup_seconds(picked) - duration.TURN_SECONDS))
    assert statistics.mean(hand_backs) == pytest.approx(duration.HAND_BACK_SECONDS, rel=0.1)
    assert sum(e for _, e in warmups) == pytest.approx(sum(m for m, _ in warmups), rel=0.05)


def _cursor_before(exercise_id: str) -> Cursor:
    circuit = Circuit(areas=(), warmup=(), exercises=(exercise_id, exercise_id), rounds=1, rest_seconds=30,
                      estimated_seconds=0)
    return Cursor(circuit)


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
def test_about_n_minutes_is_within_ten_percent_of_the_workout_as_spoken(request, seed):
    """Speech, the counting pace, rests and the runner's turns, over many generated workouts."""
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
