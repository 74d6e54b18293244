"""What a finished workout comes to, in the runner's words: about how long the work took, what changed today, and
the card the Alexa app keeps. The finish's speech, its screen and its card read the same facts from here."""

from __future__ import annotations

from typing import Any

from ...speech import coach
from ...training.cursor import Cursor
from ...training.record import PACES
from .turn import Turn
from .words import exercise_name


def finished_summary(turn: Turn, cursor: Cursor) -> dict[str, Any]:
    """Minutes of work done (timed as the builder times a workout), and today's swaps and dose changes."""
    prefs = turn.record.preferences
    seconds = cursor.done_seconds(turn.catalog, PACES[prefs.pace], prefs.cues, prefs.dose_steps)
    changes = [turn.line("change.swapped", new=exercise_name(turn, new), old=exercise_name(turn, old))
               for new, old in cursor.swapped.items() if new in turn.catalog and old in turn.catalog]
    changes += [turn.line("change.dose", name=exercise_name(turn, e),
                          dose=coach.dose(turn.voice, turn.catalog[e].with_dose_steps(steps)).rstrip("."))
                for e, steps in cursor.dose_steps.items() if e in turn.catalog and steps]
    return {"minutes": coach.minutes(seconds) if cursor.sets_done else 0,
            "changes": turn.voice.listing(changes)}


def finish_card(turn: Turn, cursor: Cursor) -> tuple[str, str]:
    """The card left in the Alexa app when a workout ends: sets, time, what was done, the streak, what changed."""
    summary = finished_summary(turn, cursor)
    done = [exercise_name(turn, s.exercise) for i, s in enumerate(cursor.steps) if i in cursor.done and s.is_set]
    lines = []
    if summary["minutes"]:
        lines.append(turn.line("card.finish.time", minutes=turn.voice.amount("minutes", summary["minutes"])))
    if done:
        lines.append(turn.line("card.finish.did", exercises=turn.voice.listing(list(dict.fromkeys(done)))))
    streak = turn.record.streak.current(turn.today)
    if streak:
        lines.append(turn.line("card.finish.streak", days=turn.voice.amount("days", streak)))
    if summary["changes"]:
        lines.append(turn.line("card.finish.changed", changes=summary["changes"]))
    title = turn.line("card.finish.title", done=cursor.sets_done, total=cursor.total_sets)
    return title, "\n".join(lines)
