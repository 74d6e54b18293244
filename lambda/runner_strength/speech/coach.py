"""What the coach says about a circuit and each block of it, as SSML.

One block per response: the warm-up, or one set (both sides, counted, then the rest). Each ends by handing
the turn back with what is next; the handler adds the prompt and reprompt.

The clock is true: every hold, rest, rep count and side switch lasts what it announces, because its pauses are
cut by the time its own words take (speech/timing.py) on the response's clock (`Ssml.seconds`). Each interval is
marked on the response's timeline with what it announces, for whoever needs to know where the runner is.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..training.builder import Circuit, Note
from ..training.catalog import Catalog, Exercise
from ..training.cursor import Cursor, Remaining, Step
from ..training.timing import SIDE_SWITCH_SECONDS
from .phrases import Voice
from .ssml import MAX_RENDERED_SECONDS, SpeechLimitError, Ssml
from .timing import speech_seconds

FINAL_COUNT = 3
# The final "1." ends this long before the time is up, and the next words start on time: both land within a few
# percent of what was announced, even for a ten-second hold.
FINAL_BEAT = 0.25
SWITCH_BEAT = 0.5
# A set too long for one response is cut into parts of at most this long, leaving room in each response for the
# hand-back (what is next, the prompt) and a one-off line such as the storage notice.
SPLIT_SECONDS = MAX_RENDERED_SECONDS - 20


def count_reps(ssml: Ssml, reps: int, tempo: float) -> None:
    """Count every rep aloud at the exercise's tempo, each number said as its rep ends: the count lasts
    `reps * tempo` from the end of the words before it to the end of the last number."""
    start = ssml.seconds
    for rep in range(1, reps + 1):
        number = f"{rep}."
        ssml.pause(start + rep * tempo - speech_seconds(number) - ssml.seconds)
        ssml.say(number)


def count_down(ssml: Ssml, voice: Voice, seconds: int) -> None:
    """Silence with spoken marks, lasting `seconds` from the end of the words before it to the next words.

    A mark ("20 seconds") starts as that many seconds are left; "3, 2, 1" end on the last seconds, "1" a beat
    before the time is up. The marks' own speech comes out of the silence, so the clock is true."""
    start = ssml.seconds
    for left in range((seconds - 1) // 10 * 10, FINAL_COUNT, -10):
        ssml.pause(start + seconds - left - ssml.seconds)
        ssml.say(voice.line("seconds_left", seconds=left))
    for number in range(min(FINAL_COUNT, seconds), 0, -1):
        ends = start + seconds - (number - 1) - FINAL_BEAT
        ssml.pause(ends - speech_seconds(f"{number}.") - ssml.seconds)
        ssml.say(f"{number}.")
    ssml.pause(start + seconds - ssml.seconds)


def side_switch(ssml: Ssml, voice: Voice) -> None:
    """From the end of the first side's work to the "Go!" for the second: `SIDE_SWITCH_SECONDS`, words included."""
    ssml.mark("switch", SIDE_SWITCH_SECONDS)
    start = ssml.seconds
    # A beat first, so "Switch sides" is not run on from the last rep: a break's length is exact, the pause a
    # sentence end makes is not.
    ssml.pause(SWITCH_BEAT)
    ssml.say(voice.line("side.switch"))
    second = voice.line("side.second")
    ssml.pause(start + SIDE_SWITCH_SECONDS - speech_seconds(second) - ssml.seconds)
    ssml.say(second)


def minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))


_NOTE_UNITS = {"rounds_raised": "rounds", "rounds_lowered": "rounds", "minutes_raised": "minutes",
               "minutes_lowered": "minutes", "time_missed": "minutes", "too_many_areas": "areas"}


def note_line(voice: Voice, note: Note) -> str:
    if isinstance(note.value, str):
        value = voice.area(note.value)
    else:
        value = voice.amount(_NOTE_UNITS[note.code], int(note.value or 0))
    return voice.line(f"note.{note.code}", value=value)


def exercise_names(voice: Voice, ids: tuple[str, ...]) -> str:
    return voice.listing([voice.exercise(i).name for i in dict.fromkeys(ids)])


def circuit_intro(voice: Voice, circuit: Circuit) -> Ssml:
    ssml = Ssml()
    params = dict(exercises=exercise_names(voice, circuit.exercises),
                  rounds=voice.amount("rounds", circuit.rounds),
                  minutes=voice.amount("minutes", minutes(circuit.estimated_seconds)))
    if not circuit.focus:
        ssml.say(voice.line("intro.full", **params))
    else:
        areas = voice.listing([voice.area(a) for a in circuit.areas])
        ssml.say(voice.line("intro.focus", areas=areas, **params))
    for note in circuit.notes:
        ssml.say(note_line(voice, note))
    if circuit.warmup:
        ssml.say(voice.line("intro.warmup", drills=exercise_names(voice, circuit.warmup)))
    return ssml


def dose(voice: Voice, exercise: Exercise) -> str:
    kind = "hold" if exercise.is_hold else "reps"
    side = "_per_side" if exercise.per_side else ""
    return voice.line(f"dose.{kind}{side}", reps=exercise.reps, seconds=exercise.seconds)


def _work(ssml: Ssml, voice: Voice, exercise: Exercise, pace: float = 1.0) -> None:
    if exercise.seconds is not None:
        ssml.mark("hold", exercise.seconds)
        count_down(ssml, voice, exercise.seconds)
    else:
        assert exercise.reps is not None
        ssml.mark("reps", exercise.reps * exercise.tempo * pace)
        count_reps(ssml, exercise.reps, exercise.tempo * pace)


