"""The coach's clock on real audio. espeak-ng (installed by `make audio`, with sox) renders a sample of generated
blocks and workouts, SSML breaks and all, at the speed that reads the timing model's reference passage at 155
words a minute, measured here rather than assumed. Then: every hold and rest lasts what it announces within 5%,
from "Go!" or "Rest N seconds" to the final "1." and to the next words; rep counts and side switches too; each
whole response lasts what the model says within 10%; a workout what the builder estimated within 10%.

A sample, not the settings space (tests/test_timing.py covers that with the model): rendering is real time
work. What espeak-ng cannot tell us about Alexa is in lambda/runner_strength/speech/timing.py.
"""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from benchmarks.timing import (
    RenderedResponse,
    calibrate,
    espeak_version,
    for_espeak,
    intervals,
    modelled_workout_seconds,
    render,
    sample_set,
    workout_speech,
)
from runner_strength.device import SPEECH_STARTS_SECONDS
from runner_strength.speech import workout
from runner_strength.speech.phrases import Voice, load_locale
from runner_strength.speech.ssml import MAX_RENDERED_SECONDS, Ssml
from runner_strength.speech.timing import WORDS_PER_MINUTE
from runner_strength.training.builder import Circuit, CircuitRequest, build_circuit
from runner_strength.training.catalog import load_catalog
from runner_strength.training.cursor import Cursor
from runner_strength.training.duration import RUNNER_TURN_SECONDS
from runner_strength.training.record import PACES

CATALOG = load_catalog()
EN = load_locale("en-US")

# (exercise, rest, pace, dose steps): a 30 s hold, a 10 s hold with the shortest rest, a 50 s hold, holds and reps
# per side (side switches), reps at every pace, rests from 10 to 120 s.
ABSOLUTE_SECONDS = 0.6
SAMPLE = [
    ("forearm_plank", 30, "normal", 0),
    ("forearm_plank", 10, "normal", -3),
    ("hollow_hold", 45, "normal", 3),
    ("side_plank", 45, "slower", 0),
    ("single_leg_glute_bridge", 60, "slower", 0),
    ("glute_bridge", 20, "faster", 0),
    ("bird_dog", 120, "normal", -1),
]


@pytest.fixture(scope="module")
def speed() -> int:
    try:
        version = espeak_version()
    except RuntimeError as err:
        pytest.fail(f"{err}: these tests need real audio")
    speed, rate = calibrate()
    print(f"\n{version}: -s {speed} reads the reference passage at {rate:.1f} words a minute")
    assert rate == pytest.approx(WORDS_PER_MINUTE, rel=0.02)
    return speed


def voice(seed: int) -> Voice:
    return Voice(EN, random.Random(seed), {})


def within(measured: float, expected: float, tolerance: float) -> bool:
    return abs(measured - expected) <= tolerance * expected


def check_response(ssml: Ssml, speed: int, label: str) -> list[str]:
    """Every interval and the whole response against what they announce and what the model says; the problems."""
    problems = []
    for found in intervals(ssml, speed):
        what = f"{label}: {found.kind} of {found.announced:.1f} s"
        print(f"{what}: to its last word {found.rendered_to_last:.2f} s (model {found.modelled_to_last:.2f}), "
              f"to the next words {found.rendered_to_next or 0:.2f} s (model {found.modelled_to_next or 0:.2f})")
        # A switch is short, and only the words inside it are not breaks: held to a tenth of a second either way.
        # Otherwise 5%, or 0.6 s where that is more: a 10-second rest is nearly all words ("Rest 10 seconds. Next:
        # forearm plank. 15 seconds."), and the speech model is off by up to half a second over twenty words.
        tolerance = 0.1 if found.kind == "switch" else max(0.05, ABSOLUTE_SECONDS / found.announced)
        # A rest (or the count to get set) lasts to the next set's "Go!": its last words before that may be early.
        if found.kind not in ("rest", "setup") and not within(found.rendered_to_last, found.announced, tolerance):
            problems.append(f"{what} rendered {found.rendered_to_last:.2f} s to its last word")
        if found.rendered_to_next is not None and not within(found.rendered_to_next, found.announced, tolerance):
            problems.append(f"{what} rendered {found.rendered_to_next:.2f} s to the next words")
    rendered = RenderedResponse(ssml, speed).seconds()
    print(f"{label}: response rendered {rendered:.1f} s, modelled {ssml.seconds:.1f} s")
    if not within(rendered, ssml.seconds, 0.10):
        problems.append(f"{label}: response rendered {rendered:.1f} s, modelled {ssml.seconds:.1f} s")
    return problems


