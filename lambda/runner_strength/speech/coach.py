"""What the coach says about a circuit as a whole: its introduction and notes, how much of an exercise (the dose),
and how much is left. What the coach says while the runner works is speech/workout.py."""

from __future__ import annotations

from ..training.builder import EQUIPMENT_STRETCHED, LEVEL_STRETCHED, PROGRESSED, SORE_SPARED, Circuit, Note
from ..training.catalog import Catalog, Exercise
from ..training.cursor import Cursor, Remaining
from ..training.progression import DOSE_UP, EASE_BACK, LADDER_UP
from .phrases import LocaleText, Voice
from .ssml import Ssml


def minutes(seconds: int) -> int:
    return max(1, round(seconds / 60))


GROWN_NOTE, LADDER_NOTE, EASED_NOTE = PROGRESSED + DOSE_UP, PROGRESSED + LADDER_UP, PROGRESSED + EASE_BACK
_NOTE_UNITS = {"rounds_raised": "rounds", "rounds_lowered": "rounds", "minutes_raised": "minutes",
               "minutes_lowered": "minutes", "time_missed": "minutes", "too_many_areas": "areas"}
_NOTE_NUMBERS = {"time_spread"}  # a bare count in the line


def note_line(voice: Voice, note: Note, catalog: Catalog) -> str:
    if note.exercise is not None and note.exercise in catalog:
        return _exercise_note(voice, note, catalog)
    if isinstance(note.value, str):
        value = voice.area(note.value)
    elif note.code in _NOTE_NUMBERS:
        value = str(note.value)
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
    # Every sore part in one sentence: "With your knee and ankle sore, ...".
    parts = [str(n.value) for n in circuit.notes if n.code == SORE_SPARED]
    spared = [voice.line(f"part.{part}") for part in parts]
    if spared:
        ssml.say(voice.line("note.sore_spared", parts=voice.listing(spared)))
    for note in circuit.notes:
        if note.code == SORE_SPARED:
            continue
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


def remaining(voice: Voice, left: Remaining, cursor: Cursor) -> str:
    if left.sets == 0:
        return voice.line("left.none")
    return voice.line(
        "left.some", sets=voice.amount("sets", left.sets), exercises=voice.amount("exercises", left.exercises),
        minutes=voice.amount("minutes", minutes(left.seconds)), done=cursor.sets_done,
        total=cursor.total_sets,
    )
