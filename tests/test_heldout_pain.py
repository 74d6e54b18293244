"""The blind pain set (tests/data/heldout_pain_en-US.tsv, issue 21): pain, cramp and injury phrasings, and answers
to the pain offer and to the next day's question, written by a helper who had not seen the grammar, before the
grammar changed for them. Scored through virtual-alexa's matcher with the committed model, as test_heldout does.

What each label needs of the model:
- PainIntent: the intent, and the body part when one is named (`sign` is scored separately, and only once the
  model has the slot);
- GENTLER: an intent the pain offer takes as "yes, the gentler one" (voice/areas/pain.py's question);
- SKIP_AREA: one it takes as "leave the area out";
- STILL_SORE, FEELS_FINE: the next session's question about a sore part, not built yet: reported, not scored.

The floor is the share resolved when the set was written (the baseline in the closing note of issue 21), so the
grammar can only gain; raise it as the grammar catches up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_heldout import Heldout, heard, resolve

ROOT = Path(__file__).resolve().parents[1]
PAIN_SET = ROOT / "tests" / "data" / "heldout_pain_en-US.tsv"
MODEL = ROOT / "interaction_model" / "en-US.json"
ANSWERS = {"GENTLER": {"AMAZON.YesIntent", "SwapIntent", "EasierIntent"},
           "SKIP_AREA": {"SkipIntent", "RemoveAreaIntent"}}
NOT_YET = {"STILL_SORE", "FEELS_FINE"}
FLOOR = {"PainIntent": 0.13, "GENTLER": 0.06, "SKIP_AREA": 0.37}  # 12/89, 1/15, 3/8 when written


def rows() -> list[Heldout]:
    """The set's lines, as test_heldout reads its own (`intent` holds the label here)."""
    out = []
    for number, line in enumerate(PAIN_SET.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        phrase, label, *pairs = line.split("\t")
        out.append(Heldout(number, phrase, label, dict(p.split("=", 1) for p in pairs)))
    return out


def meant(row: Heldout, intent: str | None, slots: dict[str, str], model_slots: set[str]) -> bool:
    if row.intent == "PainIntent":
        wanted = {k: v for k, v in row.slots.items() if k in model_slots}
        return intent == "PainIntent" and {k: v for k, v in slots.items() if k in model_slots} == wanted
    return intent in ANSWERS[row.intent]


def test_the_blind_pain_set_is_well_formed():
    listed = rows()
    assert len(listed) >= 90
    assert len({r.phrase for r in listed}) == len(listed), "a phrase is listed twice"
    assert {r.intent for r in listed} <= {"PainIntent", *ANSWERS, *NOT_YET}
    assert sum(r.intent == "PainIntent" for r in listed) >= 55


def test_the_blind_pain_set_resolves_at_least_as_well_as_when_it_was_written(capsys: pytest.CaptureFixture[str]):
    model = json.loads(MODEL.read_text())["interactionModel"]["languageModel"]
    pain_slots = {s["name"] for i in model["intents"] if i["name"] == "PainIntent" for s in i.get("slots") or []}
    scored = [r for r in rows() if r.intent not in NOT_YET]
    report, shares = [], {}
    for label in FLOOR:
        group = [r for r in scored if r.intent == label]
        misses = []
        for row, resolved in zip(group, resolve([r.phrase for r in group]), strict=True):
            intent, slots = heard(resolved)
            if not meant(row, intent, slots, pain_slots):
                misses.append(f"  line {row.line}: {row.phrase!r}: expected {row.intent} {row.slots}, "
                              f"got {intent or 'no match'} {slots if intent else ''}")
        shares[label] = 1 - len(misses) / len(group)
        report += [f"{label}: {len(group) - len(misses)}/{len(group)} ({shares[label]:.0%})", *misses]
    with capsys.disabled():
        print("\nblind pain set:", *report, sep="\n")
    assert all(shares[label] >= FLOOR[label] for label in FLOOR), report
