"""The blind pain set (tests/data/heldout_pain_en-US.tsv, issue 21): pain, cramp and injury phrasings, and answers
to the pain offer and to the next day's question, written by a helper who had not seen the grammar, before the
grammar changed for them. Scored through virtual-alexa's matcher with the committed model, as test_heldout does.

What each label needs of the model:
- PainIntent: the intent, and the body part when one is named (`sign` is scored separately, and only once the
  model has the slot);
- GENTLER: an intent the pain offer takes as "yes, the gentler one" (voice/areas/pain.py's question);
- SKIP_AREA: one it takes as "leave the area out";
- STILL_SORE, FEELS_FINE: answers the next session's question about a sore part ("Is it still sore?") takes as
  still sore (yes, or pain said again) or fine (no, or FeelsFineIntent): start.py's question.

Scores, as resolved / total (issue 21's closing note): when written, before the grammar changed for pain (the
grammar had no `sign` slot then, so signs were not scored): PainIntent 12/89, GENTLER 1/15, SKIP_AREA 3/8; the
check-in's answers were not built. After the grammar was widened by families (by a helper who had not seen this
file): PainIntent 44/89 with the sign scored, GENTLER 10/15, SKIP_AREA 5/8; with StillSoreIntent added, STILL_SORE
6/10 and FEELS_FINE 8/10; after the second widening, PainIntent 47/89. The floors below are the latest, so the
grammar can only gain; raise them as it does. "Reaches the safety path" counts PainIntent lines heard as PainIntent
whatever their slots.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_heldout import Heldout, heard, resolve

ROOT = Path(__file__).resolve().parents[1]
PAIN_SET = ROOT / "tests" / "data" / "heldout_pain_en-US.tsv"
# A second batch, in four voices, written blind after the grammar was widened for the first: what it scores is how the
# widening generalises.
PAIN_SET_2 = ROOT / "tests" / "data" / "heldout_pain2_en-US.tsv"
# A third, in four other voices, written blind while the grammar was widened a second time (by a helper who had seen
# none of the batches): scored on the grammar before that widening and after it.
PAIN_SET_3 = ROOT / "tests" / "data" / "heldout_pain3_en-US.tsv"
MODEL = ROOT / "interaction_model" / "en-US.json"
ANSWERS = {"GENTLER": {"AMAZON.YesIntent", "SwapIntent", "EasierIntent"},
           "SKIP_AREA": {"SkipIntent", "RemoveAreaIntent"},
           "STILL_SORE": {"AMAZON.YesIntent", "PainIntent", "StillSoreIntent"},
           "FEELS_FINE": {"AMAZON.NoIntent", "FeelsFineIntent"}}
FLOOR = {"PainIntent": 47 / 89, "GENTLER": 10 / 15, "SKIP_AREA": 5 / 8, "STILL_SORE": 6 / 10, "FEELS_FINE": 8 / 10}
# Batch 2 when written (after the first widening, before any grammar change for it): 5/50, 0/6, 1/4, 0/10, 0/10.
# Since then StillSoreIntent (written by a helper who had seen neither batch) took STILL_SORE to 2/10, and the second
# widening, for families described from this batch's misses (never its lines), to these:
FLOOR_2 = {"PainIntent": 19 / 50, "GENTLER": 1 / 6, "SKIP_AREA": 2 / 4, "STILL_SORE": 8 / 10, "FEELS_FINE": 3 / 10}
# Batch 3 on the grammar before the second widening: 7/50, 0/6, 0/4, 0/10, 0/10; after it (its writer and the
# widener saw nothing of each other), these: how far the widening generalises.
FLOOR_3 = {"PainIntent": 8 / 50, "GENTLER": 0 / 6, "SKIP_AREA": 0 / 4, "STILL_SORE": 2 / 10, "FEELS_FINE": 2 / 10}


def rows(path: Path = PAIN_SET) -> list[Heldout]:
    """A set's lines, as test_heldout reads its own (`intent` holds the label here)."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
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


@pytest.mark.parametrize(("path", "size"), [(PAIN_SET, 90), (PAIN_SET_2, 80), (PAIN_SET_3, 80)])
def test_the_blind_pain_sets_are_well_formed(path: Path, size: int):
    listed = rows(path)
    assert len(listed) >= size
    assert len({r.phrase for r in listed}) == len(listed), "a phrase is listed twice"
    assert {r.intent for r in listed} <= {"PainIntent", *ANSWERS}
    assert sum(r.intent == "PainIntent" for r in listed) >= 50


def score(path: Path, floor: dict[str, float]) -> tuple[list[str], dict[str, float]]:
    """Each label's share resolved as meant, and a report listing every miss."""
    model = json.loads(MODEL.read_text())["interactionModel"]["languageModel"]
    pain_slots = {s["name"] for i in model["intents"] if i["name"] == "PainIntent" for s in i.get("slots") or []}
    scored = rows(path)
    report, shares = [], {}
    for label in floor:
        group = [r for r in scored if r.intent == label]
        misses, safety = [], 0
        for row, resolved in zip(group, resolve([r.phrase for r in group]), strict=True):
            intent, slots = heard(resolved)
            safety += intent == "PainIntent"
            if not meant(row, intent, slots, pain_slots):
                misses.append(f"  line {row.line}: {row.phrase!r}: expected {row.intent} {row.slots}, "
                              f"got {intent or 'no match'} {slots if intent else ''}")
        shares[label] = 1 - len(misses) / len(group)
        reached = f"; reaches the safety path {safety}/{len(group)}" if label == "PainIntent" else ""
        report += [f"{label}: {len(group) - len(misses)}/{len(group)} ({shares[label]:.0%}){reached}", *misses]
    return report, shares


@pytest.mark.parametrize(("path", "floor"), [(PAIN_SET, FLOOR), (PAIN_SET_2, FLOOR_2), (PAIN_SET_3, FLOOR_3)])
def test_the_blind_pain_sets_resolve_at_least_as_well_as_when_scored(path: Path, floor: dict[str, float],
                                                                     capsys: pytest.CaptureFixture[str]):
    report, shares = score(path, floor)
    with capsys.disabled():
        print(f"\nblind pain set {path.name}:", *report, sep="\n")
    assert all(shares[label] >= floor[label] - 1e-9 for label in floor), report