def test_every_hold_rest_rep_count_and_switch_lasts_what_it_announces(speed):
    problems = []
    for seed, (exercise_id, rest, pace, steps) in enumerate(SAMPLE):
        ssml = sample_set(CATALOG, voice(seed), exercise_id, rest, PACES[pace], steps)
        problems += check_response(ssml, speed, f"{exercise_id} ({pace} count, {steps:+d} steps, rest {rest} s)")
    assert not problems, "\n".join(problems)


def test_the_warm_up_drills_and_the_count_to_get_set_last_what_they_announce(speed):
    circuit = Circuit(areas=(), warmup=("high_knees", "a_skip", "carioca", "butt_kicks"), exercises=("side_plank",),
                      rounds=1, rest_seconds=30, estimated_seconds=0)
    delivery = workout.deliver(voice(3), CATALOG, Cursor(circuit), workout.Style(), workout.Opening(), "Say go.")
    found = intervals(delivery.ssml)
    assert [i.kind for i in found][:5] == ["hold", "hold", "hold", "hold", "setup"]
    problems = check_response(delivery.ssml, speed, "warm-up and the first set")
    assert not problems, "\n".join(problems)


def test_the_longest_delivery_renders_within_240_seconds(speed):
    """The longest response the settings allow (slowest count, detailed cues, the most reps, the longest rest)."""
    circuit = Circuit(areas=(), warmup=(), exercises=("single_leg_step_calf_raise", "step_down"), rounds=8,
                      rest_seconds=120, estimated_seconds=0)
    style = workout.Style(PACES["slower"], "detailed", {"single_leg_step_calf_raise": 3, "step_down": 3})
    delivery = workout.deliver(voice(5), CATALOG, Cursor(circuit), style, workout.Opening(), "Say go.")
    rendered = RenderedResponse(delivery.ssml, speed).seconds()
    assert rendered <= MAX_RENDERED_SECONDS, f"renders {rendered:.1f} s"
    problems = check_response(delivery.ssml, speed, "the longest delivery")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("request_", "pace", "cues", "seed"), [
    (CircuitRequest(areas=("GLUTE_MEDIUS", "HAMSTRINGS"), minutes=20), "normal", "normal", 3),
    (CircuitRequest(areas=("LOWER_BACK",), rounds=2, pace=PACES["slower"], cues="detailed"), "slower", "detailed", 8),
], ids=["20-minute focus", "core, slower count, detailed cues"])
def test_about_n_minutes_is_what_the_rendered_workout_takes(speed, request_, pace, cues, seed):
    circuit = build_circuit(request_, CATALOG, seed)
    responses = workout_speech(circuit, CATALOG, voice(seed), PACES[pace], cues)
    rendered = sum(RenderedResponse(r, speed).seconds() for r in responses) \
        + (RUNNER_TURN_SECONDS + SPEECH_STARTS_SECONDS) * (len(responses) - 1)
    modelled = modelled_workout_seconds(responses)
    print(f"\nestimated {circuit.estimated_seconds} s, modelled {modelled:.0f} s, rendered {rendered:.0f} s "
          f"({len(responses)} responses)")
    assert within(circuit.estimated_seconds, rendered, 0.10)
    assert within(modelled, rendered, 0.10)


def test_the_silence_detector_agrees_with_sox(speed, tmp_path):
    """The measurements above find speech by its silences; sox, trimming the same file, must find the same."""
    if shutil.which("sox") is None:
        pytest.fail("sox is not installed: run `make audio`")
    ssml = sample_set(CATALOG, voice(1), "side_plank", 30)
    audio = render(ssml.to_ssml(), speed)
    wav = tmp_path / "set.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", str(speed), "-m", "-w", str(wav), for_espeak(ssml.to_ssml())],
                   check=True)
    trimmed = tmp_path / "trimmed.wav"
    # Trim silence (below 0.3% of full scale) from both ends; what is left is first sound to last.
    subprocess.run(["sox", str(wav), str(trimmed), "silence", "1", "0.005", "0.3%", "reverse", "silence", "1",
                    "0.005", "0.3%", "reverse"], check=True)
    sox_seconds = float(subprocess.run(["soxi", "-D", str(trimmed)], capture_output=True, text=True,
                                       check=True).stdout)
    assert audio.sound_end() - audio.sound_start() == pytest.approx(sox_seconds, abs=0.03)
