"""How long a workout takes: the builder's "about N minutes", and what is left of a workout.

Work, rests and side switches last what is announced: the coach takes its own words out of the silences
(speech/coach.py). Around them the coach talks (the exercise, its dose and cue, what is next, the prompt) and the
runner answers. The talk is averaged here from the speech model (speech/timing.py) over the catalog and the
locale's lines, because training/ cannot read what the coach will say; tests/test_timing.py holds whole
estimates to within 10% of the modelled workouts, and checks these averages against the model.
"""

from __future__ import annotations

from ..device import RUNNER_TURN_SECONDS as _RUNNER_TURN
from .catalog import Exercise

# From the end of one side's work to the "Go!" for the other, the coach's words included.
SIDE_SWITCH_SECONDS = 5
# The runner's own turn: from the end of Alexa's prompt to the first word of the next response. About a second
# to react and say "next", a second for Alexa to hear that they have finished, and a second for the skill's answer
# to start playing. An assumption, not a measurement: a device would tell.
RUNNER_TURN_SECONDS = _RUNNER_TURN  # its value is in device.json

# What the coach says, in seconds of modelled speech (averages over the catalog and the lines' variants).
# A set: "Exercise 1 of 5, round 1 of 2: name, for your area. 12 reps. <cue> Go!" and "Nice work." after it.
SET_SPEECH_SECONDS = 14.6
# A per-side set says "Right side first. Go!" instead of "Go!"; the switch's words are inside its five seconds.
PER_SIDE_SPEECH_SECONDS = 2.0
# The cue alone: brief cues drop it after round one.
CUE_SECONDS = 4.7
# Detailed cues add the opening of the how-to in round one.
HOW_TO_SECONDS = 6.3
# "Rest 30 seconds." before a rest's count-down.
REST_SPEECH_SECONDS = 2.7
# A rest leads into the next set: that set's header, dose, cue and "Go!" are said inside it (speech/coach.py),
# so a set after a rest adds only its closing word to the rest's time.
LEAD_IN_SECONDS = 13.6
# The end of every block but the last: "Next up: name. Say next when you're set, or ask me to explain it."
HAND_BACK_SECONDS = 5.2
# The warm-up: "Warm-up. Let's get the legs moving.", then per drill its name, dose and cue, "Go!" and "Done."
WARMUP_SPEECH_SECONDS = 0.6
DRILL_SPEECH_SECONDS = 7.7
# Around every block: the hand-back that ends it and the runner's answer that starts the next.
TURN_SECONDS = RUNNER_TURN_SECONDS + HAND_BACK_SECONDS


def set_seconds(exercise: Exercise, pace: float = 1.0, cues: str = "normal", first_round: bool = True) -> float:
    """One set of one exercise, both sides when it is per side, without the rest after it: what the coach says
    and the work, reps at the counting `pace` (a multiple of the tempo)."""
    speech = SET_SPEECH_SECONDS
    if cues == "brief" and not first_round:
        speech -= CUE_SECONDS
    elif cues == "detailed" and first_round:
        speech += HOW_TO_SECONDS
    work = exercise.work_seconds_per_side * (pace if exercise.reps is not None else 1.0)
    if exercise.per_side:
        return speech + PER_SIDE_SPEECH_SECONDS + work * 2 + SIDE_SWITCH_SECONDS
    return speech + work


def warmup_seconds(drills: tuple[Exercise, ...]) -> float:
    """The warm-up block with the turn that starts it and its hand-back; drills are holds, paced by the clock."""
    if not drills:
        return 0.0
    drills_seconds = sum(DRILL_SPEECH_SECONDS + d.work_seconds_per_side * d.sides for d in drills)
    return TURN_SECONDS + WARMUP_SPEECH_SECONDS + drills_seconds


def round_seconds(exercises: tuple[Exercise, ...], pace: float = 1.0, cues: str = "normal",
                  first_round: bool = True) -> float:
    """One round: every set with the turn around it, without rests."""
    return sum(set_seconds(e, pace, cues, first_round) + TURN_SECONDS for e in exercises)


def rest_seconds_spoken(rest_seconds: int) -> float:
    """One rest as the runner hears it, less the next set's lead-in, which is said inside it (the set's own
    speech counts it): the announcement, then the rest."""
    return REST_SPEECH_SECONDS + rest_seconds - LEAD_IN_SECONDS


def total_seconds(warmup: float, per_round: float, sets_per_round: int, rounds: int, rest_seconds: int,
                  later_rounds: float | None = None) -> float:
    """The whole workout from its parts: a rest after every set but the last. `later_rounds` is a round after
    the first, when the cue style makes it shorter or longer than `per_round`."""
    later = per_round if later_rounds is None else later_rounds
    rests = max(sets_per_round * rounds - 1, 0)
    return warmup + per_round + later * max(rounds - 1, 0) + rest_seconds_spoken(rest_seconds) * rests


def workout_seconds(drills: tuple[Exercise, ...], exercises: tuple[Exercise, ...], rounds: int,
                    rest_seconds: int, pace: float = 1.0, cues: str = "normal") -> float:
    """The whole workout: warm-up, every set with its turn, and a rest after every set but the last."""
    return total_seconds(warmup_seconds(drills), round_seconds(exercises, pace, cues, True), len(exercises),
                         rounds, rest_seconds, round_seconds(exercises, pace, cues, False))
