"""Expands the interaction model's grammar (interaction_model/grammar/<locale>.yaml) into
interaction_model/<locale>.json, the model Alexa and virtual-alexa read.

    python tools/model/expand.py            # write every locale's model and report its gate (make model)
    python tools/model/expand.py --check    # exit 1 if a committed model differs from its expansion

A slot type is a list of values (id, value, synonyms), or `from_catalog:`: a value for every exercise in the
catalog (lambda/runner_strength/training/catalog.json), its id the exercise's and its value the name the coach says
(the locale's exercises.json, lowercase, hyphens as spaces), with synonyms listed by id. So the catalog and the
model cannot fall out of step: adding an exercise is its catalog entry and its locale text, then `make model`.

A sample template is plain words with four kinds of markup:
    (a|b|)      one of the alternatives; an empty one makes the group optional
    [a]         optional, the same as (a|)
    @name       one of the phrases listed under `phrases: name:` (a list is a set of alternatives)
    {slot}      a slot, kept as it is; it must be declared in the intent's `slots`
Every template expands to all its combinations; whitespace is normalised and duplicates dropped. The output is
deterministic: intents and types in grammar order, samples sorted, values in grammar order.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT, ROOT / "lambda"):  # run as a script: python tools/model/expand.py
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
from runner_strength.speech.phrases import load_locale  # noqa: E402
from runner_strength.training.catalog import load_catalog  # noqa: E402
from tools.model import gate  # noqa: E402

MODEL_DIR = ROOT / "interaction_model"
GRAMMAR_DIR = MODEL_DIR / "grammar"

_TOKEN = re.compile(r"\(|\)|\[|\]|\||@[a-z_][a-z0-9_]*|\{[A-Za-z]\w*\}|[^()\[\]|@{}]+|.", re.S)
_SLOT = re.compile(r"\{([A-Za-z]\w*)\}")


class GrammarError(ValueError):
    """A grammar entry that cannot be expanded; the message names the entry."""


def _parse(template: str, where: str) -> list:
    """A template as a sequence of parts: a string, or a list of alternatives (each a sequence)."""
    tokens = _TOKEN.findall(template)
    position = 0

    def sequence(closers: str) -> list:
        nonlocal position
        parts: list = []
        while position < len(tokens):
            token = tokens[position]
            if token in closers or token == "|":
                return parts
            position += 1
            if token == "(":
                parts.append(alternatives(")"))
            elif token == "[":
                parts.append([*alternatives("]"), []])
            elif token in ")]":
                raise GrammarError(f"{where}: unbalanced {token!r} in {template!r}")
            elif token in "{}@":
                raise GrammarError(f"{where}: stray {token!r} in {template!r}")
            else:
                parts.append(token)
        return parts

    def alternatives(closer: str) -> list:
        nonlocal position
        options = [sequence(closer + "|")]
        while position < len(tokens) and tokens[position] == "|":
            position += 1
            options.append(sequence(closer + "|"))
        if position >= len(tokens) or tokens[position] != closer:
            raise GrammarError(f"{where}: missing {closer!r} in {template!r}")
        position += 1
        return options

    parts = sequence("")
    if position != len(tokens):
        raise GrammarError(f"{where}: unexpected {tokens[position]!r} in {template!r}")
    return parts


class Expander:
    def __init__(self, phrases: Mapping[str, Any]) -> None:
        self._phrases = {name: [value] if isinstance(value, str) else list(value) for name, value in phrases.items()}
        self._cache: dict[str, list[str]] = {}

    def phrase(self, name: str, where: str, seen: tuple[str, ...] = ()) -> list[str]:
        if name in seen:
            raise GrammarError(f"{where}: @{name} refers to itself")
        if name not in self._phrases:
            raise GrammarError(f"{where}: unknown phrase @{name}")
        if name not in self._cache:
            found: list[str] = []
            for template in self._phrases[name]:
                found.extend(self.expand(template, f"phrases.{name}", (*seen, name)))
            self._cache[name] = found
        return self._cache[name]

    def expand(self, template: str, where: str, seen: tuple[str, ...] = ()) -> list[str]:
        """Every string `template` stands for, in a stable order, whitespace normalised."""
        if not isinstance(template, str):
            raise GrammarError(f"{where}: a template must be a string, not {template!r}")
        parts = _parse(template, where)
        return [" ".join(text.split()) for text in self._sequence(parts, where, seen)]

    def _sequence(self, parts: list, where: str, seen: tuple[str, ...]) -> list[str]:
        choices: list[list[str]] = []
        for part in parts:
            if isinstance(part, list):
                choices.append([text for option in part for text in self._sequence(option, where, seen)])
            elif part.startswith("@"):
                choices.append([f" {text} " for text in self.phrase(part[1:], where, seen)])
            else:
                choices.append([part])
        return ["".join(combination) for combination in itertools.product(*choices)]


def _unique(items: Iterable[str]) -> list[str]:
    return sorted(set(items))


def _slot_type(intent: str, slots: Mapping[str, str], types: Mapping[str, Any], name: str) -> dict[str, str]:
    slot_type = slots[name]
    if not slot_type.startswith("AMAZON.") and slot_type not in types:
        raise GrammarError(f"intents.{intent}: slot {name} has unknown type {slot_type}")
    return {"name": name, "type": slot_type}


def build(grammar: Mapping[str, Any], locale: str = "en-US") -> dict[str, Any]:
    """The interaction model for a parsed grammar, in `locale` (where names generated from data are read)."""
    expander = Expander(grammar.get("phrases") or {})
    types = grammar.get("types") or {}
    intents = []
    for entry in grammar["intents"]:
        name = entry["name"]
        slots = entry.get("slots") or {}
        samples = []
        for template in entry.get("samples") or []:
            for sample in expander.expand(template, f"intents.{name}"):
                unknown = sorted(set(_SLOT.findall(sample)) - set(slots))
                if unknown:
                    raise GrammarError(f"intents.{name}: {sample!r} uses undeclared slot {unknown[0]}")
                samples.append(sample)
        intents.append({
            "name": name,
            "slots": [_slot_type(name, slots, types, slot) for slot in slots],
            "samples": _unique(samples),
        })
    return {"interactionModel": {"languageModel": {
        "invocationName": grammar["invocation"],
        "intents": intents,
        "types": [{"name": type_name, "values": _values(type_name, values, locale)}
                  for type_name, values in types.items()],
    }}}


def _values(type_name: str, values: Any, locale: str) -> list[dict[str, Any]]:
    if isinstance(values, Mapping) and set(values) == {"from_catalog"}:
        return catalog_values(type_name, values["from_catalog"] or {}, locale)
    if not isinstance(values, list):
        raise GrammarError(f"types.{type_name}: a list of values, or from_catalog: synonyms by exercise id")
    return [_value(type_name, value) for value in values]


def spoken(name: str) -> str:
    """A name as a slot value is written: lowercase words, hyphens as spaces ("Prone Y-T-W raise" is
    "prone y t w raise")."""
    return " ".join(name.lower().replace("-", " ").split())


def catalog_values(type_name: str, synonyms: Mapping[str, Any], locale: str) -> list[dict[str, Any]]:
    """A value for every exercise in the catalog, in its order: the id, the name the coach says in `locale`, and the
    synonyms listed for the id."""
    catalog, names = load_catalog(), load_locale(locale).exercises
    unknown = sorted(set(synonyms) - set(catalog.exercises))
    if unknown:
        raise GrammarError(f"types.{type_name}.from_catalog: {unknown[0]} is not an exercise in the catalog")
    values = []
    for exercise_id in catalog.exercises:
        if exercise_id not in names:
            raise GrammarError(f"types.{type_name}: {exercise_id} has no name in locale/{locale}/exercises.json")
        listed = synonyms.get(exercise_id) or []
        if not isinstance(listed, list) or not all(isinstance(phrase, str) for phrase in listed):
            raise GrammarError(f"types.{type_name}.from_catalog.{exercise_id}: synonyms must be a list of phrases")
        values.append({"id": exercise_id, "name": {"value": spoken(names[exercise_id].name), "synonyms": listed}})
    return values


def _value(type_name: str, value: Mapping[str, Any]) -> dict[str, Any]:
    if not value.get("id") or not value.get("value"):
        raise GrammarError(f"types.{type_name}: every value needs an id and a value, not {dict(value)!r}")
    return {"id": value["id"], "name": {"value": value["value"], "synonyms": list(value.get("synonyms") or [])}}


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def render(model: Mapping[str, Any]) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def expanded(locale: str) -> str:
    """The model text the grammar for `locale` expands to."""
    return render(build(load(GRAMMAR_DIR / f"{locale}.yaml"), locale))


def locales() -> list[str]:
    return sorted(path.stem for path in GRAMMAR_DIR.glob("*.yaml"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a committed model differs from its grammar")
    args = parser.parse_args(argv)
    stale, failing = [], []
    for locale in locales():
        text = expanded(locale)
        target = MODEL_DIR / f"{locale}.json"
        model = json.loads(text)["interactionModel"]["languageModel"]
        counts = ", ".join(f"{intent['name']} {len(intent['samples'])}" for intent in model["intents"])
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(target)
            continue
        target.write_text(text, encoding="utf-8")
        total = sum(len(intent["samples"]) for intent in model["intents"])
        print(f"{target.relative_to(ROOT)}: {total} samples, {len(text.encode())} bytes ({counts})")
        failing += [f"{locale}: {problem}" for problem in gate.problems(json.loads(text), text)]
    for target in stale:
        print(f"{target.relative_to(ROOT)} differs from its grammar; run make model", file=sys.stderr)
    for problem in failing:
        print(f"gate: {problem}", file=sys.stderr)
    return 1 if stale or failing else 0


if __name__ == "__main__":
    sys.exit(main())
