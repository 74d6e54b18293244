"""Everything kept about a runner between sessions, and nothing else: the one place that decides it.

Stored as plain JSON-ready data by whichever store is configured. No health information is kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from .builder import MAX_ROUNDS, MIN_ROUNDS
from .catalog import AREAS, EQUIPMENT, LEVELS
from .cursor import Cursor

log = logging.getLogger(__name__)

SCHEMA = 1
DEFAULT_LEVEL = "intermediate"


@dataclass(frozen=True)
class Preferences:
    """The runner's last choices, used when a new request leaves them out."""

    areas: tuple[str, ...] = ()
    rounds: int | None = None
    equipment: frozenset[str] = frozenset()
    level: str = DEFAULT_LEVEL

    def to_dict(self) -> dict[str, Any]:
        return {"areas": list(self.areas), "rounds": self.rounds, "equipment": sorted(self.equipment),
                "level": self.level}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Preferences:
        rounds = data.get("rounds")
        return cls(
            areas=tuple(a for a in data.get("areas", ()) if a in AREAS),
            rounds=rounds if isinstance(rounds, int) and MIN_ROUNDS <= rounds <= MAX_ROUNDS else None,
            equipment=frozenset(e for e in data.get("equipment", ()) if e in EQUIPMENT),
            level=data.get("level") if data.get("level") in LEVELS else DEFAULT_LEVEL,
        )


@dataclass(frozen=True)
class RunnerRecord:
    preferences: Preferences = field(default_factory=Preferences)
    workout: Cursor | None = None
    workout_updated: str | None = None  # ISO time of the last step done, to judge a stale workout
    last_picks: tuple[str, ...] = ()  # the previous workout's exercises, so the next one can differ
    workouts_finished: int = 0
    visits: int = 0

    def with_workout(self, cursor: Cursor | None, now_iso: str) -> RunnerRecord:
        return replace(self, workout=cursor, workout_updated=now_iso if cursor else None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "preferences": self.preferences.to_dict(),
            "workout": self.workout.to_dict() if self.workout else None,
            "workout_updated": self.workout_updated,
            "last_picks": list(self.last_picks),
            "workouts_finished": self.workouts_finished,
            "visits": self.visits,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RunnerRecord:
        """Read a stored record. A damaged part is dropped (and logged) rather than losing the rest."""
        if not data:
            return cls()
        workout = None
        if data.get("workout"):
            try:
                workout = Cursor.from_dict(data["workout"])
            except (KeyError, TypeError, ValueError) as err:
                log.warning("dropping an unreadable saved workout: %s", err)
        try:
            preferences = Preferences.from_dict(data.get("preferences") or {})
        except (TypeError, AttributeError) as err:
            log.warning("dropping unreadable preferences: %s", err)
            preferences = Preferences()
        return cls(
            preferences=preferences,
            workout=workout,
            workout_updated=data.get("workout_updated") if workout else None,
            last_picks=tuple(str(p) for p in data.get("last_picks", ())),
            workouts_finished=int(data.get("workouts_finished", 0)),
            visits=int(data.get("visits", 0)),
        )
