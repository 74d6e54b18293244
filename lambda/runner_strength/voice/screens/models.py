"""What each screen shows, built from the same domain objects the voice speaks from (the cursor, the circuit, the
record, the block's Ssml timeline), as small JSON-ready dicts for the APL documents' `payload` data source.

Words come from the locale's `screen.*` lines (always their first variant: a screen is read, not heard, so it
does not need the voice's variety, and it must not move the voice's variant memory). Keys are short: the data
travels with every response and counts against Alexa's 24 KB.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...speech import coach
from ...speech.phrases import LocaleText
from ...speech.ssml import MARK, Segment
from ...training.catalog import AREAS, Catalog
from ...training.consistency import consistency
from ...training.cursor import Cursor, Step
from ...training.record import PACES, RunnerRecord

# A phase shown until the block ends, and after it: far beyond any response's 240 s.
FOREVER = 100000


def text(locale: LocaleText, key: str, **params: object) -> str:
    return locale.phrases[key][0].format(**params)


def area_name(locale: LocaleText, area: str) -> str:
    return text(locale, f"area.{area}")


def dose(locale: LocaleText, catalog: Catalog, exercise_id: str, steps: int = 0) -> str:
    return coach.dose(locale, catalog[exercise_id].with_dose_steps(steps)).rstrip(".")


def start_screen(locale: LocaleText) -> dict[str, Any]:
    """The five areas and the full circuit, as buttons."""
    buttons = [{"t": area_name(locale, area).capitalize(), "a": ["area", area]} for area in AREAS]
    buttons.append({"t": text(locale, "screen.full"), "a": ["full"], "s": True})
    # Two to a row: six buttons fit the small round hub's width and the 960x480 hub's height alike.
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return {"title": text(locale, "screen.start.title"), "hint": text(locale, "screen.start.hint"), "rows": rows}


def overview_screen(locale: LocaleText, catalog: Catalog, record: RunnerRecord, cursor: Cursor,
                    today: str) -> dict[str, Any]:
    """The circuit: its exercises by area in order, the one coming up marked, and what is left out today."""
    circuit = cursor.circuit
    doses = cursor.todays_doses(record.preferences.dose_steps)
    upcoming = cursor.next_step
    current = upcoming.exercise if upcoming is not None and upcoming.is_set else None
    items = []
    if circuit.warmup:
        items.append({"n": text(locale, "screen.warmup"),
                      "s": ", ".join(_name(locale, d) for d in dict.fromkeys(circuit.warmup)),
                      "c": upcoming is not None and not upcoming.is_set})
    for exercise_id in cursor.exercises:
        detail = f"{area_name(locale, catalog[exercise_id].area)} · " \
                 f"{dose(locale, catalog, exercise_id, doses.get(exercise_id, 0))}"
        if exercise_id in cursor.swapped:
            detail += " · " + text(locale, "screen.swapped", old=_name(locale, cursor.swapped[exercise_id]))
        items.append({"n": _capital(_name(locale, exercise_id)), "s": detail, "c": exercise_id == current})
    left_out = [area_name(locale, a) for a in record.skipped_areas(today) if a not in circuit.areas]
    minutes = max(1, round(circuit.estimated_seconds / 60))
    head = text(locale, "screen.overview.head", minutes=minutes, rounds=circuit.rounds,
                done=cursor.sets_done, total=cursor.total_sets)
    data: dict[str, Any] = {"title": text(locale, "screen.overview.title"), "head": head, "items": items,
                            "go": text(locale, "screen.start_button" if not cursor.started else "screen.next")}
    if left_out:
        data["out"] = text(locale, "screen.left_out", areas=", ".join(left_out))
    return data


def exercise_screen(locale: LocaleText, catalog: Catalog, record: RunnerRecord, cursor: Cursor,
                    timeline: Sequence[Segment], ends: float, first: int,
                    resumed: Sequence[Any] | None = None) -> dict[str, Any]:
    """A delivery as it is spoken: one phase per marked interval of the speech's timeline (a rest, each side's reps
    or hold, a switch, a drill), each shown from its start to the next one's with its own exercise, set and cue,
    and the seconds left (holds, rests) or the rep reached (reps) counted on the device from the same starts and
    lengths. `first` is the delivery's first step; `resumed` (step, interval, seconds done) when it starts inside
    that step, which then counts on from where it picks up."""
    doses = cursor.todays_doses(record.preferences.dose_steps)
    steps = cursor.steps
    phases: list[dict[str, Any]] = []
    sides: dict[int, int] = {}
    if resumed and len(resumed) == 3 and int(resumed[1]) >= 2:
        sides[int(resumed[0])] = 1  # picked up after the switch: the second side
    drills = 0
    for mark in (s for s in timeline if s.kind == MARK):
        index = mark.step if 0 <= mark.step < len(steps) else first
        step = steps[index]
        start = round(mark.start, 1)
        phase: dict[str, Any] = {"s": start, "e": FOREVER, "n": round(mark.seconds, 1),
                                 **heading(locale, catalog, cursor, index)}
        if mark.text in ("rest", "setup"):
            phase.update(k="rest", l=text(locale, "screen.rest" if mark.text == "rest" else "screen.get_set"),
                         x=text(locale, "screen.next_up", name=_capital(_name(locale, step.exercise))),
                         y=_text_of(locale, step.exercise).cue)
        elif mark.text == "switch":
            sides[index] = sides.get(index, 0) + 1
            phase.update(k="hold", l=text(locale, "screen.switch"))
        elif mark.text == "reps" and step.is_set:
            exercise = catalog[step.exercise].with_dose_steps(doses.get(step.exercise, 0))
            reps = exercise.reps or 1
            # A set resumed part-way counts its remaining reps: the first one shown is the rep it picks up at.
            per_rep = exercise.tempo * PACES.get(record.preferences.pace, 1.0)
            left = min(max(round(mark.seconds / per_rep), 1), reps) if per_rep > 0 else reps
            phase.update(k="reps", l=_side_label(locale, exercise.per_side, sides.get(index, 0), "screen.reps"),
                         r=reps, f=reps - left + 1, p=round(mark.seconds / left, 2))
        elif not step.is_set:
            names = cursor.circuit.warmup
            phase.update(k="hold", l=_capital(_name(locale, names[drills])) if drills < len(names) else "")
            drills += 1
        else:
            exercise = catalog[step.exercise]
            phase.update(k="hold", l=_side_label(locale, exercise.per_side, sides.get(index, 0), "screen.hold"))
        if phases:
            phases[-1]["e"] = start
        phases.append(phase)
    opening = heading(locale, catalog, cursor, first)
    begins = phases[0]["s"] if phases else FOREVER
    # While the coach speaks before the first interval: the first set's dose, or "listen".
    said = dose(locale, catalog, steps[first].exercise, doses.get(steps[first].exercise, 0)) \
        if steps[first].is_set else text(locale, "screen.listen")
    phases.insert(0, {"s": 0, "e": begins, "k": "wait", "l": said, "n": 0, **opening})
    if phases[-1]["k"] != "rest" and len(phases) > 1:
        # Once the last interval is over, the set is done: say so rather than a count stuck at zero.
        last = phases[-1]
        last["e"] = round(last["s"] + last["n"], 1)
        phases.append({"s": last["e"], "e": FOREVER, "k": "wait", "l": text(locale, "screen.done_set"), "n": 0,
                       **{k: last[k] for k in ("t", "w", "c")}})
    return {"title": opening["t"], "where": opening["w"], "cue": opening["c"], "ph": phases, "ends": round(ends, 1)}


def heading(locale: LocaleText, catalog: Catalog, cursor: Cursor, index: int) -> dict[str, str]:
    """What a phase is about: the exercise (title), which set of which round and its area (where), and the cue; for
    the warm-up, its name."""
    step = cursor.steps[index]
    if not step.is_set:
        return {"t": text(locale, "screen.warmup"), "w": text(locale, "screen.warmup.where"), "c": ""}
    where = text(locale, "screen.set", index=step.index + 1, count=step.count, round=step.round,
                 rounds=cursor.circuit.rounds, area=_capital(area_name(locale, catalog[step.exercise].area)))
    return {"t": _capital(_name(locale, step.exercise)), "w": where, "c": _text_of(locale, step.exercise).cue}


def paused_screen(locale: LocaleText, catalog: Catalog, record: RunnerRecord, cursor: Cursor,
                  step: Step) -> dict[str, Any]:
    """The exercise, stopped where the pause found it (the seconds left of a hold, the rep reached), as the voice
    says it, and a button to go on."""
    data = exercise_screen(locale, catalog, record, cursor, (), 0, cursor.position)
    paused = cursor.paused or {}
    kind, seconds, into = paused.get("kind"), float(paused.get("seconds", 0)), float(paused.get("into", 0))
    doses = cursor.todays_doses(record.preferences.dose_steps)
    reps = catalog[step.exercise].with_dose_steps(doses.get(step.exercise, 0)).reps if step.is_set else None
    if kind == "hold":
        words = text(locale, "screen.paused.hold", seconds=max(round(seconds - into), 1))
    elif kind == "reps" and reps and seconds > 0:
        words = text(locale, "screen.paused.reps", rep=min(int(into // (seconds / reps)) + 1, reps))
    else:
        words = text(locale, "screen.paused")
    data["ph"] = [{"s": 0, "e": FOREVER, "k": "wait", "l": words, "n": 0,
                   **heading(locale, catalog, cursor, cursor.position)}]
    data["paused"] = True
    return data


def finish_screen(locale: LocaleText, record: RunnerRecord, today: str, minutes: int | None = None,
                  changes: str = "") -> dict[str, Any]:
    """The workout just finished: sets done, about how long, this week's workouts, what changed today, what was
    done."""
    entry = record.history[-1]
    lines = [text(locale, "screen.finish.sets", done=entry.done, total=entry.total)]
    if minutes:
        lines.append(text(locale, "screen.finish.minutes", minutes=minutes))
    if changes:
        lines.append(text(locale, "screen.finish.changed", changes=changes))
    week = consistency(record.history, today)
    if week.this_week:
        lines.append(text(locale, "screen.finish.week", workouts=week.this_week))
    did = [_capital(_name(locale, e)) for e in entry.did if e in locale.exercises]
    return {"title": text(locale, "screen.finish.title"), "lines": lines,
            "did": ", ".join(did), "again": text(locale, "screen.finish.again")}


def _name(locale: LocaleText, exercise_id: str) -> str:
    return _text_of(locale, exercise_id).name


def _text_of(locale: LocaleText, exercise_id: str):
    return locale.exercises[exercise_id]


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _side_label(locale: LocaleText, per_side: bool, side: int, key: str) -> str:
    if not per_side:
        return text(locale, key)
    return text(locale, "screen.right" if side == 0 else "screen.left")
