"""How long a workout takes: the builder's "about N minutes", and what is left of a workout.

Work, rests, side switches and the count to get set last what is announced, and what the coach says about the
next set (its name, how to set up, its dose) is said inside the rest before it (speech/workout.py). Around the work
the coach says little: "Go!" (or "Right side. Go!"), the form cue over the first reps, the counts between them. A
response holds several sets and rests (a delivery) and hands back at the end of a rest; the runner's answer and
the response starting again add a few seconds each time. These averages come from the speech model
(speech/timing.py) over the catalog and the locale's lines, because training/ cannot read what the coach will say;
tests/test_timing.py holds them to the model and whole estimates to within 10% of the modelled workouts.
"""

from __future__ import annotations

from ..device import RUNNER_TURN_SECONDS, SPEECH_STARTS_SECONDS
from .catalog import Exercise

__all__ = ["RUNNER_TURN_SECONDS"]

# From the end of one side's work to the "Go!" for the other, the coach's words included.
SIDE_SWITCH_SECONDS = 5
# To get into position for a set when no rest leads into it (after the warm-up, a skip, a swap, a long break): what
# it is and how to set up, and a count to get set.
SETUP_SECONDS = 15
# What is said as a set starts, in seconds of modelled speech: "Go!", or "Right side. Go!" for a per-side set. The
# cue and the count are said over the work.
GO_SECONDS = 0.3
PER_SIDE_GO_SECONDS = 1.55
# The warm-up: "Warm-up." then per drill its name and dose and "Go!" (its cue is said over its work); the last
# drill's "Done.".
WARMUP_SPEECH_SECONDS = 1.2
DRILL_SPEECH_SECONDS = 2.6
# A response plays about this long before it hands back (at most 220 s: speech/workout.py fills it), and each
# hand-back costs the runner's answer and the next response starting.
DELIVERY_SECONDS = 190.0
HAND_BACK_SECONDS = RUNNER_TURN_SECONDS + SPEECH_STARTS_SECONDS
# The summary at the end: "And that's the workout! You did 10 of 10 sets. Great work today." and a closing line.
FINISH_SECONDS = 7.0


def set_seconds(exercise: Exercise, pace: float = 1.0) -> float:
    """One set of one exercise, both sides when it is per side, without the rest before or after it: its "Go!"
    and the work, reps at the counting `pace` (a multiple of the tempo)."""
    work = exercise.work_seconds_per_side * (pace if exercise.reps is not None else 1.0)
    if exercise.per_side:
        return PER_SIDE_GO_SECONDS + work * 2 + SIDE_SWITCH_SECONDS
    return GO_SECONDS + work


def warmup_seconds(drills: tuple[Exercise, ...]) -> float:
    """The warm-up and the count to get set for the first set; drills are holds, paced by the clock."""
    if not drills:
        return 0.0
    drills_seconds = sum(DRILL_SPEECH_SECONDS + d.work_seconds_per_side * d.sides for d in drills)
    return WARMUP_SPEECH_SECONDS + drills_seconds + SETUP_SECONDS


def round_seconds(exercises: tuple[Exercise, ...], pace: float = 1.0) -> float:
    """One round: every set, without rests."""
    return sum(set_seconds(e, pace) for e in exercises)


def with_hand_backs(seconds: float) -> float:
    """A stretch of workout with the hand-backs it takes: one every response's worth."""
    return seconds * (1 + HAND_BACK_SECONDS / DELIVERY_SECONDS)


def total_seconds(warmup: float, per_round: float, sets_per_round: int, rounds: int, rest_seconds: int) -> float:
    """The whole workout from its parts: a rest before every set but the first (the warm-up's count to get set
    leads into that one), the hand-backs, and the summary."""
    rests = max(sets_per_round * rounds - 1, 0)
    return with_hand_backs(warmup + per_round * rounds + rest_seconds * rests) + FINISH_SECONDS


def workout_seconds(drills: tuple[Exercise, ...], exercises: tuple[Exercise, ...], rounds: int,
                    rest_seconds: int, pace: float = 1.0) -> float:
    """The whole workout: warm-up, every set, a rest between sets, the hand-backs and the summary."""
    return total_seconds(warmup_seconds(drills), round_seconds(exercises, pace), len(exercises), rounds,
                         rest_seconds)
