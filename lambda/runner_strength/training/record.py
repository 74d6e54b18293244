"""Everything kept about a runner between sessions, and nothing else: the one place that decides it.

Preferences, the place in an unfinished workout, a bounded history, streak counters and a version for
optimistic locking. Stored as plain JSON-ready data by whichever store is configured. Health information is kept
to the least the coaching needs: exercises to avoid, and a body part the runner said was sore, with the day, for a
few days (`SORE_DAYS`) so that the next session can ask how it is, until the runner says it is fine.

Every record carries the schema it was written in. A record of an older schema is upgraded as it is read, one
schema at a time (`MIGRATIONS`). A record of a newer schema (written by a later release, then read by this one, as
during a rollback) is read as far as this code understands it, and what it does not know (fields at the top level
and in the preferences) is written back as it was, under the newer schema's number. So a newer schema may add
fields; one that changes what a field means must give it a new name.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from .builder import MAX_ROUNDS, MIN_ROUNDS
from .catalog import AREAS, EQUIPMENT, LEVELS, PARTS
from .cursor import Cursor
from .days import zone
from .progression import LOG_LIMIT, Change
from .running import KINDS as RUN_KINDS

log = logging.getLogger(__name__)

SCHEMA = 5
DEFAULT_LEVEL = "intermediate"
HISTORY_LIMIT = 50
PACES = {"slower": 1.25, "normal": 1.0, "faster": 0.8}
CUE_STYLES = ("brief", "normal", "detailed")
MIN_REST, MAX_REST = 10, 120
MAX_DOSE_STEPS = 3
# A sore part is asked about at the next launch within this many days of being sore: soreness from training peaks
# a day or two after and is mostly gone by the fourth; a runner training two or three times a week is back within
# it. Past it the part is forgotten rather than asked about out of the blue.
SORE_DAYS = 4
# Sore this many sessions in a row: the coach suggests a physical or sports therapist again.
SORE_TIMES_FOR_THERAPIST = 3


def fingerprint(value: Any) -> str:
    return hashlib.blake2b(json.dumps(value, sort_keys=True).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Preferences:
    """Set by voice or by the runner's last choices; used by the builder and the guide."""

    areas: tuple[str, ...] = ()
    rounds: int | None = None
    equipment: frozenset[str] = frozenset()
    level: str = DEFAULT_LEVEL
    rest_seconds: int | None = None
    pace: str = "normal"
    cues: str = "normal"
    always_areas: tuple[str, ...] = ()  # "always include glutes"
    avoid: frozenset[str] = frozenset()  # exercises never to give again ("never give me X", after pain)
    variants: dict[str, str] = field(default_factory=dict)  # harder/easier choices: exercise -> its replacement
    dose_steps: dict[str, int] = field(default_factory=dict)  # at the end of a ladder: exercise -> dose change

    def to_dict(self) -> dict[str, Any]:
        return {"areas": list(self.areas), "rounds": self.rounds, "equipment": sorted(self.equipment),
                "level": self.level, "rest_seconds": self.rest_seconds, "pace": self.pace, "cues": self.cues,
                "always_areas": list(self.always_areas), "avoid": sorted(self.avoid),
                "variants": dict(sorted(self.variants.items())), "dose_steps": dict(sorted(self.dose_steps.items()))}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Preferences:
        rounds, rest = data.get("rounds"), data.get("rest_seconds")
        return cls(
            areas=tuple(a for a in data.get("areas", ()) if a in AREAS),
            rounds=rounds if isinstance(rounds, int) and MIN_ROUNDS <= rounds <= MAX_ROUNDS else None,
            equipment=frozenset(e for e in data.get("equipment", ()) if e in EQUIPMENT and e != "none"),
            level=data.get("level") if data.get("level") in LEVELS else DEFAULT_LEVEL,
            rest_seconds=rest if isinstance(rest, int) and MIN_REST <= rest <= MAX_REST else None,
            pace=data.get("pace") if data.get("pace") in PACES else "normal",
            cues=data.get("cues") if data.get("cues") in CUE_STYLES else "normal",
            always_areas=tuple(a for a in data.get("always_areas", ()) if a in AREAS),
            avoid=frozenset(str(e) for e in data.get("avoid", ())),
            variants={str(k): str(v) for k, v in (data.get("variants") or {}).items()},
            dose_steps={str(k): max(-MAX_DOSE_STEPS, min(MAX_DOSE_STEPS, int(v)))
                        for k, v in (data.get("dose_steps") or {}).items()},
        )


