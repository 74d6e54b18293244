"""Blind batches of phrasings (issue 23): each written by a helper who had not seen the grammar, the model or the
earlier batches, given only the product's description and what a runner might mean. Each batch is scored as written,
before any grammar change made for it, and that score is kept in tests/data/blind/scores.json with the batch's date
and voices; a later widening records its score after. The grammar is widened by families, never by pasting a line.

Two yardsticks, each with the batch's latest recorded score as its floor, so the grammar can only gain:
- exact matching: virtual-alexa's matcher with the committed model (test_heldout's resolve), as the intent the runner
  meant. A floor on what Alexa understands: it takes only a phrase that fits a sample.
- a classifier trained on the model's samples alone (tools/model/recogniser.py): an estimate of a recogniser that
  generalises, as Alexa's does. Where a line fails both, samples are missing; where it fails exact matching only, the
  runner depends on Alexa generalising. Its training set is stable under grammar changes (each sample seeded by its
  own text), so it moves only where the grammar does; when the estimator itself changed (2026-12-08), every batch's
  classifier score was measured again on the model it was first scored on.

scores.json keeps per batch: `before` (as written, on `model_commit`), `after` (the latest widening), `history`
(earlier widenings), `tried` (widenings measured and not kept), and for the batches written while the grammar was
being widened, `on_the_model_before_widening` (the same lines on the model the widening started from).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from tests.test_heldout import heard, resolve
from tools.model.recogniser import BLIND, Recogniser
from tools.model.recogniser import blind_batch as batch

SCORES = json.loads((BLIND / "scores.json").read_text(encoding="utf-8"))
MODEL = Path(__file__).resolve().parents[1] / "interaction_model" / "en-US.json"


def test_every_batch_is_recorded_with_its_score_as_written():
    files = {p.stem for p in BLIND.glob("*.tsv")}
    assert files and files == set(SCORES), "each batch has its scores, and each score its batch"
    model_intents = {i["name"] for i in json.loads(MODEL.read_text())["interactionModel"]["languageModel"]["intents"]}
    for name, entry in SCORES.items():
        rows = batch(name)
        assert len(rows) >= 60 and len({p for _, p, _ in rows}) == len(rows), name
        assert {label for _, _, label in rows} <= model_intents, name
        assert entry["before"]["total"] == len(rows) and entry["written"] and entry["voices"], name
        assert {"resolved", "classifier", "model_commit"} <= entry["before"].keys(), name


@cache
def recogniser() -> Recogniser:
    return Recogniser(json.loads(MODEL.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sorted(SCORES))
def test_a_blind_batch_resolves_at_least_as_well_as_its_last_recorded_score(name, capsys):
    rows = batch(name)
    misses, by_label = [], {}
    for (number, phrase, label), resolved in zip(rows, resolve([p for _, p, _ in rows]), strict=True):
        intent, _ = heard(resolved)
        hit = intent == label
        got, total = by_label.get(label, (0, 0))
        by_label[label] = (got + hit, total + 1)
        if not hit:
            misses.append(f"  line {number}: {phrase!r}: expected {label}, got {intent or 'no match'}")
    resolved_count = len(rows) - len(misses)
    latest = SCORES[name].get("after") or SCORES[name]["before"]
    with capsys.disabled():
        print(f"\nblind batch {name}: {resolved_count}/{len(rows)} (recorded: {latest['resolved']}/{latest['total']})",
              *(f"  {label}: {got}/{total}" for label, (got, total) in sorted(by_label.items())), *misses, sep="\n")
    assert resolved_count >= latest["resolved"], misses


@pytest.mark.parametrize("name", sorted(SCORES))
def test_a_classifier_trained_on_the_samples_alone_does_at_least_as_well_as_last_recorded(name, capsys):
    rows = batch(name)
    got = recogniser().intents([phrase for _, phrase, _ in rows])
    misses = [f"  line {number}: {phrase!r}: meant {label}, classified {intent}"
              for (number, phrase, label), intent in zip(rows, got, strict=True) if intent != label]
    learnt = len(rows) - len(misses)
    latest = SCORES[name].get("after") or SCORES[name]["before"]
    with capsys.disabled():
        print(f"\nblind batch {name}, classifier: {learnt}/{len(rows)} (recorded: {latest['classifier']})", *misses,
              sep="\n")
    assert learnt >= latest["classifier"], misses


def test_the_classifier_can_fail():
    """It learns from the samples: with an intent's samples gone, its lines go elsewhere."""
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        if intent["name"] == "HowManyLeftIntent":
            intent["samples"] = []
    assert "HowManyLeftIntent" not in Recogniser(model).intents(["how many are left", "how much is left"])
    assert recogniser().intents(["how many are left"]) == ["HowManyLeftIntent"]
