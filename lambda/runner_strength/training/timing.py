"""How long things take. The builder estimates with these and the guide paces its speech with them."""

from __future__ import annotations

from .catalog import Exercise

SIDE_SWITCH_SECONDS = 5
# Saying the exercise, its dose and cue before the count starts.
SET_INTRO_SECONDS = 12
DRILL_INTRO_SECONDS = 4
# The runner answering "next" and Alexa starting the next block.
TURN_SECONDS = 6


def set_seconds(exercise: Exercise) -> float:
    """One set of one exercise, both sides when it is per side, without the rest after it."""
    switch = SIDE_SWITCH_SECONDS if exercise.per_side else 0
    return SET_INTRO_SECONDS + exercise.work_seconds_per_side * exercise.sides + switch


def warmup_seconds(drills: tuple[Exercise, ...]) -> float:
    if not drills:
        return 0.0
    return TURN_SECONDS + sum(DRILL_INTRO_SECONDS + d.work_seconds_per_side * d.sides for d in drills)


def workout_seconds(drills: tuple[Exercise, ...], exercises: tuple[Exercise, ...], rounds: int,
                    rest_seconds: int) -> float:
    """The whole workout: warm-up, every set with its turn, and a rest after every set but the last."""
    per_round = sum(set_seconds(e) + TURN_SECONDS for e in exercises)
    sets = len(exercises) * rounds
    return warmup_seconds(drills) + per_round * rounds + rest_seconds * max(sets - 1, 0)
