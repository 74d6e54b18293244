"""Progression over weeks, decided from the history and kept as a log of changes.

An exercise the runner finished in full in its last two sessions grows the next time it comes up: one dose step
(a rep or two, or five seconds), and at the top of its dose, the next rung of its ladder. A session with it not
done in full, or in which the runner found it too hard, starts the count again; a dose the runner turned down for
good ("too hard", kept) is logged as a step back, and one that hurt (and was not left out) eases back a dose step
the next time. Every fourth week, counted from the first workout, is lighter: one round fewer and nothing grows.

Each decision is logged with the last session it was decided on, and only sessions after that count towards the
next one, so a decision is made once and never recomputed: the past stays as it was.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, Protocol

from .catalog import DRILLS, LEVELS, Catalog

DOSE_UP = "dose_up"
LADDER_UP = "ladder_up"
STEP_BACK = "step_back"  # the runner turned the dose down themselves: where it grows from now
EASE_BACK = "ease_back"  # it hurt last time: a dose step lower, told once
KINDS = (DOSE_UP, LADDER_UP, STEP_BACK, EASE_BACK)
# Why an exercise was eased in a session (training.cursor.Cursor.eased, kept in the history).
TOO_HARD, HURT = "too_hard", "hurt"
TOLD = (DOSE_UP, LADDER_UP, EASE_BACK)
GROWTH = (DOSE_UP, LADDER_UP)
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
    eased: Mapping[str, str]


@dataclass(frozen=True)
class Change:
    """One decision: `exercise` moved to `steps` dose steps (dose up, step back), or up its ladder to `to`."""

    day: str
    exercise: str
    kind: str
    steps: int
    to: str
    after: str  # the last session the decision was made on: only later sessions count towards the next

    @property
    def key(self) -> str:
        """Names this decision among all of a runner's (one per exercise per planned circuit)."""
        return f"{self.after}/{self.exercise}/{self.kind}/{self.steps}"

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


def _clean(session: SessionLike, exercise_id: str) -> bool:
    """Done in full, and the runner did not find this exercise too hard or painful in it."""
    return session.finished and 0 < session.total <= session.done and exercise_id not in session.eased


def _grown_enough(history: Sequence[SessionLike], sessions: Sequence[SessionLike], exercise_id: str) -> bool:
    """Whether the latest sessions with an exercise hold CLEAN_TIMES in full, with nothing less since. A lighter
    week's session does not count towards it (growth decided and not yet trained was held back in it, so it was done
    below the dose that would grow next, a round short), but one not done in full starts the count again."""
    counted = 0
    for session in reversed(sessions):
        if not _clean(session, exercise_id):
            return False
        counted += not lighter_week(history, session.day)
        if counted == CLEAN_TIMES:
            return True
    return False


def decide(history: Sequence[SessionLike], log: Sequence[Change], dose_steps: Mapping[str, int],
           catalog: Catalog, level: str, equipment: Iterable[str], avoid: Iterable[str], today: str,
           max_steps: int) -> list[Change]:
    """The decisions the history calls for now, not yet in the log, one per exercise at most."""
    lighter = lighter_week(history, today)
    order = {s.id: i for i, s in enumerate(history)}
    allowed, avoided, rank = set(equipment) | {"none"}, set(avoid), LEVELS.index(level)
    last_change = {c.exercise: c for c in log}
    changes: list[Change] = []
    done = list(dict.fromkeys(e for s in history for e in s.picks if e in catalog and catalog[e].area != DRILLS))
    for exercise_id in done:
        if exercise_id in avoided:
            continue  # left out of the runner's workouts: nothing to decide
        previous = last_change.get(exercise_id)
        since = order.get(previous.after, -1) if previous else -1
        expected = previous.steps if previous and previous.kind != LADDER_UP else 0
        steps = dose_steps.get(exercise_id, 0)
        sessions = [s for s in history[since + 1:] if exercise_id in s.picks]
        if not sessions:
            continue
        latest, exercise = sessions[-1].id, catalog[exercise_id]
        if any(s.eased.get(exercise_id) == HURT for s in sessions):
            # It hurt and the runner kept it: a dose step lower (where the dose can go lower), told once.
            lower = max(-max_steps, min(steps, expected) - 1)
            eased = exercise.with_dose_steps(lower) != exercise.with_dose_steps(min(steps, expected))
            changes.append(Change(today, exercise_id, EASE_BACK if eased else STEP_BACK,
                                  lower if eased else steps, exercise_id, latest))
            continue
        if steps < expected:
            # The runner said it was too much and kept that: the lower dose is where it grows from.
            changes.append(Change(today, exercise_id, STEP_BACK, steps, exercise_id, latest))
            continue
        if lighter or not _grown_enough(history, sessions, exercise_id):
            continue
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


def unheard(log: Sequence[Change], told: Collection[str]) -> dict[str, Change]:
    """Changes the runner has not heard yet, by the exercise they will do: what to tell them, once, in the
    next circuit that has it (`told` holds the keys of those said)."""
    pending: dict[str, Change] = {}
    for change in log:
        if change.kind not in TOLD:
            continue
        if change.key in told:
            pending.pop(change.to, None)
        else:
            pending[change.to] = change
    return pending


def held_back(news: Mapping[str, Change], dose_steps: Mapping[str, int],
              variants: Mapping[str, str]) -> tuple[dict[str, int], dict[str, str]]:
    """Doses and ladder choices without the growth in `news` (decided, not yet trained): for a lighter week, or
    a day today's running spares the legs."""
    doses, chosen = dict(dose_steps), dict(variants)
    for change in news.values():
        if change.kind == DOSE_UP:
            doses[change.exercise] = change.steps - 1
        elif change.kind == LADDER_UP and chosen.get(change.exercise) == change.to:
            del chosen[change.exercise]
    return doses, chosen


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
