"""What the coach says while the runner works, as SSML: the warm-up, every set counted, the rests between them,
and where a response hands the turn back.

**A delivery is one response's worth of workout.** A set, the rest after it and the next set's set-up belong
together, so a response runs from its opening through as many sets and rests as fit within Alexa's limits, and
ends at the end of a rest, when the runner is rested and in position and "go" is easy to say (or with the last
set). Its opening is one of: the warm-up (which leads into the first set with a short count to get set), `go`
(the rest before the first set was heard in the last response: the dose, then "Go!"), `setup` (what is next and
how to get into position, then the count to get set: after a skip, a swap, going back, coming back after a
while), `rest` (a whole rest first: the runner ended a set early), `resume` (inside the first step, from where a
request cut into it) or `warm_up` (the warm-up again before the first step: back after hours).

**Talk is kept short.** The rest is announced once ("Rest 30 seconds. Next: bridge walkout."), with how to set up
the first time an exercise comes up; the form cue is said as the work starts, over its first reps or seconds,
the first time (`normal` cues), every time (`detailed`) or never (`brief`, which also leaves out what an
exercise is for); counts are every rep's number as the rep ends, and a few marks in holds and rests.

**The clock is true:** every hold, rest, rep count and side switch lasts what it announces, because its pauses
are cut by the time its own words take (speech/timing.py) on the response's clock (`Ssml.seconds`). Each
interval is marked on the response's timeline with what it announces and the step it belongs to (a rest
belongs to the step it leads into), for whoever needs to know where the runner is when a request cuts in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..device import RUNNER_TURN_SECONDS, SPEECH_STARTS_SECONDS
from ..training.catalog import Catalog, Exercise
from ..training.cursor import Cursor, Step
from ..training.duration import SETUP_SECONDS, SIDE_SWITCH_SECONDS
from .coach import dose
from .phrases import Voice
from .ssml import MARK, MAX_RENDERED_SECONDS, SPEECH, SpeechLimitError, Ssml
from .timing import pause_after, speech_seconds

FINAL_COUNT = 3
# The final "1." ends this long before the time is up, and the next words start on time: both land within a few
# percent of what was announced, even for a ten-second hold.
FINAL_BEAT = 0.25
SWITCH_BEAT = 0.5
# A cue said as the work starts comes a beat after its "Go!", as a sentence of its own; a hold shorter than this
# has its cue said in the rest before it (cue_in_rest).
CUE_BEAT = 0.3
CUE_OVER_HOLDS_FROM = 25
# Spoken marks in a hold or a rest ("30 seconds", "10 seconds"), each said only when at least this much came
# before it: more would be talk a runner need not hear. A hold ends "3, 2, 1"; a rest of 30 seconds or less has no
# mark (what is next, and "Go!", say enough).
MARKS = (90, 60, 30, 10)
MARK_AFTER = 15
# A rest of 30 seconds or more is at most this much talk: what is next, how to set up, the dose.
REST_TALK = 0.3
# A rest this long may be split between two responses (the first hands back part-way into it), each with at least
# PARTIAL_REST_MIN seconds of it: a response then holds a set with its long rest rather than stopping short.
PARTIAL_REST_FROM = 45
PARTIAL_REST_MIN = 20
# A response holds at most this much workout, leaving room for a one-off line (the storage notice) and the
# finish's summary.
SPLIT_SECONDS = MAX_RENDERED_SECONDS - 20

GO, SETUP, REST_FIRST, RESUME, WARM_UP = "go", "setup", "rest", "resume", "warm_up"
REST, SETUP_MARK, HOLD, REPS, SWITCH = "rest", "setup", "hold", "reps", "switch"


@dataclass(frozen=True)
class Style:
    """How the coach counts and cues: the counting pace (a multiple of each exercise's tempo), the cue style, and
    how far each exercise's dose is moved today."""

    pace: float = 1.0
    cues: str = "normal"
    doses: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Opening:
    """How a delivery begins (see the module's docstring); `lead` is said first. For `resume`, `place` says where
    in the first step: its kind (rest, setup, hold, reps, switch), which of the step's marked intervals, and how
    far into it."""

    kind: str = GO
    lead: str = ""
    place: Mapping[str, Any] | None = None


@dataclass
class Delivery:
    """One response's worth of workout: its speech, the steps whose work it holds to the end, and the step its
    closing rest leads into (None when it ends the workout, or ends inside a step too long for one response:
    `part`). `resumed`: the first step, which of its intervals the delivery's first one is, and how many seconds of
    it were done before (a delivery that resumes a step part-way)."""

    ssml: Ssml
    steps: tuple[int, ...]
    next: int | None
    part: tuple[int, int] | None = None  # the step spoken in parts, and which of its intervals the next part opens
    resumed: tuple[int, int, float] | None = None
    rest_left: tuple[int, int, float] | None = None  # a rest it ends part-way into: its step, length, seconds heard


# Counting ----------------------------------------------------------------------------------------------------

def count_reps(ssml: Ssml, reps: int, tempo: float, first: int = 1, cue: str = "") -> None:
    """Count every rep aloud at the exercise's tempo, each number said as its rep ends: the count lasts
    `(reps - first + 1) * tempo` from the end of the words before it to the end of the last number. A `cue` is
    said as the count starts, and the numbers it would talk over are left unsaid (the reps still take their
    time): "Go! Keep your hips level. 3. 4. ..."."""
    start = ssml.seconds
    last_at = start + (reps - first + 1) * tempo - speech_seconds(f"{reps}.")
    if cue and start + CUE_BEAT + speech_seconds(cue) + SWITCH_BEAT <= last_at:  # one holding up the count is left out
        ssml.pause(CUE_BEAT).say(cue)
    for rep in range(first, reps + 1):
        number = f"{rep}."
        at = start + (rep - first + 1) * tempo - speech_seconds(number)
        if at < ssml.seconds + SWITCH_BEAT and rep < reps:
            continue  # said over by the cue
        ssml.pause(at - ssml.seconds)
        ssml.say(number)


def count_down(ssml: Ssml, voice: Voice, seconds: int, cue: str = "") -> None:
    """Silence with spoken marks, lasting `seconds` from the end of the words before it to the next words.

    A mark ("10 seconds") starts as that many seconds are left; "3, 2, 1" end on the last seconds, "1" a beat
    before the time is up. The marks' own speech comes out of the silence, so the clock is true. A `cue` is said
    first, and the marks it would talk over are left out."""
    start = ssml.seconds
    if cue and CUE_BEAT + speech_seconds(cue) + SWITCH_BEAT <= seconds - FINAL_COUNT - speech_seconds("3."):
        ssml.pause(CUE_BEAT).say(cue)
    for left in MARKS:
        at = start + seconds - left
        if seconds - left >= MARK_AFTER and at >= ssml.seconds + SWITCH_BEAT:
            ssml.pause(at - ssml.seconds)
            ssml.say(voice.line("seconds_left", seconds=left))
    for number in range(min(FINAL_COUNT, seconds), 0, -1):
        ends = start + seconds - (number - 1) - FINAL_BEAT
        at = ends - speech_seconds(f"{number}.")
        if at >= ssml.seconds:
            ssml.pause(at - ssml.seconds)
            ssml.say(f"{number}.")
    ssml.pause(start + seconds - ssml.seconds)


def side_switch(ssml: Ssml, voice: Voice, step: int = -1) -> None:
    """From the end of the first side's work to the "Go!" for the second: `SIDE_SWITCH_SECONDS`, words included."""
    ssml.mark(SWITCH, SIDE_SWITCH_SECONDS, step)
    start = ssml.seconds
    # A beat first, so "Switch sides" is not run on from the last rep: a break's length is exact, the pause a
    # sentence end makes is not.
    ssml.pause(SWITCH_BEAT)
    ssml.say(voice.line("side.switch"))
    second = voice.line("side.second")
    ssml.pause(start + SIDE_SWITCH_SECONDS - speech_seconds(second) - ssml.seconds)
    ssml.say(second)


def interval(ssml: Ssml, voice: Voice, exercise: Exercise, pace: float = 1.0, step: int = -1,
             cue: str = "") -> None:
    """One side's work, marked and counted: a hold counted down, or every rep counted at the tempo."""
    if exercise.seconds is not None:
        ssml.mark(HOLD, exercise.seconds, step)
        count_down(ssml, voice, exercise.seconds, cue)
    else:
        assert exercise.reps is not None
        ssml.mark(REPS, exercise.reps * exercise.tempo * pace, step)
        count_reps(ssml, exercise.reps, exercise.tempo * pace, cue=cue)


# The words around the work ---------------------------------------------------------------------------------

def setup(voice: Voice, exercise_id: str) -> str:
    """How to get into position, in a few words."""
    return voice.exercise(exercise_id).setup


def first_time(cursor: Cursor, index: int) -> bool:
    """Whether the set at `index` is its exercise's first in the workout (set-up and cue are said then)."""
    exercise = cursor.steps[index].exercise
    return not any(s.is_set and s.exercise == exercise for s in cursor.steps[:index])


def cue_for(voice: Voice, cursor: Cursor, index: int, style: Style) -> str:
    """The form cue for a set: its first time in `normal`, always in `detailed`, never in `brief`."""
    if style.cues == "brief" or (style.cues == "normal" and not first_time(cursor, index)):
        return ""
    return voice.exercise(cursor.steps[index].exercise).cue


def cue_in_rest(exercise: Exercise) -> bool:
    """Whether a set's cue (at today's dose) is said in the rest before it rather than over its work: a hold too
    short for the error in how long the cue takes to say (a few tenths of a second) to stay well inside its 5%."""
    return exercise.seconds is not None and exercise.seconds < CUE_OVER_HOLDS_FROM


def announce(voice: Voice, catalog: Catalog, cursor: Cursor, index: int, style: Style, *, full: bool = False,
             first: bool = False) -> list[str]:
    """What is next, fullest first: the name, with what it is for and how to set up the first time it comes up
    (`full`: every time; `first`: "first up", after the warm-up), or the round at a round's start; then shorter
    ways to say it, for when time is short."""
    step = cursor.steps[index]
    name = voice.exercise(step.exercise).name
    short = voice.line("next.again", name=name)
    if style.cues == "brief":
        # Brief: the name only (the runner knows the moves; "how do I do this" says the rest).
        return [voice.line("setup.first", name=name) if first else short, short]
    if first or full or first_time(cursor, index):
        # What it is for, where there is time for it: after the warm-up, or in a count to get set; a rest is kept
        # to the name and how to set up.
        area = voice.area(catalog[step.exercise].area)
        lead = voice.line("setup.first_area", name=name, area=area) if first \
            else voice.line("next.first", name=name, area=area) if full else short
        said = f"{lead} {setup(voice, step.exercise)}"
        cue = cue_for(voice, cursor, index, style) if cue_in_rest(_exercise(catalog, step, style)) else ""
        return [f"{said} {cue}", said, lead, short] if cue else [said, lead, short]
    if step.round > 1 and step.index == 0:
        return [voice.line("next.round", round=step.round, rounds=cursor.circuit.rounds, name=name), short]
    return [short]


def _exercise(catalog: Catalog, step: Step, style: Style) -> Exercise:
    return catalog[step.exercise].with_dose_steps(style.doses.get(step.exercise, 0))


def rest_into(ssml: Ssml, voice: Voice, catalog: Catalog, cursor: Cursor, index: int, style: Style, seconds: int, *,
              kind: str = REST, closer: str = "", full: bool = False, first: bool = False,
              ends_after: float | None = None) -> bool:
    """The rest (or, as `setup`, the count to get set) that leads into the set at `index`, lasting `seconds`
    from here: announced once with what is next, a few spoken marks, and the set's dose so that its "Go!" comes
    as the time is up. With a `closer`, the response ends in it instead: the closer is said where the runner's
    "go" and the next response's dose bring the "Go!" on time.

    The fullest announcement that fits is said, and a rest of 30 seconds or more is kept to at most REST_TALK of
    words (how to set up the first time, the dose when there is room for it). Whether the announced time holds (a
    short rest may not fit even the name). `ends_after`: the response ends that far into the rest, with the
    closer, and the next picks up the rest there (a rest too long to fit whole)."""
    amount = lead_in(voice, catalog, cursor, index, style) if ends_after is None else ""
    opening = "" if kind != REST else voice.line("rest", seconds=seconds) if first_rest(cursor, index) \
        else voice.line("rest.again")
    ssml.mark(kind, seconds, index)
    start = ssml.seconds
    ssml.say(opening)
    budget = REST_TALK * seconds if kind == REST and seconds >= 30 else float(seconds)
    # After the last words of the rest: the closer, the runner's "go" and the next response starting, when it ends
    # the response; then the dose, which runs on into the set's "Go!" (it ends that sentence's pause early).
    handing_back = speech_seconds(closer) + RUNNER_TURN_SECONDS + SPEECH_STARTS_SECONDS if closer else 0.0
    window = seconds
    if ends_after is not None:
        # The rest goes on after the response: it ends with the closer, said as the window is up.
        window, handing_back = ends_after, speech_seconds(closer)
    options = announce(voice, catalog, cursor, index, style, full=full, first=first)
    essential = next((o for o in options if o.endswith(setup(voice, cursor.steps[index].exercise))), None)
    said, amount = _fullest(ssml, start, window, budget, speech_seconds(opening), options, amount, handing_back,
                            essential, runner_waits=bool(closer))
    ssml.say(said)
    talk = speech_seconds(opening) + speech_seconds(said) + speech_seconds(amount)
    go_at = start + window - handing_back - (speech_seconds(amount) + pause_after(amount) if amount else 0.0)
    for left in MARKS if seconds > 30 else ():
        at, mark = start + seconds - left, voice.line("seconds_left", seconds=left)
        if seconds - left >= MARK_AFTER and at >= ssml.seconds + SWITCH_BEAT \
                and at + speech_seconds(mark) + SWITCH_BEAT <= go_at and talk + speech_seconds(mark) <= budget:
            ssml.pause(at - ssml.seconds)
            ssml.say(mark)
            talk += speech_seconds(mark)
    ssml.pause(go_at - ssml.seconds)
    ssml.say(closer or amount)
    return ssml.seconds <= start + window + 0.05 or bool(closer)


def _fullest(ssml: Ssml, start: float, seconds: float, budget: float, said: float, options: list[str], amount: str,
             handing_back: float, essential: str | None, runner_waits: bool = False) -> tuple[str, str]:
    """The fullest announcement that fits, with the dose (the first time), in the time left and the talk `budget`
    (`said`: the words said in the rest besides these); the `essential` one (how to set up, the first time) is
    never dropped for the budget, only for time, and not for time either when the response hands back here
    (`runner_waits`: the runner says go once in position). Then, in a rest too short for the dose, the fullest
    without it."""
    joined = ssml.seconds - start + (pause_after(ssml.timeline[-1].text) if ssml and ssml.timeline[-1].kind == SPEECH
                                     else 0.0)

    def fits(words: str, dose_words: str) -> bool:
        lead = speech_seconds(dose_words) + pause_after(dose_words) if dose_words else 0.0
        return joined + speech_seconds(words) + SWITCH_BEAT + lead + handing_back <= seconds

    if runner_waits and essential in options:
        options = options[:options.index(essential) + 1]  # nothing shorter than how to set up
    for words in options:
        within = said + speech_seconds(words) + speech_seconds(amount) <= budget or words == essential
        if within and fits(words, amount):
            return words, amount
    for words in options:
        if fits(words, ""):
            return words, ""  # too short a rest for the dose: the set's count says it
    return options[-1], ""


def first_rest(cursor: Cursor, index: int) -> bool:
    """Whether the rest before the set at `index` is the workout's first (its length is said then, not again)."""
    return not any(s.is_set for s in cursor.steps[:index - 1])


def lead_in(voice: Voice, catalog: Catalog, cursor: Cursor, index: int, style: Style) -> str:
    """What is said just before a set's "Go!": its dose, the first time it comes up (after, the runner knows)."""
    if not first_time(cursor, index):
        return ""
    return dose(voice.text, _exercise(catalog, cursor.steps[index], style))


def work(voice: Voice, catalog: Catalog, cursor: Cursor, index: int, style: Style) -> Ssml:
    """A set's work: "Go!" (on the right first, when per side), both sides counted, the cue over the start."""
    exercise = _exercise(catalog, cursor.steps[index], style)
    ssml = Ssml().say(voice.line("side.first") if exercise.per_side else voice.line("go"))
    cue = "" if cue_in_rest(exercise) else cue_for(voice, cursor, index, style)
    interval(ssml, voice, exercise, style.pace, index, cue)
    if exercise.per_side:
        side_switch(ssml, voice, index)
        interval(ssml, voice, exercise, style.pace, index)
    return ssml


def warmup(voice: Voice, catalog: Catalog, cursor: Cursor, index: int = 0, style: Style | None = None) -> Ssml:
    """The warm-up: every drill named, cued (but with brief cues) and counted down in turn."""
    ssml = Ssml().say(voice.line("warmup.start"))
    drills = cursor.circuit.warmup
    brief = style is not None and style.cues == "brief"
    for number, drill_id in enumerate(drills):
        drill = catalog[drill_id]
        text = voice.exercise(drill_id)
        ssml.say(voice.line("warmup.drill", name=text.name, dose=dose(voice.text, drill))).say(voice.line("go"))
        interval(ssml, voice, drill, step=index, cue="" if brief else text.cue)
        if number == len(drills) - 1:
            ssml.say(voice.line("done"))
    return ssml


# Resuming ----------------------------------------------------------------------------------------------------

def side_words(voice: Voice, mark: int) -> str:
    """Which side a per-side set's `mark`-th work interval is (right, the switch, then left)."""
    return voice.line("side.right" if mark == 0 else "side.left")


def resume(voice: Voice, block: Ssml, mark: int, into: float, name: str,
           reps: int | None, per_side: bool = False) -> tuple[Ssml, int, float] | None:
    """What is left of `block` (a step's work) when the runner stopped `into` seconds into its `mark`-th marked
    interval: the seconds left of a hold, the reps from the one in progress (on which side, `per_side`), the other
    side; then the block's own words from there. Also which of the block's intervals the remainder's first one is,
    and how many seconds of it count as done. None when the block should start again from the top (stopped
    before its first interval)."""
    segments = block.timeline
    marks = [i for i, s in enumerate(segments) if s.kind == MARK]
    if not 0 <= mark < len(marks):
        return None
    at = marks[mark]
    here = segments[at]
    end = here.start + here.seconds
    after = next((i for i in range(at + 1, len(segments)) if segments[i].start >= end - 0.01), len(segments))
    tail = block.split([after])[1] if after < len(segments) else Ssml()
    ssml, done = Ssml(), 0.0
    if here.text == HOLD:
        left = round(here.seconds - into)
        if left < FINAL_COUNT:
            return tail, mark + 1, 0.0  # all but done: on with the rest of the block
        said = voice.line("resume.hold_side", seconds=left, name=name, side=side_words(voice, mark)) if per_side \
            else voice.line("resume.hold", seconds=left, name=name)
        ssml.say(said).say(voice.line("go"))
        ssml.mark(HOLD, left, here.step)
        count_down(ssml, voice, left)
        done = here.seconds - left
    elif here.text == REPS and reps:
        tempo = here.seconds / reps
        rep = min(int(max(into, 0) // tempo) + 1, reps)
        said = voice.line("resume.reps_side", rep=rep, name=name, side=side_words(voice, mark)) if per_side \
            else voice.line("resume.reps", rep=rep, name=name)
        ssml.say(said).say(voice.line("go"))
        ssml.mark(REPS, (reps - rep + 1) * tempo, here.step)
        count_reps(ssml, reps, tempo, first=rep)
        done = (rep - 1) * tempo
    elif here.text == SWITCH:
        return Ssml().say(voice.line("resume.switch", name=name)).extend(block.split([at])[1]), mark, 0.0
    return ssml.extend(tail), mark, done


def _resumed(voice: Voice, catalog: Catalog, cursor: Cursor, style: Style,
             place: Mapping[str, Any]) -> tuple[Ssml, bool, tuple[int, int, float] | None]:
    """The first step's remainder from `place`: whether it holds the step's work (a rest only leads into it), and
    which of its intervals it starts in, with how much was done."""
    index = cursor.position
    step = cursor.steps[index]
    kind, into, seconds = str(place.get("kind")), float(place.get("into", 0)), float(place.get("seconds", 0))
    if kind in (REST, SETUP_MARK) and step.is_set:
        name = voice.exercise(step.exercise).name
        # How to set up, the first time, unless it was heard before the cut: the rest opens with the name and the
        # set-up (a couple of seconds in), and the exercise is still the one it was about (not swapped since).
        how = setup(voice, step.exercise)
        heard_by = 2.0 + speech_seconds(f"{name}. {how}")
        if style.cues == "brief" or not first_time(cursor, index) \
                or (place.get("exercise") == step.exercise and into >= heard_by):
            how = ""
        # What is left, and at least time to say how to set up and the dose before the "Go!".
        words = speech_seconds(how) + speech_seconds(lead_in(voice, catalog, cursor, index, style))
        left = max(round(seconds - into), 5, math.ceil(words + 1.0))
        # Time to get into position after the warm-up or a skip is not a rest: it is not called one.
        ssml = Ssml().say(voice.line("resume.rest" if kind == REST else "resume.setup", seconds=left, name=name))
        _rest_left(ssml, voice, catalog, cursor, index, style, left, kind, how)
        return ssml, False, None
    block = work(voice, catalog, cursor, index, Style(style.pace, "brief", style.doses)) if step.is_set \
        else warmup(voice, catalog, cursor, index, style)
    name = voice.exercise(step.exercise).name if step.is_set else _drill_name(voice, cursor, int(place["mark"]))
    exercise = _exercise(catalog, step, style) if step.is_set else None
    reps = exercise.reps if exercise is not None else None
    picked_up = resume(voice, block, int(place.get("mark", -1)), into, name, reps,
                       per_side=exercise is not None and exercise.per_side)
    if picked_up is None:
        return Ssml(), False, None
    remainder, first_mark, done = picked_up
    return remainder, True, (index, first_mark, done)


def _rest_left(ssml: Ssml, voice: Voice, catalog: Catalog, cursor: Cursor, index: int, style: Style, left: int,
               kind: str, how: str = "") -> None:
    """What is left of a rest: how to set up (`how`, when said), silence and the dose (the first time), its "Go!"
    as the seconds left run out."""
    amount = lead_in(voice, catalog, cursor, index, style)
    ssml.mark(kind, left, index)
    start = ssml.seconds
    ssml.say(how)
    ssml.pause(start + left - (speech_seconds(amount) + pause_after(amount) if amount else 0.0) - ssml.seconds)
    ssml.say(amount)


def _drill_name(voice: Voice, cursor: Cursor, mark: int) -> str:
    drills = cursor.circuit.warmup
    return voice.exercise(drills[min(max(mark, 0), len(drills) - 1)]).name if drills else voice.line("warmup.name")


# Deliveries --------------------------------------------------------------------------------------------------

def deliver(voice: Voice, catalog: Catalog, cursor: Cursor, style: Style, opening: Opening, closer: str,
            limit: float = SPLIT_SECONDS) -> Delivery:
    """The next response's worth of workout, from the cursor's position: the opening, then sets and the rests
    between them while they fit in `limit` seconds, ending in the rest before the next set (said with `closer`)
    or with the last set. A first step too long for one response is spoken in parts (`Delivery.part`)."""
    steps, first = cursor.steps, cursor.position
    head = Ssml().say(opening.lead)
    resumed = None
    holds_work = False
    before_work = False  # the head ends just before the first set's "Go!" already (a rest picked up part-way)
    if opening.kind == RESUME and opening.place is not None:
        remainder, holds_work, resumed = _resumed(voice, catalog, cursor, style, opening.place)
        head.extend(remainder)
        before_work = bool(remainder) and not holds_work
        if not remainder:
            opening = Opening(SETUP)
    if opening.kind == WARM_UP and steps[first].is_set:
        # Back after a long break: the warm-up again (its intervals belong to no step: cut, it starts over).
        head.extend(warmup(voice, catalog, cursor, -1, style))
        rest_into(head, voice, catalog, cursor, first, style, SETUP_SECONDS, kind=SETUP_MARK, full=True)
        return _fill(voice, catalog, cursor, style, head, first, (), closer, limit, resumed)
    if not steps[first].is_set and not holds_work:
        head.extend(warmup(voice, catalog, cursor, first, style))
        holds_work = True
    if holds_work and not steps[first].is_set:
        # The warm-up leads into the first set with a count to get set.
        if first + 1 >= len(steps):
            return Delivery(head, (first,), None, resumed=resumed)
        done_with = (first,)
        head_into = Ssml().extend(head)
        rest_into(head_into, voice, catalog, cursor, first + 1, style, SETUP_SECONDS, kind=SETUP_MARK, first=True)
        return _fill(voice, catalog, cursor, style, head_into, first + 1, done_with, closer, limit, resumed,
                     fallback=(head, first + 1))
    if not holds_work and not before_work:
        if opening.kind == SETUP:
            no_set_yet = not any(steps[i].is_set for i in cursor.done)
            rest_into(head, voice, catalog, cursor, first, style, SETUP_SECONDS, kind=SETUP_MARK, full=not no_set_yet,
                  first=no_set_yet)
        elif opening.kind == REST_FIRST:
            rest_into(head, voice, catalog, cursor, first, style, cursor.circuit.rest_seconds)
        else:
            head.say(lead_in(voice, catalog, cursor, first, style))
    return _fill(voice, catalog, cursor, style, head, first, (), closer, limit, resumed, work_in_head=holds_work)


def _fill(voice: Voice, catalog: Catalog, cursor: Cursor, style: Style, body: Ssml, index: int,
          done: tuple[int, ...], closer: str, limit: float, resumed: tuple[int, int, float] | None, *,
          work_in_head: bool = False, fallback: tuple[Ssml, int] | None = None) -> Delivery:
    """Sets from `index` on, each with the rest after it, while they fit: `body` ends just before the work of the
    set at `index` (or holds it already: `work_in_head`)."""
    steps = cursor.steps
    best: Delivery | None = None
    while True:
        with_work = Ssml().extend(body)
        if not work_in_head:
            with_work.extend(work(voice, catalog, cursor, index, style))
        work_in_head = False
        done_now = (*done, index)
        if index + 1 >= len(steps):
            if with_work.seconds <= limit or best is None:
                return _checked(Delivery(with_work, done_now, None, resumed=resumed), voice, catalog, cursor, style,
                                limit)
            return best
        closing = Ssml().extend(with_work)
        rest_into(closing, voice, catalog, cursor, index + 1, style, cursor.circuit.rest_seconds, closer=closer)
        if closing.seconds > limit and best is None and fallback is not None:
            # The warm-up, the first set and its rest do not fit together: the warm-up alone, ending in the count
            # to get set for the first set (the runner says go when in position).
            head, nxt = fallback
            rest_into(head, voice, catalog, cursor, nxt, style, SETUP_SECONDS, kind=SETUP_MARK, closer=closer,
                      first=True)
            return Delivery(head, done[:1], nxt, resumed=resumed)
        if closing.seconds > limit:
            partial = _partial_rest(voice, catalog, cursor, style, with_work, index + 1, closer, limit)
            if partial is not None:
                # The set fits, its long rest does not: the response ends part-way into the rest.
                ssml, heard = partial
                return Delivery(ssml, done_now, index + 1, resumed=resumed,
                                rest_left=(index + 1, cursor.circuit.rest_seconds, heard))
            if best is not None:
                return best
            return _short_rest(voice, catalog, cursor, style, with_work, done_now, closer, limit, resumed)
        best = Delivery(closing, done_now, index + 1, resumed=resumed)
        if not steps[index + 1].is_set:
            return best
        rest_into(with_work, voice, catalog, cursor, index + 1, style, cursor.circuit.rest_seconds)
        body, index, done = with_work, index + 1, done_now


def _partial_rest(voice: Voice, catalog: Catalog, cursor: Cursor, style: Style, with_work: Ssml, index: int,
                  closer: str, limit: float) -> tuple[Ssml, float] | None:
    """The response ending part-way into a long rest (PARTIAL_REST_FROM seconds or more) after the set that fits:
    at least PARTIAL_REST_MIN seconds of it in this response, and as much in the next. None when it would not."""
    seconds = cursor.circuit.rest_seconds
    heard = min(limit - with_work.seconds - 1.0, seconds - PARTIAL_REST_MIN)
    if seconds < PARTIAL_REST_FROM or heard < PARTIAL_REST_MIN:
        return None
    ssml = Ssml().extend(with_work)
    rest_into(ssml, voice, catalog, cursor, index, style, seconds, closer=closer, ends_after=heard)
    return ssml, heard


def _short_rest(voice: Voice, catalog: Catalog, cursor: Cursor, style: Style, with_work: Ssml,
                done: tuple[int, ...], closer: str, limit: float, resumed: tuple[int, int, float] | None) -> Delivery:
    """A set too long to fit with its rest: the rest is announced without its length and the closer comes as soon
    as the next set is named (the runner rests as long as they like); or, if the set alone does not fit, it is
    spoken in parts."""
    index = done[-1]
    if with_work.seconds + 15 <= limit:
        closing = Ssml().extend(with_work)
        closing.say(voice.line("rest.open"))
        closing.mark(REST, 0, index + 1)
        closing.say(announce(voice, catalog, cursor, index + 1, style)[0]).say(closer)
        return Delivery(closing, done, index + 1, resumed=resumed)
    return _parts(with_work, done, limit, resumed)


def _parts(with_work: Ssml, done: tuple[int, ...], limit: float, resumed: tuple[int, int, float] | None) -> Delivery:
    """The first part of a step too long for one response, cut at the latest of its marks that fits (between the
    sides): the next response resumes the step there."""
    index = done[-1]
    segments = with_work.timeline
    # The step's work intervals (its rest or get-set count belongs to it too, but is not work to resume); it is cut
    # as its sides switch, so the part ends with the first side done and the next opens on the other.
    marks = [i for i, s in enumerate(segments) if s.kind == MARK and s.step == index and s.text in (HOLD, REPS, SWITCH)]
    for number in range(len(marks) - 1, 0, -1):
        if segments[marks[number]].text != SWITCH:
            continue
        part = with_work.split([marks[number]])[0]
        if part.seconds <= limit:
            return Delivery(part, done[:-1], None, part=(index, number), resumed=resumed)
    raise SpeechLimitError(f"a part of step {index} would run {with_work.seconds:.0f}s, over {limit:.0f}s")


def _checked(delivery: Delivery, voice: Voice, catalog: Catalog, cursor: Cursor, style: Style,
             limit: float) -> Delivery:
    if delivery.ssml.seconds <= limit:
        return delivery
    return _parts(delivery.ssml, delivery.steps, limit, delivery.resumed)


