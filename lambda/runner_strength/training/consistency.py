"""How consistently a runner trains, in runners' units: workouts this week, and weeks in a row with at least two.

Strength work for runners is two or three sessions a week; counted in days in a row, a runner training Monday,
Wednesday and Friday would never get past one. Weeks run Monday to Sunday; the week under way counts once it has
its two, and until then the run of weeks is the one up to last week.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .record import Session

PER_WEEK = 2


@dataclass(frozen=True)
class Consistency:
    this_week: int  # workouts with a set done, Monday to today
    weeks: int  # weeks in a row, to this one or the last, with at least PER_WEEK
    best: int  # the longest such run in the history kept


def _monday(day: str) -> date:
    d = date.fromisoformat(day)
    return d - timedelta(days=d.weekday())


def consistency(history: Iterable[Session], today: str) -> Consistency:
    per_week = Counter(_monday(s.day) for s in history if s.done > 0)
    week = _monday(today)
    this_week = per_week.get(week, 0)
    start = week if this_week >= PER_WEEK else week - timedelta(weeks=1)
    weeks = 0
    while per_week.get(start - timedelta(weeks=weeks), 0) >= PER_WEEK:
        weeks += 1
    best = run = 0
    if per_week:
        first = min(per_week)
        for n in range((week - first).days // 7 + 1):
            run = run + 1 if per_week.get(first + timedelta(weeks=n), 0) >= PER_WEEK else 0
            best = max(best, run)
    return Consistency(this_week, weeks, best)