@dataclass(frozen=True)
class Session:
    """One workout in the history: what was planned and how much was done."""

    id: str
    day: str  # ISO date
    areas: tuple[str, ...]
    picks: tuple[str, ...]
    done: int
    total: int
    finished: bool = False
    did: tuple[str, ...] = ()  # the exercises with at least one set done, in order (picks are the plan)
    early: bool = False  # finished by the runner before the last set ("I'm done for today")
    ended_for: str | None = None  # why it ended before its last set otherwise (cursor.PAIN)
    # Exercises the runner found too hard or that hurt, and which (training.progression.TOO_HARD, HURT)
    eased: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = {"id": self.id, "day": self.day, "areas": list(self.areas), "picks": list(self.picks),
                "done": self.done, "total": self.total, "finished": self.finished, "did": list(self.did)}
        if self.eased:
            data["eased"] = dict(self.eased)
        if self.early:
            data["early"] = True
        if self.ended_for:
            data["ended_for"] = self.ended_for
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(id=str(data["id"]), day=str(data["day"]), areas=tuple(data.get("areas", ())),
                   picks=tuple(data.get("picks", ())), done=int(data.get("done", 0)),
                   total=int(data.get("total", 0)), finished=bool(data.get("finished", False)),
                   did=tuple(str(e) for e in data.get("did", ())),
                   eased={str(k): str(v) for k, v in (data.get("eased") or {}).items()},
                   early=data.get("early") is True,
                   ended_for=str(data["ended_for"]) if data.get("ended_for") else None)


@dataclass(frozen=True)
class Streak:
    days: int = 0
    best: int = 0
    last_day: str | None = None

    def after(self, day: str) -> Streak:
        """The streak once the runner trained on `day`."""
        if self.last_day is not None and day <= self.last_day:
            return self
        consecutive = self.last_day is not None and date.fromisoformat(day) - date.fromisoformat(
            self.last_day) == timedelta(days=1)
        days = self.days + 1 if consecutive else 1
        return Streak(days=days, best=max(self.best, days), last_day=day)

    def current(self, today: str) -> int:
        """Days in a row up to today or yesterday; a gap since then means the streak is over."""
        if self.last_day is None:
            return 0
        gap = (date.fromisoformat(today) - date.fromisoformat(self.last_day)).days
        return self.days if gap <= 1 else 0


@dataclass(frozen=True)
class Sore:
    """A body part the runner said was sore: the last day it was, and on how many sessions' days in a row."""

    part: str
    day: str
    times: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "day": self.day, "times": self.times}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sore:
        if data["part"] not in PARTS:
            raise ValueError(f"unknown body part {data['part']!r}")
        return cls(part=data["part"], day=date.fromisoformat(str(data["day"])).isoformat(),
                   times=max(1, int(data.get("times", 1))))


def _within(day: str, today: str, days: int) -> bool:
    return 0 <= (date.fromisoformat(today) - date.fromisoformat(day)).days <= days


