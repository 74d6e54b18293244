"""The generated regions of the Markdown files (tools/docs.py, `make docs`) are up to date with the data they
describe, and a region out of date is named with its file."""

from __future__ import annotations

import json

import pytest

from runner_strength.training.catalog import DEFAULT_PATH, Exercise, load_catalog, parse_catalog
from tools import docs

EXTENDING = docs.ROOT / "docs" / "extending.md"  # where the catalog table lives


def test_every_generated_region_is_up_to_date():
    assert any("<!-- generated: catalog-table -->" in path.read_text(encoding="utf-8") for path in docs.documents())
    assert docs.stale(docs.documents()) == []


def test_a_region_out_of_date_is_named_with_its_file(tmp_path):
    edited = tmp_path / "docs" / "extending.md"
    edited.parent.mkdir()
    text = EXTENDING.read_text(encoding="utf-8")
    assert "| Warm-up drills | 5 |" in text
    edited.write_text(text.replace("| Warm-up drills | 5 |", "| Warm-up drills | 6 |"), encoding="utf-8")
    assert docs.stale([edited], root=tmp_path) == [
        "docs/extending.md: the generated region 'catalog-table' is out of date; run make docs"]
    fixed, changed = docs.rewritten(edited.read_text(encoding="utf-8"), "docs/extending.md")
    assert changed == ["catalog-table"] and fixed == text


def test_the_markdown_files_in_docs_are_scanned_and_the_tools_folders_are_not():
    found = {path.relative_to(docs.ROOT).as_posix() for path in docs.documents()}
    assert {"README.md", "docs/extending.md"} <= found
    assert not any(name.startswith(("node_modules/", ".venv/")) for name in found)


def test_a_new_exercise_in_the_catalog_puts_the_table_out_of_date(monkeypatch):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["exercises"].append({"id": "planted_banded_bridge", "area": "GLUTE_MEDIUS", "equipment": "resistance_band",
                              "level": "beginner", "reps": 12, "seconds": None, "per_side": False, "tempo": 3,
                              "easier": None, "harder": None, "loads": ["hip", "glute"]})
    grown = parse_catalog(data).exercises.values()
    monkeypatch.setitem(docs.GENERATORS, "catalog-table", lambda: docs.catalog_table(grown))
    assert docs.stale([EXTENDING]) == [
        "docs/extending.md: the generated region 'catalog-table' is out of date; run make docs"]
    before = docs.catalog_table(load_catalog().exercises.values())
    changed = [row for row in docs.catalog_table(grown) if row not in before]
    assert len(changed) == 1 and changed[0].startswith("| Glute medius | ")


def exercise(area: str, level: str, equipment: str = "none") -> Exercise:
    return Exercise(f"{area}_{level}_{equipment}", area, equipment, level, 10, None, False, 3.0)


def test_the_table_counts_exercises_without_kit_then_each_kit():
    table = docs.catalog_table([
        exercise("HAMSTRINGS", "beginner"), exercise("HAMSTRINGS", "beginner"),
        exercise("HAMSTRINGS", "advanced", "stability_ball"), exercise("HAMSTRINGS", "advanced", "dumbbells"),
        exercise("HAMSTRINGS", "advanced", "dumbbells"), exercise("DRILLS", "intermediate"),
    ])
    assert table[:3] == ["| Area | Beginner | Intermediate | Advanced |", "|---|---|---|---|",
                         "| Hamstrings | 2 | 0 | 0 + 2 dumbbells, 1 ball |"]
    assert table[-1] == "| Warm-up drills | 0 | 1 | 0 |"


@pytest.mark.parametrize(("text", "complaint"), [
    ("<!-- generated: catalog-table -->\nold\n", "x.md:1: region 'catalog-table' is never closed"),
    ("<!-- generated: the-moon -->\n<!-- end generated -->\n", "x.md:1: no generator for region 'the-moon'"),
    ("text\n<!-- end generated -->\n", "x.md:2: an end of a generated region that was never opened"),
    ("<!-- generated: catalog-table -->\n<!-- generated: catalog-table -->\n",
     "x.md:2: region 'catalog-table' opens inside 'catalog-table'"),
])
def test_a_broken_region_is_refused_naming_the_file_and_line(text, complaint):
    with pytest.raises(docs.DocsError, match=complaint):
        docs.rewritten(text, "x.md")


def test_a_marker_in_a_code_block_is_an_example_not_a_region():
    text = "```\n<!-- generated: the-moon -->\n```\n"
    assert docs.rewritten(text, "x.md") == (text, [])

