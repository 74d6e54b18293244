"""Today's running, as the runner tells it: a run done today, a long run or race coming, an easy day, sore legs.

The skill keeps what was said as dated entries: a run done, an easy day and soreness for the day they were said;
a long run or a race for its own day, until that day has passed. From them it decides whether today's circuit
spares the legs, and why (the reason is what the runner hears).
"""

from __future__ import annotations

from datetime import date, timedelta

RAN = "RAN"
LONG_RUN = "LONG_RUN"
RACE = "RACE"
EASY_DAY = "EASY_DAY"
SORE = "SORE"
KINDS = (RAN, LONG_RUN, RACE, EASY_DAY, SORE)
# Planned runs: kept until their day has passed, and spare the legs the day before and on the day.
PLANNED = (LONG_RUN, RACE)
# Left out of a new full circuit while the legs are spared: the work a long run or race tires most. (Given as
# areas skipped today, so that a runner who adds them back mid-workout gets them.)
SPARED_AREAS = ("HAMSTRINGS",)
# A run today shorter than this leaves the circuit as it is.
LONG_ENOUGH_KM = 8.0
KM_PER = {"MILES": 1.609, "KILOMETERS": 1.0}
# The strongest reason wins when several apply: a race beats a long run beats the rest.
_PRIORITY = (RACE, LONG_RUN, RAN, SORE, EASY_DAY)

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
Entry = tuple[str, str]  # (kind, ISO day it is about)


def day_of(day: str | None, today: str, kind: str) -> str:
    """The date a spoken day names: today, tomorrow, yesterday, or the next such weekday (a run already done
    on a weekday is the last one). No day is today."""
    now = date.fromisoformat(today)
    if day == "TOMORROW":
        return (now + timedelta(days=1)).isoformat()
    if day == "YESTERDAY":
        return (now - timedelta(days=1)).isoformat()
    if day in WEEKDAYS:
        ahead = (WEEKDAYS.index(day) - now.weekday()) % 7
        if kind in PLANNED:
            return (now + timedelta(days=ahead)).isoformat()
        return (now - timedelta(days=(7 - ahead) % 7)).isoformat()
    return today


def kilometres(distance: float | None, unit: str | None) -> float | None:
    if distance is None:
        return None
    return distance * KM_PER.get(unit or "MILES", 1.0)


def counts(kind: str, km: float | None) -> bool:
    """Whether what was said changes a circuit at all: a short run done does not."""
    return not (kind == RAN and km is not None and km < LONG_ENOUGH_KM)


def kept(entries: tuple[Entry, ...], today: str) -> tuple[Entry, ...]:
    """What is still worth remembering today: planned runs not yet passed, and today's news."""
    return tuple(e for e in entries if (e[1] >= today if e[0] in PLANNED else e[1] == today))


def with_entry(entries: tuple[Entry, ...], entry: Entry, today: str) -> tuple[Entry, ...]:
    return tuple(dict.fromkeys((*kept(entries, today), entry)))


def spare_legs(entries: tuple[Entry, ...], today: str) -> str | None:
    """The reason today's circuit spares the legs, or None: a race or long run today or tomorrow, a run done
    today, an easy day, soreness."""
    tomorrow = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    reasons = {kind for kind, day in kept(entries, today)
               if day == today or (kind in PLANNED and day == tomorrow)}
    return next((kind for kind in _PRIORITY if kind in reasons), None)