@dataclass(frozen=True)
class RunnerRecord:
    preferences: Preferences = field(default_factory=Preferences)
    workout: Cursor | None = None
    workout_id: str | None = None
    workout_updated: str | None = None  # ISO time of the last change, to judge a stale workout
    history: tuple[Session, ...] = ()  # oldest first, at most HISTORY_LIMIT
    streak: Streak = field(default_factory=Streak)
    workouts_finished: int = 0
    welcomed: bool = False  # heard the first-time welcome and safety line
    skip_day: str | None = None  # "no lower back today": the day it was said ...
    skip_areas: tuple[str, ...] = ()  # ... and the areas left out for that day
    runs: tuple[tuple[str, str], ...] = ()  # today's running as told: (kind, day) entries (training/running.py)
    progress: tuple[Change, ...] = ()  # progression's decisions as made, oldest first (training/progression.py)
    told: tuple[str, ...] = ()  # the keys of those decisions the runner has heard about, so each is said once
    sore: tuple[Sore, ...] = ()  # body parts said to be sore lately (at most one entry a part)
    # The time zone the runner's device last said (voice/conversation/device_settings.py): their day when no device
    # says one.
    time_zone: str | None = None
    version: int = 0  # the stored version this record was read at; 0 when never stored
    schema: int = SCHEMA  # the schema it is written in: today's, or a newer one it was read in
    # A newer schema's fields and preferences this release does not know, written back as they were read.
    unknown: dict[str, Any] = field(default_factory=dict)
    unknown_preferences: dict[str, Any] = field(default_factory=dict)

    # Changes ----------------------------------------------------------------------------------------------

    def with_workout(self, cursor: Cursor | None, now_iso: str, day: str, workout_id: str | None = None
                     ) -> RunnerRecord:
        """Move the workout on at `now_iso` (a UTC time), on the runner's `day`, and keep its history entry in step
        with it."""
        record = replace(self, workout=cursor, workout_updated=now_iso if cursor else None,
                         workout_id=(workout_id or self.workout_id) if cursor else None)
        if cursor is not None and cursor.started and record.workout_id:
            record = record.logged(cursor, record.workout_id, day)
        return record

    def logged(self, cursor: Cursor, workout_id: str, day: str) -> RunnerRecord:
        circuit = cursor.circuit
        did = tuple(dict.fromkeys(s.exercise for i, s in enumerate(cursor.steps) if i in cursor.done and s.is_set))
        entry = Session(id=workout_id, day=day, areas=circuit.areas, picks=circuit.warmup + cursor.exercises,
                        done=cursor.sets_done, total=cursor.total_sets, finished=cursor.finished, did=did,
                        eased=dict(cursor.eased), early=cursor.ended and not cursor.ended_for,
                        ended_for=cursor.ended_for)
        history = [s for s in self.history if s.id != workout_id]
        if len(history) == len(self.history):
            history.append(entry)
        else:
            history = [entry if s.id == workout_id else s for s in self.history]
        streak = self.streak.after(day) if entry.done else self.streak
        return replace(self, history=tuple(history[-HISTORY_LIMIT:]), streak=streak)

    def finished(self) -> RunnerRecord:
        """The workout is over: its history entry stays, the place is cleared."""
        return replace(self, workout=None, workout_id=None, workout_updated=None,
                       workouts_finished=self.workouts_finished + 1)

    def skipping(self, area: str, today: str) -> RunnerRecord:
        areas = self.skipped_areas(today)
        return replace(self, skip_day=today, skip_areas=tuple(dict.fromkeys((*areas, area))))

    def unskipping(self, area: str, today: str) -> RunnerRecord:
        return replace(self, skip_day=today, skip_areas=tuple(a for a in self.skipped_areas(today) if a != area))

    def feeling_sore(self, part: str, today: str) -> RunnerRecord:
        """`part` is sore today: spared today, asked about next time; one more session in a row if it was sore
        lately (within SORE_DAYS), a first time otherwise."""
        before = next((s for s in self.sore if s.part == part), None)
        if before is not None and before.day == today:
            return self
        times = before.times + 1 if before is not None and _within(before.day, today, SORE_DAYS) else 1
        kept = tuple(s for s in self.sore if s.part != part and _within(s.day, today, SORE_DAYS))
        return replace(self, sore=(*kept, Sore(part, today, times)))

    def sore_kept(self, today: str) -> RunnerRecord:
        """Without the parts sore longer ago than SORE_DAYS: no longer asked about, so no longer kept."""
        kept = tuple(s for s in self.sore if _within(s.day, today, SORE_DAYS))
        return self if kept == self.sore else replace(self, sore=kept)

    def feeling_fine(self, part: str) -> RunnerRecord:
        return replace(self, sore=tuple(s for s in self.sore if s.part != part))

    # Questions --------------------------------------------------------------------------------------------

    def sore_today(self, today: str) -> frozenset[str]:
        """The parts to spare today: said sore today (or said still sore when asked)."""
        return frozenset(s.part for s in self.sore if s.day == today)

    def sore_to_ask(self, today: str) -> Sore | None:
        """The part to ask about at the first launch of a day: sore on an earlier day within SORE_DAYS, the most
        recent first."""
        lately = [s for s in self.sore if s.day != today and _within(s.day, today, SORE_DAYS)]
        return max(lately, key=lambda s: (s.day, s.times), default=None)

    def sore_times(self, part: str) -> int:
        return next((s.times for s in self.sore if s.part == part), 0)

    def skipped_areas(self, today: str) -> tuple[str, ...]:
        return self.skip_areas if self.skip_day == today else ()

    def recent_picks(self, today: str, days: int = 7) -> tuple[str, ...]:
        """Exercises done lately, most recent first, other than the workout in progress."""
        since = (date.fromisoformat(today) - timedelta(days=days - 1)).isoformat()
        recent = [s for s in self.history if s.day >= since and s.id != self.workout_id]
        if not recent and self.history:
            recent = [s for s in self.history if s.id != self.workout_id][-1:]
        return tuple(dict.fromkeys(p for s in reversed(recent) for p in s.picks))

    def sessions_since(self, today: str, days: int = 7) -> list[Session]:
        since = (date.fromisoformat(today) - timedelta(days=days - 1)).isoformat()
        return [s for s in self.history if s.day >= since and s.done > 0]

    @property
    def last_session(self) -> Session | None:
        done = [s for s in self.history if s.done > 0]
        return done[-1] if done else None

    def session_before(self, workout_id: str | None) -> Session | None:
        """The last workout with a set done other than `workout_id` (whose entry is kept up to date as it goes)."""
        done = [s for s in self.history if s.done > 0 and s.id != workout_id]
        return done[-1] if done else None

    # Storage ----------------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.unknown,
            "schema": self.schema,
            "version": self.version,
            "preferences": {**self.unknown_preferences, **self.preferences.to_dict()},
            "workout": self.workout.to_dict() if self.workout else None,
            "workout_id": self.workout_id,
            "workout_updated": self.workout_updated,
            "history": [s.to_dict() for s in self.history],
            "streak": {"days": self.streak.days, "best": self.streak.best, "last_day": self.streak.last_day},
            "workouts_finished": self.workouts_finished,
            "welcomed": self.welcomed,
            "skip_today": {"day": self.skip_day, "areas": list(self.skip_areas)},
            "runs": [list(entry) for entry in self.runs],
            "progress": [change.to_dict() for change in self.progress],
            "told": list(self.told),
            "sore": [s.to_dict() for s in self.sore],
            "time_zone": self.time_zone,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, strict: bool = False) -> RunnerRecord:
        """Read a stored record, of any schema (see the module's docstring). A damaged part is dropped (and logged)
        rather than losing the rest; `strict`: it raises ValueError instead, for a copy that has a better one to fall
        back on."""
        if not data:
            return cls()

        def unreadable(what: str, err: Exception) -> None:
            if strict:
                raise ValueError(f"{what}: {err}") from err
            log.warning("dropping %s: %s", what, err)

        schema = schema_of(data)
        newer = schema > SCHEMA
        if newer:
            log.warning("a record of schema %d, newer than this release's %d: reading what this release knows, and "
                        "keeping the rest as it was", schema, SCHEMA)
        elif schema != data.get("schema", schema):
            log.warning("a record with schema %r, read as schema %d", data["schema"], schema)
        data = upgraded(data)
        workout = None
        if data.get("workout"):
            try:
                workout = Cursor.from_dict(data["workout"])
            except (KeyError, TypeError, ValueError) as err:
                unreadable("an unreadable saved workout", err)
        try:
            preferences = Preferences.from_dict(data.get("preferences") or {})
        except (TypeError, AttributeError, ValueError) as err:
            unreadable("unreadable preferences", err)
            preferences = Preferences()
        history = []
        for entry in data.get("history") or ():
            try:
                history.append(Session.from_dict(entry))
            except (KeyError, TypeError, ValueError) as err:
                unreadable("an unreadable history entry", err)
        streak = data.get("streak") or {}
        stored_preferences = data["preferences"] if isinstance(data.get("preferences"), dict) else {}
        return cls(
            preferences=preferences,
            workout=workout,
            workout_id=data.get("workout_id") if workout else None,
            workout_updated=data.get("workout_updated") if workout else None,
            history=tuple(history[-HISTORY_LIMIT:]),
            streak=Streak(int(streak.get("days", 0)), int(streak.get("best", 0)),
                          _day(streak.get("last_day"), unreadable)),
            workouts_finished=int(data.get("workouts_finished", 0)),
            welcomed=bool(data.get("welcomed", False)),
            skip_day=(data.get("skip_today") or {}).get("day"),
            skip_areas=tuple(a for a in (data.get("skip_today") or {}).get("areas", ()) if a in AREAS),
            runs=tuple((e[0], str(e[1])) for e in data.get("runs") or ()
                       if isinstance(e, list) and len(e) == 2 and e[0] in RUN_KINDS),
            progress=tuple(_changes(data.get("progress") or (), unreadable))[-LOG_LIMIT:],
            told=tuple(str(k) for k in data.get("told") or ())[-LOG_LIMIT:],
            sore=tuple(_sore(data.get("sore") or (), unreadable)),
            time_zone=data.get("time_zone") if zone(data.get("time_zone")) is not None else None,
            version=int(data.get("version", 0)),
            schema=max(schema, SCHEMA),
            unknown={k: v for k, v in data.items() if k not in _FIELDS} if newer else {},
            unknown_preferences={k: v for k, v in stored_preferences.items() if k not in _PREFERENCES} if newer else {},
        )

    # Merging ----------------------------------------------------------------------------------------------

    def summary(self, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """What a later merge needs to know about this record as it was read: small enough for the session.
        `data` is what it was read from, or its to_dict(), when the caller has it already."""
        # Fingerprinted as today's schema reads it: a field a record was stored without is its empty value, as this
        # record has it, so a merge does not take this turn's empty value as a change over another device's.
        data = upgraded(data) if data else self.to_dict()
        return {
            "fields": {unit: fingerprint([data.get(name) for name in names]) for unit, names in _UNITS.items()},
            "preferences": {k: fingerprint(v) for k, v in (data.get("preferences") or {}).items()},
            "history": {s["id"]: fingerprint(s) for s in data.get("history") or ()
                        if isinstance(s, dict) and "id" in s},
            "workouts_finished": self.workouts_finished,
        }


# Fields merged whole, each unit from one side: a workout's cursor, id and time of change belong together (taking
# one device's cursor with the other's id logs its sets under the wrong workout).
_UNITS = {"workout": ("workout", "workout_id", "workout_updated"), "welcomed": ("welcomed",),
          "skip_today": ("skip_today",), "runs": ("runs",),
          "progress": ("progress", "told"), "sore": ("sore",), "time_zone": ("time_zone",)}


Unreadable = Callable[[str, Exception], None]  # drops a damaged part of a record (and logs it), or raises


def _day(value: object, unreadable: Unreadable) -> str | None:
    """An ISO date as the record keeps days, or none."""
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise TypeError(f"a {type(value).__name__}, not a date")
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError) as err:
        unreadable("an unreadable day", err)
        return None


