"""What the coach says about a circuit and each block of it, as SSML.

One block per response: the warm-up, or one set (the rest before it when the runner has just done a set, then
both sides, counted). Each ends by handing the turn back, right after the work, when a remark about the set
("too hard", "this hurts") is about the set just heard; the handler adds what is next and the prompt.

The clock is true: every hold, rest, rep count and side switch lasts what it announces, because its pauses are
cut by the time its own words take (speech/timing.py) on the response's clock (`Ssml.seconds`). Each interval is
marked on the response's timeline with what it announces, for whoever needs to know where the runner is.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..training.builder import EQUIPMENT_STRETCHED, LEVEL_STRETCHED, PROGRESSED, Circuit, Note
from ..training.catalog import Catalog, Exercise
from ..training.cursor import Cursor, Remaining, Step
from ..training.duration import SIDE_SWITCH_SECONDS
from ..training.progression import DOSE_UP, EASE_BACK, LADDER_UP
from .phrases import LocaleText, Voice
from .ssml import MARK, MAX_RENDERED_SECONDS, PAUSE, SpeechLimitError, Ssml
from .timing import speech_seconds

FINAL_COUNT = 3
# The final "1." ends this long before the time is up, and the next words start on time: both land within a few
# percent of what was announced, even for a ten-second hold.
FINAL_BEAT = 0.25
SWITCH_BEAT = 0.5
# A set too long for one response is cut into parts of at most this long, leaving room in each response for the
# hand-back (what is next, the prompt) and a one-off line such as the storage notice.
SPLIT_SECONDS = MAX_RENDERED_SECONDS - 20


def count_reps(ssml: Ssml, reps: int, tempo: float, first: int = 1) -> None:
    """Count every rep aloud at the exercise's tempo, each number said as its rep ends: the count lasts
    `(reps - first + 1) * tempo` from the end of the words before it to the end of the last number."""
    start = ssml.seconds
    for rep in range(first, reps + 1):
        number = f"{rep}."
        ssml.pause(start + (rep - first + 1) * tempo - speech_seconds(number) - ssml.seconds)
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


GROWN_NOTE, LADDER_NOTE, EASED_NOTE = PROGRESSED + DOSE_UP, PROGRESSED + LADDER_UP, PROGRESSED + EASE_BACK
_NOTE_UNITS = {"rounds_raised": "rounds", "rounds_lowered": "rounds", "minutes_raised": "minutes",
               "minutes_lowered": "minutes", "time_missed": "minutes", "too_many_areas": "areas"}


def note_line(voice: Voice, note: Note, catalog: Catalog) -> str:
    if note.exercise is not None and note.exercise in catalog:
        return _exercise_note(voice, note, catalog)
    if isinstance(note.value, str):
        value = voice.area(note.value)
    else:
        value = voice.amount(_NOTE_UNITS[note.code], int(note.value or 0))
    return voice.line(f"note.{note.code}", value=value)


def _exercise_note(voice: Voice, note: Note, catalog: Catalog) -> str:
    """A note about one exercise names it: why it is above the runner's level or needs kit, how it grew."""
    exercise = catalog[note.exercise or ""]
    params = {"name": voice.exercise(exercise.id).name, "area": voice.area(exercise.area)}
    if note.code == LEVEL_STRETCHED:
        key = "note.level_stretched.exercise"
    elif note.code == EQUIPMENT_STRETCHED:
        key = "note.equipment_stretched.exercise"
        params["kit"] = voice.line(f"equipment.{exercise.equipment}")
    elif note.code == LADDER_NOTE and isinstance(note.detail, str) and note.detail in catalog:
        key = "note.progress_ladder_up.exercise"
        params["old"] = voice.exercise(note.detail).name
    elif note.code in (GROWN_NOTE, EASED_NOTE) and isinstance(note.detail, int):
        key = "note.progress_dose_up.exercise" if note.code == GROWN_NOTE else "note.progress_ease_back.exercise"
        before = note.detail + (-1 if note.code == GROWN_NOTE else 1)
        params.update(now=dose(voice.text, exercise.with_dose_steps(note.detail)).rstrip("."),
                      before=dose(voice.text, exercise.with_dose_steps(before)).rstrip("."))
    else:
        return ""
    return voice.line(key, **params)


