"""Names in the runner's words, shared by every area: exercises, areas, equipment."""

from __future__ import annotations

from collections.abc import Iterable

from ...training.catalog import AREAS, EQUIPMENT
from .turn import Turn


def exercise_name(turn: Turn, exercise_id: str) -> str:
    return turn.voice.exercise(exercise_id).name


def area_name(turn: Turn, area: str) -> str:
    return turn.voice.area(area)


def area_names(turn: Turn, areas: Iterable[str] = AREAS) -> str:
    """"hamstrings, glute medius and lower back"."""
    return turn.voice.listing([turn.voice.area(a) for a in areas])


def equipment_name(turn: Turn, equipment: str) -> str:
    return turn.line(f"equipment.{equipment}")


def known_equipment(turn: Turn) -> str:
    """The line listing the equipment the skill knows, for when the runner named none of it."""
    names = turn.voice.listing([equipment_name(turn, e) for e in EQUIPMENT if e != "none"])
    return turn.line("prefs.equipment_unknown", equipment=names)