def _sore(entries: Any, unreadable: Unreadable) -> list[Sore]:
    sore: dict[str, Sore] = {}
    for entry in entries:
        try:
            parsed = Sore.from_dict(entry)
        except (KeyError, TypeError, ValueError) as err:
            unreadable("an unreadable sore part", err)
            continue
        sore[parsed.part] = parsed
    return list(sore.values())


def _changes(entries: Any, unreadable: Unreadable) -> list[Change]:
    changes = []
    for entry in entries:
        try:
            changes.append(Change.from_dict(entry))
        except (KeyError, TypeError, ValueError) as err:
            unreadable("an unreadable progression entry", err)
    return changes


# Schema ------------------------------------------------------------------------------------------------------------

_FIELDS = frozenset(RunnerRecord().to_dict())
_PREFERENCES = frozenset(Preferences().to_dict())


def schema_of(data: dict[str, Any]) -> int:
    """The schema a stored record was written in. One without it, or with one that is not a schema's number, is
    taken as the first: every migration only adds what is missing, so a newer record that lost its number still
    reads whole."""
    schema = data.get("schema", 1)
    return schema if isinstance(schema, int) and not isinstance(schema, bool) and schema >= 1 else 1


def _filled(data: Any, defaults: dict[str, Any]) -> Any:
    return {**defaults, **data} if isinstance(data, dict) else data


