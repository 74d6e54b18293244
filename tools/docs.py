"""Rewrites the generated regions of the Markdown files from the data they describe, so that a document cannot fall
out of step with it (today: docs/extending.md's table of the exercises per area, level and kit, from the catalog).
Every Markdown file in the repository is scanned (README.md, docs/*.md and the rest), but for the folders in
_SKIPPED.

    python tools/docs.py            # rewrite every generated region (make docs)
    python tools/docs.py --check    # exit 1, naming the file and region, when one is out of date

A region is marked in the Markdown; what is between the markers is replaced, each line indented as the opening
marker is (so a region can sit inside a list item), with a blank line after the opening marker and before the end:

    <!-- generated: catalog-table -->
    ...
    <!-- end generated -->
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "lambda") not in sys.path:  # run as a script: python tools/docs.py
    sys.path.insert(0, str(ROOT / "lambda"))
from runner_strength.training.catalog import AREAS, DRILLS, EQUIPMENT, LEVELS, Exercise, load_catalog  # noqa: E402

_OPEN = re.compile(r"^(?P<indent>[ \t]*)<!-- generated: (?P<name>[a-z0-9-]+) -->[ \t]*$")
_CLOSE = re.compile(r"^[ \t]*<!-- end generated -->[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)")
# Folders that hold no documents of ours.
_SKIPPED = {".git", ".venv", "node_modules", "var", "build", ".pytest_cache", ".ruff_cache", ".hypothesis"}

# How the documents name the areas and the kit (the runner hears the locale's words; a document can say more).
AREA_LABELS = {"HAMSTRINGS": "Hamstrings", "GLUTE_MEDIUS": "Glute medius", "LOWER_BACK": "Lower back and core",
               "REAR_DELTS": "Rear delts", "LOWER_BODY_STABILITY": "Lower-body stability", DRILLS: "Warm-up drills"}
KIT_LABELS = {"resistance_band": "band", "dumbbells": "dumbbells", "stability_ball": "ball", "step_or_bench": "step"}


class DocsError(ValueError):
    """A generated region that cannot be rewritten; the message names the file and the region or line."""


def catalog_table(exercises: Iterable[Exercise]) -> list[str]:
    """Exercises per area and level: how many need no equipment, then how many need each kit ("2 + 1 band")."""
    exercises = list(exercises)
    missing = sorted(({e.area for e in exercises} - AREA_LABELS.keys())
                     | ({e.equipment for e in exercises} - KIT_LABELS.keys() - {"none"}))
    if missing:
        raise DocsError(f"tools/docs.py has no label for {', '.join(missing)}")
    lines = ["| Area | " + " | ".join(level.capitalize() for level in LEVELS) + " |",
             "|---" * (len(LEVELS) + 1) + "|"]
    for area in (*AREAS, DRILLS):
        cells = []
        for level in LEVELS:
            kit = Counter(e.equipment for e in exercises if e.area == area and e.level == level)
            bodyweight = kit.pop("none", 0)
            with_kit = ", ".join(f"{kit[name]} {KIT_LABELS[name]}" for name in EQUIPMENT if kit[name])
            cells.append(f"{bodyweight} + {with_kit}" if with_kit else str(bodyweight))
        lines.append(f"| {AREA_LABELS[area]} | " + " | ".join(cells) + " |")
    return lines


GENERATORS: dict[str, Callable[[], list[str]]] = {
    "catalog-table": lambda: catalog_table(load_catalog().exercises.values()),
}


@dataclass(frozen=True)
class Region:
    name: str
    indent: str
    start: int  # the index of the opening marker's line
    end: int  # the index of the closing marker's line


def regions(lines: list[str], where: str) -> list[Region]:
    """The generated regions in a Markdown file's `lines` (a marker in a fenced code block is an example)."""
    found, opened, fenced = [], None, False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        opening, closing = (None, None) if fenced else (_OPEN.match(line), _CLOSE.match(line))
        if opening and opened is not None:
            raise DocsError(f"{where}:{index + 1}: region {opening['name']!r} opens inside {opened[0]['name']!r}")
        if opening:
            if opening["name"] not in GENERATORS:
                raise DocsError(f"{where}:{index + 1}: no generator for region {opening['name']!r}")
            opened = (opening, index)
        elif closing and opened is None:
            raise DocsError(f"{where}:{index + 1}: an end of a generated region that was never opened")
        elif closing:
            found.append(Region(opened[0]["name"], opened[0]["indent"], opened[1], index))
            opened = None
    if opened is not None:
        raise DocsError(f"{where}:{opened[1] + 1}: region {opened[0]['name']!r} is never closed")
    return found


def rewritten(text: str, where: str) -> tuple[str, list[str]]:
    """`text` with every generated region regenerated, and the names of the regions that changed."""
    lines = text.split("\n")
    changed = []
    for region in reversed(regions(lines, where)):
        # Between blank lines, so that Markdown reads the markers and the generated lines as blocks of their own.
        fresh = ["", *((region.indent + line).rstrip() for line in GENERATORS[region.name]()), ""]
        if lines[region.start + 1:region.end] != fresh:
            lines[region.start + 1:region.end] = fresh
            changed.append(region.name)
    return "\n".join(lines), sorted(changed)


def documents(root: Path = ROOT) -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name not in _SKIPPED)
        found += [Path(folder) / name for name in sorted(files) if name.endswith(".md")]
    return found


def stale(paths: Iterable[Path], root: Path = ROOT) -> list[str]:
    """What is out of date, one line per file and region."""
    problems = []
    for path in paths:
        where = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        _, changed = rewritten(path.read_text(encoding="utf-8"), where)
        problems += [f"{where}: the generated region {name!r} is out of date; run make docs" for name in changed]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a generated region is out of date")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = stale(documents())
            for problem in problems:
                print(problem, file=sys.stderr)
            return 1 if problems else 0
        for path in documents():
            text = path.read_text(encoding="utf-8")
            fresh, changed = rewritten(text, str(path.relative_to(ROOT)))
            if changed:
                path.write_text(fresh, encoding="utf-8")
                print(f"{path.relative_to(ROOT)}: rewrote {', '.join(changed)}")
    except DocsError as err:
        print(f"docs: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
