"""Names in the runner's words, shared by every area: exercises, areas, equipment."""

from __future__ import annotations

from collections.abc import Iterable

from ...training.catalog import AREAS, EQUIPMENT
from .turn import Turn

SPOKEN_ITEMS = 5  # a list read aloud names this many, then says how many more


def some(turn: Turn, items: list[str], limit: int = SPOKEN_ITEMS) -> str:
    """"a, b, c, d, e and 7 more": a list a runner can take in by ear, however long it grows."""
    if len(items) <= limit + 1:
        return turn.voice.listing(items)
    return turn.voice.listing([*items[:limit], turn.line("list.more", n=len(items) - limit)])


def exercise_name(turn: Turn, exercise_id: str) -> str:
    return turn.voice.exercise(exercise_id).name


def area_name(turn: Turn, area: str) -> str:
    return turn.voice.area(area)


def part_name(turn: Turn, part: str) -> str:
    """A body part (training.catalog.PARTS) as the runner says it: "knee", "lower back"."""
    return turn.line(f"part.{part}")


def area_names(turn: Turn, areas: Iterable[str] = AREAS) -> str:
    """"hamstrings, glute medius and lower back"."""
    return turn.voice.listing([turn.voice.area(a) for a in areas])


def equipment_name(turn: Turn, equipment: str) -> str:
    return turn.line(f"equipment.{equipment}")


def known_equipment(turn: Turn) -> str:
    """The line listing the equipment the skill knows, for when the runner named none of it."""
    names = turn.voice.listing([equipment_name(turn, e) for e in EQUIPMENT if e != "none"])
    return turn.line("prefs.equipment_unknown", equipment=names)
