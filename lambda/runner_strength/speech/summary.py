"""What a finished workout comes to, in the runner's words: about how long the work took, what changed today, and
the card the Alexa app keeps. The finish's speech, its screen and its card read the same facts from here."""

from __future__ import annotations

from dataclasses import dataclass

from ..training.catalog import Catalog
from ..training.consistency import consistency
from ..training.cursor import PAIN, Cursor
from ..training.record import PACES, RunnerRecord
from . import coach
from .phrases import Voice


@dataclass(frozen=True)
class Summary:
    minutes: int  # of work done, timed as the builder times a workout; 0 when no set was done
    changes: str  # today's swaps and dose changes, as one listing ("" for none)


def finished_summary(voice: Voice, catalog: Catalog, record: RunnerRecord, cursor: Cursor) -> Summary:
    prefs = record.preferences
    seconds = cursor.done_seconds(catalog, PACES[prefs.pace], prefs.dose_steps)
    changes = [voice.line("change.swapped", new=voice.exercise(new).name, old=voice.exercise(old).name)
               for new, old in cursor.swapped.items() if new in catalog and old in catalog]
    changes += [voice.line("change.dose", name=voice.exercise(e).name,
                           dose=coach.dose(voice.text, catalog[e].with_dose_steps(steps)).rstrip("."))
                for e, steps in cursor.dose_steps.items() if e in catalog and steps]
    return Summary(coach.minutes(seconds) if cursor.sets_done else 0, voice.listing(changes))


def finish_card(voice: Voice, catalog: Catalog, record: RunnerRecord, cursor: Cursor, today: str) -> tuple[str, str]:
    """The card left in the Alexa app when a workout ends: sets, time, what was done, the week, what changed."""
    summary = finished_summary(voice, catalog, record, cursor)
    done = [voice.exercise(s.exercise).name for i, s in enumerate(cursor.steps) if i in cursor.done and s.is_set]
    lines = []
    if summary.minutes:
        lines.append(voice.line("card.finish.time", minutes=voice.amount("minutes", summary.minutes)))
    if done:
        lines.append(voice.line("card.finish.did", exercises=voice.listing(list(dict.fromkeys(done)))))
    # This week's workouts and the weeks in a row with two or more; nothing for a workout with no set done (pain
    # stopped the first one).
    now = consistency(record.history, today)
    if cursor.sets_done and now.weeks:
        lines.append(voice.line("card.finish.weeks", workouts=voice.amount("workouts", now.this_week),
                                weeks=voice.amount("weeks", now.weeks)))
    elif cursor.sets_done:
        lines.append(voice.line("card.finish.week", workouts=voice.amount("workouts", now.this_week)))
    if summary.changes:
        lines.append(voice.line("card.finish.changed", changes=summary.changes))
    title = voice.line("card.finish.title_pain" if cursor.ended_for == PAIN else "card.finish.title",
                       done=cursor.sets_done, total=cursor.total_sets)
    return title, "\n".join(lines)