def _cue(voice: Voice, exercise_id: str, step: Step, cues: str) -> str:
    """Brief: the cue on the first round only. Detailed: the cue, plus the how-to's opening on round one."""
    text = voice.exercise(exercise_id)
    if cues == "brief" and step.round > 1:
        return ""
    if cues == "detailed" and step.round == 1:
        return f"{text.how_to.split('. ')[0].rstrip('.')}. {text.cue}"
    return text.cue


def warmup_block(voice: Voice, catalog: Catalog, circuit: Circuit) -> Ssml:
    ssml = Ssml().say(voice.line("warmup.start"))
    for drill_id in circuit.warmup:
        drill = catalog[drill_id]
        text = voice.exercise(drill_id)
        ssml.say(voice.line("warmup.drill", name=text.name, dose=dose(voice, drill))).say(text.cue)
        ssml.say(voice.line("go"))
        _work(ssml, voice, drill)
        ssml.say(voice.line("done"))
    return ssml


def _set(voice: Voice, catalog: Catalog, circuit: Circuit, step: Step, last: bool, pace: float, cues: str,
         dose_steps: Mapping[str, int] | None) -> tuple[Ssml, list[int]]:
    """A set's speech, and where it may be cut: between the sides, and before the rest."""
    exercise_id = step.exercise
    exercise = catalog[exercise_id].with_dose_steps((dose_steps or {}).get(exercise_id, 0))
    text = voice.exercise(exercise_id)
    ssml = Ssml().say(voice.line(
        "set.header", number=step.index + 1, count=step.count, round=step.round,
        rounds=circuit.rounds, name=text.name, area=voice.area(exercise.area),
    ))
    ssml.say(dose(voice, exercise)).say(_cue(voice, exercise_id, step, cues))
    cuts = []
    if exercise.per_side:
        ssml.say(voice.line("side.first"))
        _work(ssml, voice, exercise, pace)
        cuts.append(len(ssml.timeline))
        side_switch(ssml, voice)
    else:
        ssml.say(voice.line("go"))
    _work(ssml, voice, exercise, pace)
    ssml.say(voice.line("encourage"))
    if not last:
        cuts.append(len(ssml.timeline))
        ssml.say(voice.line("rest", seconds=circuit.rest_seconds))
        ssml.mark("rest", circuit.rest_seconds)
        count_down(ssml, voice, circuit.rest_seconds)
    return ssml, cuts


def set_block(voice: Voice, catalog: Catalog, circuit: Circuit, step: Step, last: bool, pace: float = 1.0,
              cues: str = "normal", dose_steps: Mapping[str, int] | None = None) -> Ssml:
    """One set: what, how much, the cue, the counted work (side by side), then the rest unless it is the last.

    `pace` scales the counting tempo; `cues` is brief, normal or detailed."""
    return _set(voice, catalog, circuit, step, last, pace, cues, dose_steps)[0]


def set_parts(voice: Voice, catalog: Catalog, circuit: Circuit, step: Step, last: bool, pace: float = 1.0,
              cues: str = "normal", dose_steps: Mapping[str, int] | None = None,
              limit: float = SPLIT_SECONDS) -> list[Ssml]:
    """The set of `set_block` as one response when it fits in `limit` seconds, else cut into as few parts as fit:
    first before the rest, then also between the sides. Each part is a response of its own, handed back to the
    runner in between; joined, the parts say what `set_block` says (with the same voice state).

    Raises SpeechLimitError when even the finest cut leaves a part over `limit`."""
    ssml, cuts = _set(voice, catalog, circuit, step, last, pace, cues, dose_steps)
    rest_cut = cuts[-1:] if not last else []
    for at in ([], rest_cut, cuts):
        parts = ssml.split(at)
        if all(part.seconds <= limit for part in parts):
            return parts
    longest = max(part.seconds for part in ssml.split(cuts))
    raise SpeechLimitError(f"a part of {step.exercise}'s set would run {longest:.0f}s, over {limit:.0f}s")


def block(voice: Voice, catalog: Catalog, cursor: Cursor, step: Step, pace: float = 1.0,
          cues: str = "normal", dose_steps: Mapping[str, int] | None = None) -> Ssml:
    """The speech for a step; `cursor` is the workout after the step was done."""
    if step.is_set:
        return set_block(voice, catalog, cursor.circuit, step, last=cursor.finished, pace=pace, cues=cues,
                         dose_steps=dose_steps)
    return warmup_block(voice, catalog, cursor.circuit)


def next_up(voice: Voice, cursor: Cursor) -> str:
    """Names the upcoming block, for the end of a block and for prompts."""
    step = cursor.upcoming
    if step is None:
        return ""
    if not step.is_set:
        return voice.line("next.warmup")
    name = voice.exercise(step.exercise).name
    if step.round > 1 and step.index == 0:
        return voice.line("next.round", round=step.round, rounds=cursor.circuit.rounds, name=name)
    return voice.line("next.set", name=name)


def remaining(voice: Voice, left: Remaining, cursor: Cursor) -> str:
    if left.sets == 0:
        return voice.line("left.none")
    return voice.line(
        "left.some", sets=voice.amount("sets", left.sets), exercises=voice.amount("exercises", left.exercises),
        minutes=voice.amount("minutes", minutes(left.seconds)), done=cursor.sets_done,
        total=cursor.total_sets,
    )
