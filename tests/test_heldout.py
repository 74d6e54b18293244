"""Held-out phrasings (tests/data/heldout_en-US.tsv), written independently of the grammar, resolved through
virtual-alexa's matcher with the committed model: the share that reach the intent and slots the runner meant.

The matcher is virtual-alexa's own (tools/model/resolve.js drives it in one process), with AMAZON.NUMBER taught
the number words Alexa understands beyond "twenty" (tools/model/matcher.js, from the locale's numbers.json). It
only takes a phrase that fits a sample, where Alexa would generalise, so this is a floor on what Alexa understands,
not a ceiling.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.support.workouts import SLOT_FILL

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "interaction_model" / "en-US.json"
HELDOUT = ROOT / "tests" / "data" / "heldout_en-US.tsv"
SAY = ROOT / "docs" / "what-a-runner-can-say.md"
RESOLVE = ROOT / "tools" / "model" / "resolve.js"
TARGET, FLOOR = 0.95, 0.90
NOT_INTENTS = {"LaunchRequest"}


@dataclass(frozen=True)
class Heldout:
    line: int
    phrase: str
    intent: str
    slots: dict[str, str]


def number(text: str) -> int | None:
    """A number as the matcher sends it: digits, as Alexa does ("forty five" arrives as "45")."""
    return int(text) if text.isdigit() else None


@cache
def heldout() -> tuple[Heldout, ...]:
    rows = []
    for number_, line in enumerate(HELDOUT.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        phrase, intent, *rest = line.split("\t")
        slots = dict(pair.split("=", 1) for pair in (rest[0].split() if rest else []))
        rows.append(Heldout(number_, phrase, intent, slots))
    return tuple(rows)


def resolve(phrases: list[str], alexa_numbers: bool = True) -> list[dict]:
    result = subprocess.run(
        ["node", str(RESOLVE), "--model", str(MODEL), *(["--alexa-numbers"] if alexa_numbers else [])],
        input="".join(json.dumps(p) + "\n" for p in phrases), capture_output=True, text=True, cwd=ROOT,
        timeout=120, check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def heard(resolved: dict) -> tuple[str | None, dict[str, str]]:
    """The intent and slots the skill would receive, slots as value ids and numbers as digits."""
    slots = {}
    for name, slot in resolved["slots"].items():
        value = slot["id"] if slot["id"] is not None else number(slot["value"])
        slots[name] = str(value if value is not None else slot["value"])
    return resolved["intent"], slots


def test_the_heldout_file_is_well_formed_and_names_only_what_the_model_has():
    model = json.loads(MODEL.read_text())["interactionModel"]["languageModel"]
    intents = {i["name"]: {s["name"]: s["type"] for s in i.get("slots") or []} for i in model["intents"]}
    ids = {t["name"]: {v["id"] for v in t["values"]} for t in model["types"]}
    rows = heldout()
    assert len(rows) >= 200
    phrases = [row.phrase.lower() for row in rows]
    assert len(set(phrases)) == len(phrases), "a phrase is listed twice"
    for row in rows:
        assert row.intent in intents or row.intent in NOT_INTENTS, f"line {row.line}: no intent {row.intent}"
        for name, value in row.slots.items():
            slot_type = intents.get(row.intent, {}).get(name)
            assert slot_type, f"line {row.line}: {row.intent} has no slot {name}"
            if slot_type == "AMAZON.NUMBER":
                assert value.isdigit(), f"line {row.line}: {name}={value} should be digits"
            else:
                assert value in ids[slot_type], f"line {row.line}: {value} is not an id of {slot_type}"


def table_phrases() -> list[str]:
    """The quoted phrases in the rows of the "What a runner can say" table (docs/what-a-runner-can-say.md)."""
    text = SAY.read_text(encoding="utf-8")
    section = re.search(r"^#{1,2} What a runner can say\n(.*?)^## ", text, re.S | re.M)
    assert section, f"{SAY.relative_to(ROOT)} has no 'What a runner can say' section"
    rows = [line for line in section[1].splitlines() if line.startswith("| ")]
    return [phrase for row in rows for phrase in re.findall(r'"([^"]+)"', row)]


def test_every_phrase_in_the_what_a_runner_can_say_table_is_heldout():
    quoted = table_phrases()
    assert len(quoted) >= 30
    listed = {row.phrase.lower() for row in heldout()}
    assert [q for q in quoted if q.lower() not in listed] == []


def test_heldout_phrasings_resolve_to_what_the_runner_meant(capsys: pytest.CaptureFixture[str]):
    rows = heldout()
    misses = []
    for row, resolved in zip(rows, resolve([row.phrase for row in rows]), strict=True):
        intent, slots = heard(resolved)
        if (intent, slots) != (row.intent, row.slots):
            got = f"{intent} {slots}" if intent else "no match"
            misses.append(f"  line {row.line}: {row.phrase!r}: expected {row.intent} {row.slots}, got {got}")
    share = 1 - len(misses) / len(rows)
    report = f"held-out phrasings: {len(rows) - len(misses)}/{len(rows)} resolved as meant ({share:.1%})"
    with capsys.disabled():
        print(f"\n{report}; target {TARGET:.0%}, floor {FLOOR:.0%}", *misses, sep="\n")
    assert share >= FLOOR, report


def test_the_what_a_runner_can_say_phrases_all_resolve_as_meant():
    quoted = {phrase.lower() for phrase in table_phrases()}
    rows = [row for row in heldout() if row.phrase.lower() in quoted]
    assert len(rows) == len(quoted)
    wrong = [row.phrase for row, resolved in zip(rows, resolve([row.phrase for row in rows]), strict=True)
             if heard(resolved) != (row.intent, row.slots)]
    assert wrong == []


# One value for each slot, said as tools/alexa.js's virtual-alexa hears it (numbers up to twenty).
FILL = SLOT_FILL


def test_every_sample_filled_in_reaches_its_own_intent():
    """The whole model through the matcher, without the skill: the end-to-end tests then need only a few samples
    of each intent to show that each gets an answer."""
    model = json.loads(MODEL.read_text())["interactionModel"]["languageModel"]
    said = [(intent["name"], re.sub(r"\{(\w+)\}", lambda m: FILL[m[1]], sample))
            for intent in model["intents"] for sample in intent["samples"]]
    resolved = resolve([text for _, text in said], alexa_numbers=False)
    assert [(name, text) for (name, text), got in zip(said, resolved, strict=True) if got["intent"] != name] == []
    assert len(said) > 1000
