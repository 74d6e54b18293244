"""The exercise catalog: structure only (areas, equipment, level, dose, ladders, the body parts each one loads).

What a runner hears about each exercise (name, cue, how-to) lives in the speech locale files, keyed by the
same ids, so a translator never edits this file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from runner_strength.jsonfile import read_json

AREAS: tuple[str, ...] = ("HAMSTRINGS", "GLUTE_MEDIUS", "LOWER_BACK", "REAR_DELTS", "LOWER_BODY_STABILITY")
DRILLS = "DRILLS"
EQUIPMENT: tuple[str, ...] = ("none", "resistance_band", "dumbbells", "stability_ball", "step_or_bench")
LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced")
# The body parts a runner names when something hurts (the model's BodyPartType ids, lowercased). Each exercise says
# which of them it puts load on, so that a sore one keeps them out of the plan for the day.
PARTS: tuple[str, ...] = ("knee", "ankle", "hip", "back", "shoulder", "hamstring", "calf", "foot", "neck", "glute",
                          "quad", "achilles", "groin", "wrist", "elbow")

# Floors the builder relies on to never come back empty-handed.
MIN_PER_AREA = 6
MIN_BODYWEIGHT_PER_AREA = 3
MIN_DRILLS = 4
# Every level gets variety without equipment: two choices per area, and its own warm-up drills.
MIN_BODYWEIGHT_PER_LEVEL = 2
MIN_DRILLS_PER_LEVEL = 2
# One dose step: two reps (one when a set is under ten), or five seconds of a hold.
REP_STEP, SMALL_REP_STEP, SMALL_SET, HOLD_STEP = 2, 1, 10, 5
MIN_REPS, MAX_REPS, MIN_HOLD, MAX_HOLD = 3, 30, 10, 90

DEFAULT_PATH = Path(__file__).with_name("catalog.json")
_FIELDS = {"id", "area", "equipment", "level", "reps", "seconds", "per_side", "tempo", "easier", "harder", "loads"}
# Optional: work that leaves the legs tired for a day or two (hard eccentrics, plyometrics), kept out of a circuit
# before a long run or race; and drills that travel further than a room allows (kept out of an indoor warm-up).
_OPTIONAL = {"high_fatigue", "needs_space"}


class CatalogError(ValueError):
    """The catalog data file is malformed; the message names the bad entry."""


@dataclass(frozen=True)
class Exercise:
    id: str
    area: str
    equipment: str
    level: str
    reps: int | None
    seconds: int | None
    per_side: bool
    tempo: float
    easier: str | None = None
    harder: str | None = None
    high_fatigue: bool = False
    loads: frozenset[str] = frozenset()
    needs_space: bool = False  # the PARTS it puts load on

    def spares(self, sore: frozenset[str]) -> bool:
        """Whether it leaves every sore part alone."""
        return not self.loads & sore

    @property
    def is_hold(self) -> bool:
        return self.seconds is not None

    @property
    def level_rank(self) -> int:
        return LEVELS.index(self.level)

    @property
    def sides(self) -> int:
        return 2 if self.per_side else 1

    def with_dose_steps(self, steps: int) -> Exercise:
        """The dose moved up or down by `steps`: each a rep or two (`REP_STEP`, or `SMALL_REP_STEP` for a set
        under `SMALL_SET`), or five seconds of a hold, within the bounds a set keeps."""
        if not steps:
            return self
        if self.seconds is not None:
            return replace(self, seconds=max(MIN_HOLD, min(MAX_HOLD, self.seconds + HOLD_STEP * steps)))
        assert self.reps is not None
        step = REP_STEP if self.reps >= SMALL_SET else SMALL_REP_STEP
        return replace(self, reps=max(MIN_REPS, min(MAX_REPS, self.reps + step * steps)))

    @property
    def work_seconds_per_side(self) -> float:
        """Time under work for one side of one set: the hold, or the reps at the counting tempo."""
        if self.seconds is not None:
            return float(self.seconds)
        assert self.reps is not None
        return self.reps * self.tempo


@dataclass(frozen=True)
class Catalog:
    exercises: dict[str, Exercise]

    def __getitem__(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self.exercises

    def in_area(self, area: str) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises.values() if e.area == area)


def _entry_error(index: int, entry: Any, problem: str) -> CatalogError:
    name = entry.get("id") if isinstance(entry, dict) else None
    return CatalogError(f"catalog entry #{index} ({name or 'no id'}): {problem}")


def _parse_entry(index: int, entry: Any) -> Exercise:
    def fail(problem: str) -> CatalogError:
        return _entry_error(index, entry, problem)

    if not isinstance(entry, dict):
        raise fail("must be an object")
    missing, unknown = _FIELDS - entry.keys(), entry.keys() - _FIELDS - _OPTIONAL
    if missing:
        raise fail(f"missing {', '.join(sorted(missing))}")
    if unknown:
        raise fail(f"unknown field {', '.join(sorted(unknown))}")
    ex_id = entry["id"]
    if not isinstance(ex_id, str) or not ex_id or not ex_id.replace("_", "").isalnum() or ex_id != ex_id.lower():
        raise fail("id must be lowercase snake_case")
    if entry["area"] not in (*AREAS, DRILLS):
        raise fail(f"area {entry['area']!r} is not one of {', '.join((*AREAS, DRILLS))}")
    if entry["equipment"] not in EQUIPMENT:
        raise fail(f"equipment {entry['equipment']!r} is not one of {', '.join(EQUIPMENT)}")
    if entry["level"] not in LEVELS:
        raise fail(f"level {entry['level']!r} is not one of {', '.join(LEVELS)}")
    reps, seconds = entry["reps"], entry["seconds"]
    if (reps is None) == (seconds is None):
        raise fail("give exactly one of reps or seconds")
    if reps is not None and not (isinstance(reps, int) and 1 <= reps <= 30):
        raise fail("reps must be a whole number from 1 to 30")
    if seconds is not None and not (isinstance(seconds, int) and 5 <= seconds <= 90):
        raise fail("seconds must be a whole number from 5 to 90")
    if not isinstance(entry["per_side"], bool):
        raise fail("per_side must be true or false")
    tempo = entry["tempo"]
    if isinstance(tempo, bool) or not isinstance(tempo, int | float) or not 1 <= tempo <= 6:
        raise fail("tempo must be seconds per rep, from 1 to 6")
    for link in ("easier", "harder"):
        if entry[link] is not None and not isinstance(entry[link], str):
            raise fail(f"{link} must be an exercise id or null")
    for flag in _OPTIONAL:
        if not isinstance(entry.get(flag, False), bool):
            raise fail(f"{flag} must be true or false")
    loads = entry["loads"]
    if not isinstance(loads, list) or not loads or any(part not in PARTS for part in loads) \
            or len(set(loads)) != len(loads):
        raise fail(f"loads must list the parts it loads, once each, from {', '.join(PARTS)}")
    return Exercise(
        id=ex_id, area=entry["area"], equipment=entry["equipment"], level=entry["level"], reps=reps,
        seconds=seconds, per_side=entry["per_side"], tempo=float(tempo), easier=entry["easier"],
        harder=entry["harder"], high_fatigue=entry.get("high_fatigue", False), loads=frozenset(loads),
        needs_space=entry.get("needs_space", False),
    )


def _check_ladders(exercises: dict[str, Exercise]) -> None:
    for ex in exercises.values():
        for link, back, ok_rank in (
            ("easier", "harder", ex.level_rank.__ge__),
            ("harder", "easier", ex.level_rank.__le__),
        ):
            other_id = getattr(ex, link)
            if other_id is None:
                continue
            other = exercises.get(other_id)
            if other is None:
                raise CatalogError(f"catalog entry {ex.id}: {link} names unknown exercise {other_id!r}")
            if other.area != ex.area:
                raise CatalogError(f"catalog entry {ex.id}: {link} {other_id!r} is in another area")
            if getattr(other, back) != ex.id:
                raise CatalogError(f"catalog entry {ex.id}: {other_id!r} should name it as its {back} neighbour")
            if not ok_rank(other.level_rank):
                raise CatalogError(f"catalog entry {ex.id}: {link} {other_id!r} has the wrong level for that")


def _check_coverage(exercises: dict[str, Exercise]) -> None:
    for area in AREAS:
        in_area = [e for e in exercises.values() if e.area == area]
        bodyweight = [e for e in in_area if e.equipment == "none"]
        if len(in_area) < MIN_PER_AREA or len(bodyweight) < MIN_BODYWEIGHT_PER_AREA:
            raise CatalogError(
                f"area {area}: needs {MIN_PER_AREA} exercises, {MIN_BODYWEIGHT_PER_AREA} without equipment "
                f"(has {len(in_area)}, {len(bodyweight)})"
            )
        for level in LEVELS:
            at_level = [e for e in bodyweight if e.level == level]
            if len(at_level) < MIN_BODYWEIGHT_PER_LEVEL:
                raise CatalogError(f"area {area}: needs {MIN_BODYWEIGHT_PER_LEVEL} {level} exercises without "
                                   f"equipment (has {len(at_level)})")
    drills = [e for e in exercises.values() if e.area == DRILLS]
    if len(drills) < MIN_DRILLS or any(e.equipment != "none" or e.seconds is None for e in drills):
        raise CatalogError(f"area {DRILLS}: needs {MIN_DRILLS} timed drills without equipment")
    for level in LEVELS:
        if sum(e.level == level for e in drills) < MIN_DRILLS_PER_LEVEL:
            raise CatalogError(f"area {DRILLS}: needs {MIN_DRILLS_PER_LEVEL} {level} drills")


def parse_catalog(data: Any) -> Catalog:
    """Validate catalog data (as loaded from JSON) and build the catalog."""
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), list):
        raise CatalogError("catalog must be an object with an 'exercises' list")
    exercises: dict[str, Exercise] = {}
    for index, entry in enumerate(data["exercises"]):
        exercise = _parse_entry(index, entry)
        if exercise.id in exercises:
            raise _entry_error(index, entry, "duplicate id")
        exercises[exercise.id] = exercise
    _check_ladders(exercises)
    _check_coverage(exercises)
    return Catalog(exercises)


@cache
def load_catalog(path: Path = DEFAULT_PATH) -> Catalog:
    return parse_catalog(read_json(path, CatalogError))
