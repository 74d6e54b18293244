"""A move done per side starts on the right: the coach says "Right side. Go!", then "Left", so an exercise's words
name the right side working first and then the switch to the left, and no set-up or cue names the left first.

"Right side" is the side doing the work: the standing leg, the leg pushing or planted, the front leg of a lunge, the
top leg lying on your side, the forearm under a side plank; an alternating move starts with the right arm."""

import re

from runner_strength.speech.phrases import load_locale
from runner_strength.training.catalog import load_catalog

CATALOG = load_catalog()
EN = load_locale("en-US").exercises
PER_SIDE = sorted(e.id for e in CATALOG.exercises.values() if e.per_side)

# For each per-side exercise whose how-to names a side: the words that show the right side working first. A new
# per-side exercise that names a side must be added here.
RIGHT_FIRST = {
    "single_leg_deadlift": "stand on your right leg",
    "dumbbell_single_leg_deadlift": "stand on your right leg",
    "single_leg_ball_curl": "so your right heel does the work",
    "single_leg_glute_bridge": "push through your right heel",
    "banded_single_leg_bridge": "press through your right heel",
    "clamshell": "lie on your left side, right leg on top",
    "side_lying_leg_raise": "your right leg straight on top",
    "side_plank_leg_raise": "on your left forearm, right leg on top",
    "banded_lateral_walk": "step sideways with your right foot",
    "hip_hike": "with your right foot on it",
    "curtsy_lunge": "keep your right foot planted",
    "hip_airplane": "stand on your right leg",
    "bird_dog": "extend your right arm and left leg",
    "dead_bug": "lower your right arm overhead and your left leg",
    "side_plank": "lie on your right side",
    "single_leg_balance": "stand on your right foot",
    "single_leg_clock_reach": "stand on your right leg",
    "single_leg_calf_raise": "stand on your right foot",
    "single_leg_step_calf_raise": "on your right foot",
    "step_up": "place your right foot fully on it",
    "step_down": "stand on a step on your right leg",
    "skater_squat": "stand on your right leg",
    "dumbbell_reverse_lunge": "keeping your right foot planted",
    "tandem_stance_hold": "stand with your right foot in front",
    "single_leg_mini_squat": "stand on your right leg",
    "hop_and_stick": "stand on your right foot",
}

SIDE = re.compile(r"\b(left|right)\b")
# A switch to the left, within one sentence: "then switch to the left leg", "turn over so your left leg is on top".
SWITCH_TO_LEFT = re.compile(r"\b(switch|swap|turn over|other)\b[^.!?]*\bleft\b")


def how_to(exercise_id: str) -> str:
    return EN[exercise_id].how_to.lower()


def test_every_per_side_exercise_that_names_a_side_says_how_it_starts_on_the_right():
    naming = {i for i in PER_SIDE if SIDE.search(how_to(i))}
    assert naming == set(RIGHT_FIRST)


def test_the_right_side_works_first():
    for exercise_id, phrase in RIGHT_FIRST.items():
        text = how_to(exercise_id)
        assert phrase in text, exercise_id
        switch = SWITCH_TO_LEFT.search(text, text.index(phrase))
        assert switch, f"{exercise_id}: no switch to the left after {phrase!r}"


def test_every_how_to_naming_a_side_switches_to_the_left_after_the_right():
    for exercise_id in RIGHT_FIRST:
        text = how_to(exercise_id)
        assert SWITCH_TO_LEFT.search(text, text.index("right")), exercise_id


def test_no_setup_or_cue_names_the_left_before_the_right():
    for exercise_id, words in EN.items():
        for part in (words.setup, words.cue):
            sides = SIDE.findall(part.lower())
            assert not sides or sides[0] == "right", (exercise_id, part)
