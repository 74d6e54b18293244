"""Progression over weeks, decided from the history and kept as a log of changes.

An exercise the runner finished in full in its last two sessions grows the next time it comes up: one dose step
(a fifth: a rep or two, or five seconds), and at the top of its dose, the next rung of its ladder. A session with it
not done in full starts the count again; a dose the runner turned down ("too hard") is logged as a step back. Every
fourth week, counted from the first workout, is lighter: one round fewer and nothing grows.

Each decision is logged with the last session it was decided on, and only sessions after that count towards the
next one, so a decision is made once and never recomputed: the past stays as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Protocol

from .catalog import DRILLS, LEVELS, Catalog

DOSE_UP = "dose_up"
LADDER_UP = "ladder_up"
STEP_BACK = "step_back"
KINDS = (DOSE_UP, LADDER_UP, STEP_BACK)
CLEAN_TIMES = 2
LIGHTER_EVERY_WEEKS = 4
LOG_LIMIT = 100


class SessionLike(Protocol):
    id: str
    day: str
    picks: tuple[str, ...]
    done: int
    total: int
    finished: bool


@dataclass(frozen=True)
class Change:
    """One decision: `exercise` moved to `steps` dose steps (dose up, step back), or up its ladder to `to`."""

    day: str
    exercise: str
    kind: str
    steps: int
    to: str
    after: str  # the last session the decision was made on: only later sessions count towards the next

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        change = cls(day=str(data["day"]), exercise=str(data["exercise"]), kind=str(data["kind"]),
                     steps=int(data["steps"]), to=str(data["to"]), after=str(data["after"]))
        if change.kind not in KINDS:
            raise ValueError(f"unknown change {change.kind!r}")
        return change


def lighter_week(history: Sequence[SessionLike], today: str) -> bool:
    """Every fourth week since the first workout in the history."""
    days = [s.day for s in history if s.done > 0]
    if not days:
        return False
    weeks = (date.fromisoformat(today) - date.fromisoformat(min(days))).days // 7
    return weeks % LIGHTER_EVERY_WEEKS == LIGHTER_EVERY_WEEKS - 1


def _clean(session: SessionLike) -> bool:
    return session.finished and session.total > 0 and session.done >= session.total


def decide(history: Sequence[SessionLike], log: Sequence[Change], dose_steps: Mapping[str, int],
           catalog: Catalog, level: str, equipment: Iterable[str], avoid: Iterable[str], today: str,
           max_steps: int) -> list[Change]:
    """The decisions the history calls for now, not yet in the log, one per exercise at most."""
    if lighter_week(history, today):
        return []
    order = {s.id: i for i, s in enumerate(history)}
    allowed, avoided, rank = set(equipment) | {"none"}, set(avoid), LEVELS.index(level)
    last_change = {c.exercise: c for c in log}
    changes: list[Change] = []
    done = list(dict.fromkeys(e for s in history for e in s.picks if e in catalog and catalog[e].area != DRILLS))
    for exercise_id in done:
        previous = last_change.get(exercise_id)
        since = order.get(previous.after, -1) if previous else -1
        expected = previous.steps if previous and previous.kind != LADDER_UP else 0
        steps = dose_steps.get(exercise_id, 0)
        sessions = [s for s in history[since + 1:] if exercise_id in s.picks]
        if not sessions:
            continue
        latest = sessions[-1].id
        if steps < expected:
            # The runner said it was too much: the lower dose is where it grows from.
            changes.append(Change(today, exercise_id, STEP_BACK, steps, exercise_id, latest))
            continue
        if len(sessions) < CLEAN_TIMES or not all(_clean(s) for s in sessions[-CLEAN_TIMES:]):
            continue
        exercise = catalog[exercise_id]
        if steps < max_steps and exercise.with_dose_steps(steps + 1) != exercise.with_dose_steps(steps):
            changes.append(Change(today, exercise_id, DOSE_UP, steps + 1, exercise_id, latest))
            continue
        harder = catalog[exercise.harder] if exercise.harder and exercise.harder in catalog else None
        if harder and harder.equipment in allowed and harder.id not in avoided and harder.level_rank <= rank + 1:
            changes.append(Change(today, exercise_id, LADDER_UP, steps, harder.id, latest))
    return changes


def applied(changes: Iterable[Change], dose_steps: Mapping[str, int],
            variants: Mapping[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """The runner's remembered doses and ladder choices with the changes made."""
    doses, chosen = dict(dose_steps), dict(variants)
    for change in changes:
        if change.kind == LADDER_UP:
            chosen[change.exercise] = change.to
        else:
            doses[change.exercise] = change.steps
    return {k: v for k, v in doses.items() if v}, chosen


def unheard(log: Sequence[Change], history: Sequence[SessionLike]) -> dict[str, str]:
    """Changes the runner has not yet trained with, by the exercise they will do: what to tell them once."""
    order = {s.id: i for i, s in enumerate(history)}
    pending: dict[str, str] = {}
    for change in log:
        if change.kind == STEP_BACK:
            continue
        since = order.get(change.after, -1)
        if not any(change.to in s.picks for s in history[since + 1:]):
            pending[change.to] = change.kind
    return pending


def progressed(record: Any, catalog: Catalog, today: str, max_steps: int) -> Any:
    """The runner's record (training.record.RunnerRecord) with the decisions due now made: logged, and applied
    to the remembered doses and ladder choices the coach reads."""
    prefs = record.preferences
    changes = decide(record.history, record.progress, prefs.dose_steps, catalog, prefs.level, prefs.equipment,
                     prefs.avoid, today, max_steps)
    if not changes:
        return record
    doses, chosen = applied(changes, prefs.dose_steps, prefs.variants)
    return replace(record, preferences=replace(prefs, dose_steps=doses, variants=chosen),
                   progress=(*record.progress, *changes)[-LOG_LIMIT:])
