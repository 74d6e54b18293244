"""Today's running, as the runner tells it: a run done today, a long run or race coming, an easy day, sore legs.

The skill keeps what was said as dated entries: a run done, an easy day and soreness for the day they were said;
a long run or a race for its own day, and a long run done, until the day after. From them it decides whether
today's circuit spares the legs, and why (the reason is what the runner hears): the day before a race or long run,
and on its day, no leg work at all; the day after one, recovery only; after a run today, an easy day or with sore
legs, no hamstring work or anything explosive.
"""

from __future__ import annotations

from datetime import date, timedelta

RAN = "RAN"
LONG_RUN = "LONG_RUN"
RACE = "RACE"
EASY_DAY = "EASY_DAY"
SORE = "SORE"
LONG_RAN = "LONG_RAN"  # a run done today of LONG_RUN_KM or more: recovery the day after
KINDS = (RAN, LONG_RUN, RACE, EASY_DAY, SORE, LONG_RAN)
LONG_RUN_KM = 20.0  # about twelve miles: the run a runner plans the week around
# Kept until the day after their own day: the day after a race or long run is a recovery day.
UNTIL_THE_DAY_AFTER = (LONG_RUN, RACE, LONG_RAN)
# Left out altogether on the eve of a race or long run and the day after one: upper back and core stay.
LOWER_BODY = ("HAMSTRINGS", "GLUTE_MEDIUS", "LOWER_BODY_STABILITY")
# What the legs get today, beyond sparing (spare_legs): none before a race or long run, recovery after one.
LEGS_OFF, RECOVERY = "off", "after"
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
    """What is still worth remembering today: planned runs not yet passed, races and long runs of yesterday (today
    is a recovery day), and today's news."""
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    return tuple(e for e in entries if (e[1] >= yesterday if e[0] in UNTIL_THE_DAY_AFTER else e[1] == today))


def legs_today(entries: tuple[Entry, ...], today: str) -> tuple[str, str] | None:
    """No leg work today (LEGS_OFF: a race or long run today or tomorrow) or recovery (RECOVERY: one yesterday), with
    the kind of run it is for; None when neither."""
    tomorrow = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    now = kept(entries, today)
    coming = {kind for kind, day in now if kind in PLANNED and day in (today, tomorrow)}
    if coming:
        return LEGS_OFF, RACE if RACE in coming else LONG_RUN
    past = {kind for kind, day in now if kind in UNTIL_THE_DAY_AFTER and day == yesterday}
    if past:
        return RECOVERY, RACE if RACE in past else LONG_RUN
    return None


def with_entry(entries: tuple[Entry, ...], entry: Entry, today: str) -> tuple[Entry, ...]:
    return tuple(dict.fromkeys((*kept(entries, today), entry)))


def spare_legs(entries: tuple[Entry, ...], today: str) -> str | None:
    """The reason today's circuit spares the legs, or None: a race or long run today or tomorrow, a run done
    today, an easy day, soreness."""
    tomorrow = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    reasons = {RAN if kind == LONG_RAN else kind for kind, day in kept(entries, today)
               if day == today or (kind in PLANNED and day == tomorrow)}
    return next((kind for kind in _PRIORITY if kind in reasons), None)