def _from_1(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1, the first release, kept a visit count and the last workout's picks; schema 2 added the history,
    the streak, the version read, whether the runner was welcomed, the workout's id, and rest, pace and cue
    preferences."""
    data = dict(data)
    visits = data.pop("visits", 0)
    # The picks had no day, so they cannot become a history entry: the next circuit may repeat them, once.
    data.pop("last_picks", None)
    defaults = RunnerRecord().to_dict()
    data.setdefault("welcomed", bool(visits))  # a runner who had visited had heard the welcome
    for name in ("history", "streak", "version"):
        data.setdefault(name, defaults[name])
    if data.get("workout"):
        # The same id on every device that upgrades the record, so that their histories merge as one workout.
        data.setdefault("workout_id", "schema1-" + fingerprint(data["workout"]))
    data["preferences"] = _filled(data.get("preferences") or {}, Preferences().to_dict())
    return data


def _from_2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 grew without a new number: the day's skipped areas, today's running, progression's log and what of
    it was told, the areas always included, exercises avoided, harder or easier choices and dose changes, and each
    history entry's exercises done. A record stored before one of them lacks it: it is empty."""
    data = dict(data)
    defaults = RunnerRecord().to_dict()
    for name in ("skip_today", "runs", "progress", "told"):
        data.setdefault(name, defaults[name])
    data["preferences"] = _filled(data.get("preferences") or {}, Preferences().to_dict())
    if isinstance(data.get("history"), list):
        data["history"] = [_filled(entry, {"did": []}) for entry in data["history"]]
    return data


def _from_3(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 4 added the body parts said to be sore lately; a record of schema 3 had none."""
    return {**data, "sore": data.get("sore") or []}


def _from_4(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 5 added the time zone the runner's device last said; a record of schema 4 knew none."""
    return {**data, "time_zone": data.get("time_zone")}


# schema n -> its data as schema n + 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_1, 2: _from_2, 3: _from_3, 4: _from_4}


def upgraded(data: dict[str, Any]) -> dict[str, Any]:
    """A stored record's data in today's schema (a newer one's as it is). `data` itself is left as it was."""
    schema = schema_of(data)
    if schema >= SCHEMA:
        return data
    while schema < SCHEMA:
        data, schema = MIGRATIONS[schema](data), schema + 1
    return {**data, "schema": SCHEMA}


def merge(base: dict[str, Any], mine: RunnerRecord, theirs: RunnerRecord) -> RunnerRecord:
    """Three-way merge after a write conflict: `theirs` (stored now) plus what `mine` changed since `base`.

    Whole units (the workout with its id and time, each other field) and each preference: mine wins where I
    changed it. History: union by workout id, my changed entries winning. Counters: their value plus my
    increment. Streak: the later one.
    """
    my_data, their_data = mine.to_dict(), theirs.to_dict()
    merged = dict(their_data)
    for unit, names in _UNITS.items():
        if fingerprint([my_data[name] for name in names]) != base["fields"].get(unit):
            merged.update({name: my_data[name] for name in names})
    merged["preferences"] = {
        key: my_data["preferences"][key]
        if key in my_data["preferences"] and fingerprint(my_data["preferences"][key]) != base["preferences"].get(key)
        else value
        for key, value in their_data["preferences"].items()
    }
    entries = {s["id"]: s for s in their_data["history"]}
    for entry in my_data["history"]:
        if fingerprint(entry) != base["history"].get(entry["id"]):
            entries[entry["id"]] = entry
    merged["history"] = sorted(entries.values(), key=lambda s: (s["day"], s["id"]))[-HISTORY_LIMIT:]
    merged["workouts_finished"] = theirs.workouts_finished + mine.workouts_finished - base["workouts_finished"]
    mine_streak, their_streak = my_data["streak"], their_data["streak"]
    if (mine_streak["last_day"] or "") > (their_streak["last_day"] or ""):
        merged["streak"] = mine_streak
    merged["version"] = theirs.version
    return RunnerRecord.from_dict(merged)