def _grouped_note(voice: Voice, notes: list[Note], catalog: Catalog) -> str:
    """One sentence for several notes of one kind, each about an exercise."""
    names = [voice.exercise(n.exercise or "").name for n in notes]
    if notes[0].code == LEVEL_STRETCHED:
        areas = voice.listing([voice.area(a) for a in dict.fromkeys(catalog[n.exercise or ""].area for n in notes)])
        return voice.line("note.level_stretched.many", names=voice.listing(names), areas=areas)
    items = [voice.line("note.progress_dose_up.item", name=name,
                        now=dose(voice.text, catalog[n.exercise or ""].with_dose_steps(int(n.detail or 0))).rstrip("."))
             for name, n in zip(names, notes, strict=True)]
    return voice.line("note.progress_dose_up.many", items=voice.listing(items))


def exercise_names(voice: Voice, ids: tuple[str, ...]) -> str:
    return voice.listing([voice.exercise(i).name for i in dict.fromkeys(ids)])


def circuit_intro(voice: Voice, circuit: Circuit, catalog: Catalog) -> Ssml:
    ssml = Ssml()
    params = dict(exercises=exercise_names(voice, circuit.exercises),
                  rounds=voice.amount("rounds", circuit.rounds),
                  minutes=voice.amount("minutes", minutes(circuit.estimated_seconds)))
    if not circuit.focus:
        ssml.say(voice.line("intro.full", **params))
    else:
        areas = voice.listing([voice.area(a) for a in circuit.areas])
        ssml.say(voice.line("intro.focus", areas=areas, **params))
    # Several notes of one kind about exercises (doses grown, moves above the runner's level) are one sentence,
    # so the runner is moving sooner.
    groups = {code: [n for n in circuit.notes if n.code == code and n.exercise in catalog]
              for code in (GROWN_NOTE, LEVEL_STRETCHED)}
    for note in circuit.notes:
        group = groups.get(note.code, [])
        if len(group) > 1 and note in group:
            if note is group[0]:
                ssml.say(_grouped_note(voice, group, catalog))
            continue
        ssml.say(note_line(voice, note, catalog))
    # The warm-up's drills are on the card and named as each starts: the runner is moving sooner.
    return ssml


def dose(text: LocaleText, exercise: Exercise) -> str:
    """How much of an exercise, as the coach says it and the screens and cards show it: "10 each side.",
    "30 seconds." (a sentence: strip its stop for a phrase). The line's first variant, so a dose reads the same
    wherever it is shown."""
    kind = "hold" if exercise.is_hold else "reps"
    side = "_per_side" if exercise.per_side else ""
    return text.phrases[f"dose.{kind}{side}"][0].format(reps=exercise.reps, seconds=exercise.seconds)


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
        ssml.say(voice.line("warmup.drill", name=text.name, dose=dose(voice.text, drill))).say(text.cue)
        ssml.say(voice.line("go"))
        _work(ssml, voice, drill)
        ssml.say(voice.line("done"))
    return ssml


def setup(voice: Voice, exercise_id: str) -> str:
    """How to get into position: the how-to's first sentence."""
    return voice.exercise(exercise_id).how_to.split(". ")[0].rstrip(".") + "."


