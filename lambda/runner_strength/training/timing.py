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


def round_seconds(exercises: tuple[Exercise, ...]) -> float:
    """One round: every set with the turn that starts it, without rests."""
    return sum(set_seconds(e) + TURN_SECONDS for e in exercises)


def total_seconds(warmup: float, per_round: float, sets_per_round: int, rounds: int, rest_seconds: int) -> float:
    """The whole workout from its parts: a rest after every set but the last."""
    return warmup + per_round * rounds + rest_seconds * max(sets_per_round * rounds - 1, 0)


def workout_seconds(drills: tuple[Exercise, ...], exercises: tuple[Exercise, ...], rounds: int,
                    rest_seconds: int) -> float:
    """The whole workout: warm-up, every set with its turn, and a rest after every set but the last."""
    return total_seconds(warmup_seconds(drills), round_seconds(exercises), len(exercises), rounds, rest_seconds)
