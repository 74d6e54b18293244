"""The second yardstick for the language model (issue 23): an estimate of a statistical recogniser, next to exact
matching through virtual-alexa.

virtual-alexa takes a phrase only if it fits a sample, so it is a floor: Alexa's recogniser generalises from the
samples. This estimates how far, with a classifier trained on the model's samples alone (every sample with its slots
filled by the slot type's values, as Alexa would hear them) on word and character n-grams. It is not Alexa's
recogniser; it answers a narrower question: is there enough in the samples for a learner to find the intent? Where
a phrase fails both yardsticks, samples are missing; where it fails exact matching only, the runner depends on
Alexa generalising.

    python tools/model/recogniser.py                    # score every blind batch (tests/data/blind) both ways
    python tools/model/recogniser.py --misses batch_c   # and list what the classifier gets wrong

Test and development only (scikit-learn is a dev dependency, never in the Lambda package). Deterministic: the slot
fills come from a seeded generator and the classifier is linear with a fixed seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT, ROOT / "lambda"):  # run as a script: python tools/model/recogniser.py
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
from runner_strength.speech.numbers import load_numbers  # noqa: E402

MODEL = ROOT / "interaction_model" / "en-US.json"
BLIND = ROOT / "tests" / "data" / "blind"
FILLS = 2  # each sample is learnt with this many fillings of its slots
PER_INTENT = 2500  # about this many samples an intent at most, each kept or not by its own seed (_stable)
_SLOT = re.compile(r"\{(\w+)\}")


def _slot_words(language_model: dict[str, Any], locale: str) -> dict[str, list[str]]:
    """Every way a slot type can be filled: its values and synonyms; numbers as the words a runner says."""
    words = {t["name"]: [w for v in t["values"] for w in (v["name"]["value"], *v["name"].get("synonyms", ()))]
             for t in language_model["types"]}
    say = load_numbers(locale).say
    words["AMAZON.NUMBER"] = [say(n) for n in (*range(1, 21), 25, 30, 40, 45, 60, 90, 120)]
    return words


def _stable(*key: str) -> random.Random:
    """A generator seeded by `key` alone: a sample's fills and whether it is learnt do not move when other samples
    are added or removed, so a grammar change moves the estimate only where it changed the grammar."""
    return random.Random(hashlib.sha256("\x1f".join(key).encode()).digest())


def training_set(model: dict[str, Any], locale: str = "en-US", seed: int = 0) -> list[tuple[str, str]]:
    """(phrase, intent) for every sample of the model, its slots filled `FILLS` times from their types; an intent
    with more than `PER_INTENT` samples is learnt from about that many of them."""
    language_model = model["interactionModel"]["languageModel"]
    words = _slot_words(language_model, locale)
    rows: list[tuple[str, str]] = []
    for intent in language_model["intents"]:
        name = intent["name"]
        types = {slot["name"]: slot["type"] for slot in intent.get("slots") or ()}
        samples = intent.get("samples", ())
        share = min(1.0, PER_INTENT / len(samples)) if samples else 1.0
        filled: set[str] = set()
        for sample in samples:
            rng = _stable(str(seed), name, sample)
            if rng.random() >= share:
                continue
            for _ in range(FILLS if types else 1):
                filled.add(_SLOT.sub(lambda match, rng=rng, types=types: rng.choice(words[types[match[1]]]), sample))
        rows.extend((phrase, name) for phrase in sorted(filled))
    return rows


class Recogniser:
    """A linear classifier on word (1-2) and character (2-5, within words) n-grams, trained on the model's samples."""

    def __init__(self, model: dict[str, Any], locale: str = "en-US") -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import make_pipeline, make_union
        from sklearn.svm import LinearSVC

        rows = training_set(model, locale)
        self.pipeline = make_pipeline(
            make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
            LinearSVC(C=0.5, class_weight="balanced", random_state=0))
        self.pipeline.fit([phrase for phrase, _ in rows], [intent for _, intent in rows])
        self.samples = len(rows)

    def intents(self, phrases: Sequence[str]) -> list[str]:
        return list(self.pipeline.predict(list(phrases))) if phrases else []


def blind_batch(name: str) -> list[tuple[int, str, str]]:
    """(line number, phrase, the intent meant) for each line of tests/data/blind/<name>.tsv."""
    rows = []
    for number, line in enumerate((BLIND / f"{name}.tsv").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            phrase, label = line.split("\t")[:2]
            rows.append((number, phrase, label))
    return rows


def score(meant: Iterable[str], got: Iterable[str | None]) -> tuple[int, dict[str, tuple[int, int]]]:
    """How many were got as meant, and per intent meant (got, total)."""
    by_label: Counter = Counter()
    totals: Counter = Counter()
    for label, intent in zip(meant, got, strict=True):
        totals[label] += 1
        by_label[label] += intent == label
    return sum(by_label.values()), {label: (by_label[label], totals[label]) for label in sorted(totals)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", nargs="*", default=(), help="list the classifier's misses for these batches")
    parser.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    from tests.test_heldout import heard, resolve  # the exact-matching yardstick, through virtual-alexa

    recogniser = Recogniser(json.loads(args.model.read_text(encoding="utf-8")))
    print(f"classifier trained on {recogniser.samples} filled samples")
    for name in sorted(path.stem for path in BLIND.glob("*.tsv")):
        rows = blind_batch(name)
        phrases, meant = [p for _, p, _ in rows], [label for _, _, label in rows]
        exact, _ = score(meant, (heard(r)[0] for r in resolve(phrases)))
        guessed = recogniser.intents(phrases)
        learnt, _ = score(meant, guessed)
        print(f"{name}: exact matching {exact}/{len(rows)}, classifier {learnt}/{len(rows)}")
        if name in args.misses:
            for (number, phrase, label), intent in zip(rows, guessed, strict=True):
                if intent != label:
                    print(f"  line {number}: {phrase!r}: meant {label}, classified {intent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