def _rest_into(ssml: Ssml, voice: Voice, rest: int, announce: list[str], lead_ins: list[Ssml]) -> int:
    """The rest before a set: "Rest N seconds.", then what is next and how to set up, spoken marks while there is
    room, and the set's lead-in, whose "Go!" ends as the N seconds do. `announce` and `lead_ins` go from the
    fullest to the shortest: the fullest pair that fits in the rest is said (a short rest gets "Next: X" and
    "Go!"). Returns where the response may be cut: just before the lead-in."""
    ssml.say(voice.line("rest", seconds=rest))
    ssml.mark("rest", rest)
    start = ssml.seconds
    fits = [(a, lead) for lead in lead_ins for a in announce
            if speech_seconds(a) + SWITCH_BEAT + lead.seconds <= rest]
    said, lead_in = fits[0] if fits else (announce[-1], lead_ins[-1])
    go_at = start + rest - lead_in.seconds
    ssml.say(said)
    for left in range((rest - 1) // 10 * 10, 0, -10):
        at, mark = start + rest - left, voice.line("seconds_left", seconds=left)
        if at >= ssml.seconds + SWITCH_BEAT and at + speech_seconds(mark) + SWITCH_BEAT <= go_at:
            ssml.pause(at - ssml.seconds)
            ssml.say(mark)
    ssml.pause(go_at - ssml.seconds)
    cut = len(ssml.timeline)
    ssml.extend(lead_in)
    return cut


def _set(voice: Voice, catalog: Catalog, circuit: Circuit, step: Step, rest_before: bool, pace: float, cues: str,
         dose_steps: Mapping[str, int] | None) -> tuple[Ssml, list[int]]:
    """A set's speech, and where it may be cut: after the rest before it, and between the sides.

    With `rest_before` (the runner has just finished a set), the response opens with the rest: what is next and
    how to set up are heard early in it, and the set's "Go!" comes as the rest ends."""
    exercise_id = step.exercise
    exercise = catalog[exercise_id].with_dose_steps((dose_steps or {}).get(exercise_id, 0))
    text = voice.exercise(exercise_id)
    header = voice.line("set.header", number=step.index + 1, count=step.count, round=step.round,
                        rounds=circuit.rounds, name=text.name, area=voice.area(exercise.area))
    go = voice.line("side.first") if exercise.per_side else voice.line("go")
    ssml = Ssml()
    cuts = []
    if rest_before:
        cue = "" if cues == "brief" and step.round > 1 else text.cue
        amount = dose(voice.text, exercise)
        lead_ins = [Ssml().say(amount).say(cue).say(go), Ssml().say(amount).say(go), Ssml().say(go)]
        announce = [voice.line("rest.next", header=header, setup=setup(voice, exercise_id)),
                    voice.line("rest.next_short", name=text.name)]
        cuts.append(_rest_into(ssml, voice, circuit.rest_seconds, announce, lead_ins))
    else:
        ssml.say(header).say(dose(voice.text, exercise)).say(_cue(voice, exercise_id, step, cues)).say(go)
    if exercise.per_side:
        _work(ssml, voice, exercise, pace)
        cuts.append(len(ssml.timeline))
        side_switch(ssml, voice)
    _work(ssml, voice, exercise, pace)
    ssml.say(voice.line("encourage"))
    return ssml, cuts


def set_block(voice: Voice, catalog: Catalog, circuit: Circuit, step: Step, rest_before: bool = False,
              pace: float = 1.0, cues: str = "normal", dose_steps: Mapping[str, int] | None = None) -> Ssml:
    """One set: with `rest_before`, the rest that leads into it; what, how much, the cue, and the counted work
    (side by side). `pace` scales the counting tempo; `cues` is brief, normal or detailed."""
    return _set(voice, catalog, circuit, step, rest_before, pace, cues, dose_steps)[0]


def set_parts(voice: Voice, catalog: Catalog, circuit: Circuit, step: Step, rest_before: bool = False,
              pace: float = 1.0, cues: str = "normal", dose_steps: Mapping[str, int] | None = None,
              limit: float = SPLIT_SECONDS) -> list[Ssml]:
    """The set of `set_block` as one response when it fits in `limit` seconds, else cut into as few parts as fit:
    first after the rest, then also between the sides. Each part is a response of its own, handed back to the
    runner in between; joined, the parts say what `set_block` says (with the same voice state).

    Raises SpeechLimitError when even the finest cut leaves a part over `limit`."""
    ssml, cuts = _set(voice, catalog, circuit, step, rest_before, pace, cues, dose_steps)
    if ssml.seconds <= limit:
        return [ssml]  # the usual case: one response, nothing to cut
    for at in (cuts[:1], cuts):
        parts = ssml.split(at)
        if all(part.seconds <= limit for part in parts):
            return parts
    longest = max(part.seconds for part in ssml.split(cuts))
    raise SpeechLimitError(f"a part of {step.exercise}'s set would run {longest:.0f}s, over {limit:.0f}s")


def block_parts(voice: Voice, catalog: Catalog, cursor: Cursor, step: Step, rest_before: bool = False,
                pace: float = 1.0, cues: str = "normal", dose_steps: Mapping[str, int] | None = None) -> list[Ssml]:
    """The speech for a step, in as many responses as Alexa's limits need; `cursor` is the workout after it."""
    if step.is_set:
        return set_parts(voice, catalog, cursor.circuit, step, rest_before, pace, cues, dose_steps)
    return [warmup_block(voice, catalog, cursor.circuit)]


def resume(voice: Voice, block: Ssml, mark: int, into: float, name: str,
           reps: int | None) -> tuple[Ssml, int, float] | None:
    """What is left of `block` when the runner stopped `into` seconds into its `mark`-th marked interval: the
    seconds left of a hold or a rest, the reps from the one in progress, the other side; then the block's own
    words from there. Also which of the block's intervals the remainder's first one is, and how many seconds of
    it count as done. None when the block should start again from the top (stopped before its first interval)."""
    segments = block.timeline
    marks = [i for i, s in enumerate(segments) if s.kind == MARK]
    if not 0 <= mark < len(marks):
        return None
    at = marks[mark]
    interval = segments[at]
    end = interval.start + interval.seconds
    after = next((i for i in range(at + 1, len(segments)) if segments[i].start >= end - 0.01), len(segments))
    tail = block.split([after])[1] if after < len(segments) else Ssml()
    ssml, done = Ssml(), 0.0
    if interval.text == "hold":
        left = round(interval.seconds - into)
        if left < FINAL_COUNT:
            return tail, mark + 1, 0.0  # all but done: on with the rest of the block
        ssml.say(voice.line("resume.hold", seconds=left, name=name)).say(voice.line("go"))
        ssml.mark("hold", left)
        count_down(ssml, voice, left)
        done = interval.seconds - left
    elif interval.text == "reps" and reps:
        tempo = interval.seconds / reps
        rep = min(int(max(into, 0) // tempo) + 1, reps)
        ssml.say(voice.line("resume.reps", rep=rep, name=name)).say(voice.line("go"))
        ssml.mark("reps", (reps - rep + 1) * tempo)
        count_reps(ssml, reps, tempo, first=rep)
        done = (rep - 1) * tempo
    elif interval.text == "rest":
        # The rest's own last silence, then its lead-in: keep the lead-in, shorten the silence to what is left.
        pauses = [i for i in range(at + 1, after) if segments[i].kind == PAUSE]
        lead_in = block.split([pauses[-1] + 1])[1] if pauses else tail
        lead_seconds = end - segments[pauses[-1]].end if pauses else 0.0
        left = max(round(interval.seconds - into), round(lead_seconds) + 1)
        ssml.say(voice.line("resume.rest", seconds=left, name=name))
        ssml.mark("rest", left)
        ssml.pause(left - lead_seconds)
        return ssml.extend(lead_in), mark, interval.seconds - left
    elif interval.text == "switch":
        return Ssml().say(voice.line("resume.switch", name=name)).extend(block.split([at])[1]), mark, 0.0
    return ssml.extend(tail), mark, done


def block(voice: Voice, catalog: Catalog, cursor: Cursor, step: Step, pace: float = 1.0,
          cues: str = "normal", dose_steps: Mapping[str, int] | None = None, rest_before: bool = False) -> Ssml:
    """The speech for a step as one response; `cursor` is the workout after the step was done."""
    if step.is_set:
        return set_block(voice, catalog, cursor.circuit, step, rest_before, pace, cues, dose_steps)
    return warmup_block(voice, catalog, cursor.circuit)


def next_up(voice: Voice, cursor: Cursor, rest_first: bool = False) -> str:
    """Names the upcoming block, for the end of a block and for prompts; `rest_first` when a rest leads into it."""
    step = cursor.next_step
    if step is None:
        return ""
    if not step.is_set:
        return voice.line("next.warmup")
    name = voice.exercise(step.exercise).name
    if rest_first:
        return voice.line("next.rest", seconds=cursor.circuit.rest_seconds, name=name)
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
