"""The interaction model's quality gate: Alexa's rules and limits, and our own bar. Each check takes the parsed
model (interaction_model/<locale>.json) and returns a list of problems, each naming what is wrong.

Sources for Alexa's rules and limits (checked when this was written):
- Interaction model limits (total model size 1.5 MB, 250 intents, 350 intents and slot types combined,
  140 characters per slot value and per synonym):
  https://developer.amazon.com/en-GB/docs/alexa/custom-skills/create-the-interaction-model-for-your-skill.html#limits
  and the developer console's own error, quoted in https://github.com/m0ngr31/kanzi/issues/263
  ("Slot value length exceeds the limit of 140 characters").
- Sample utterances: spoken forms only, lowercase words, numbers spelled out; the builder rejects a token that is
  not letters, spaces and "periods for abbreviations, underscores, possessive apostrophes, and hyphens" (the
  error quoted in https://github.com/jradwan/alexa_tivo_control/issues/30). We allow apostrophes and periods
  only: virtual-alexa strips hyphens and underscores from what is said, so a sample using them never matches.
  https://developer.amazon.com/en-US/docs/alexa/custom-skills/best-practices-for-sample-utterances-and-custom-slot-type-values.html
- Invocation name requirements: two or more words, lowercase letters, spaces, possessive apostrophes and
  periods in abbreviations; no launch phrases, connecting words or wake words; a two-word name without an
  article or preposition:
  https://developer.amazon.com/docs/custom-skills/choose-the-invocation-name-for-a-custom-skill.html
  https://developer.amazon.com/en-US/docs/alexa/interaction-model-design/design-the-invocation-name-for-your-skill.html
  http://wearevoicebox.co.uk/alexa-skill-invocation-name-requirements (the requirements list, quoted in full)
Our own bar, stricter than Alexa's where noted: at least 30 samples per custom intent (60 for building a circuit),
synonyms for every slot value but an exercise's (named as the coach names it), no sample repeated, no phrase two
intents could both take once slots are filled, no two slots side by side (virtual-alexa can never split them), and
at most 200 characters a sample (no published per-sample cap was found; the 1.5 MB total is the binding documented
limit).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from runner_strength.speech.numbers import load_numbers
from runner_strength.speech.phrases import DEFAULT_LOCALE

MAX_MODEL_BYTES = 1_500_000  # 1.5 MB, Amazon's limit on the whole interaction model
MAX_INTENTS = 250
MAX_INTENTS_AND_TYPES = 350
MAX_VALUE_CHARS = 140  # per slot value and per synonym
MAX_SAMPLE_CHARS = 200  # ours
MIN_SAMPLES = 30
MIN_SAMPLES_BY_INTENT = {"BuildCircuitIntent": 60}

_WORD = r"(?:[a-z]+(?:'[a-z]+)*|(?:[a-z]\.)+)"
_SAMPLE = re.compile(rf"^(?:{_WORD}|\{{[A-Za-z]\w*\}})(?: (?:{_WORD}|\{{[A-Za-z]\w*\}}))*$")
_PHRASE = re.compile(rf"^{_WORD}(?: {_WORD})*$")
_SLOT = re.compile(r"\{([A-Za-z]\w*)\}")
LAUNCH_WORDS = {"ask", "begin", "do", "launch", "load", "open", "play", "resume", "run", "start", "talk", "tell",
                "use", "enable"}
CONNECTING_WORDS = {"to", "from", "in", "using", "with", "about", "for", "that", "by", "if", "and", "whether"}
WAKE_WORDS = {"alexa", "amazon", "echo", "computer", "skill", "app"}
ARTICLES_AND_PREPOSITIONS = {"the", "a", "an", "for", "to", "of", "about", "up", "by", "at", "off", "with"}
# Slot types generated from data (tools/model/expand.py), each value the name the coach says: a runner who repeats it
# is understood, so other ways of saying one are welcome but not required (a new exercise needs no grammar line).
NAMED_BY_DATA = frozenset({"ExerciseType"})
# The words a number slot can be filled with (the en-US model is the one there is); "#" stands for digits, which no
# sample contains.
NUMBER_WORDS = load_numbers(DEFAULT_LOCALE).vocabulary | {"#"}


def language_model(model: Mapping[str, Any]) -> Mapping[str, Any]:
    return model["interactionModel"]["languageModel"]


def custom(intent_name: str) -> bool:
    return not intent_name.startswith("AMAZON.")


def sample_counts(model: Mapping[str, Any]) -> list[str]:
    problems = []
    for intent in language_model(model)["intents"]:
        count, name = len(intent.get("samples") or []), intent["name"]
        least = MIN_SAMPLES_BY_INTENT.get(name, MIN_SAMPLES if custom(name) else 0)
        if count < least:
            problems.append(f"{name} has {count} samples; it needs at least {least}")
    return problems


def repeated_samples(model: Mapping[str, Any]) -> list[str]:
    """A sample said twice, in one intent or two; within an intent, slots of the same type count as the same
    ("{area} workout" and "{secondArea} workout" are one phrase filled two ways)."""
    problems = []
    owner: dict[str, str] = {}
    for intent in language_model(model)["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent.get("slots") or []}
        seen: dict[str, str] = {}
        for sample in intent.get("samples") or []:
            text = " ".join(sample.split())
            if text in owner:
                problems.append(f'"{sample}" is a sample of both {owner[text]} and {intent["name"]}')
            owner.setdefault(text, intent["name"])
            shape = _SLOT.sub(lambda m, types=types: "{" + types.get(m[1], m[1]) + "}", text)
            if shape in seen and seen[shape] != text:
                problems.append(f'{intent["name"]}: "{sample}" repeats "{seen[shape]}" with another slot')
            elif shape in seen:
                problems.append(f'{intent["name"]}: "{sample}" is listed twice')
            seen.setdefault(shape, text)
    return problems


def slot_declarations(model: Mapping[str, Any]) -> list[str]:
    lm = language_model(model)
    custom_types = {t["name"] for t in lm.get("types") or []}
    used_types: set[str] = set()
    problems = []
    for intent in lm["intents"]:
        declared = [slot["name"] for slot in intent.get("slots") or []]
        used = {name for sample in intent.get("samples") or [] for name in _SLOT.findall(sample)}
        for name in sorted(used - set(declared)):
            problems.append(f"{intent['name']} uses slot {name} but does not declare it")
        for name in sorted(set(declared) - used):
            problems.append(f"{intent['name']} declares slot {name} but no sample uses it")
        if len(declared) != len(set(declared)):
            problems.append(f"{intent['name']} declares a slot twice")
        for slot in intent.get("slots") or []:
            used_types.add(slot["type"])
            if slot["type"] not in custom_types and not slot["type"].startswith("AMAZON."):
                problems.append(f"{intent['name']}.{slot['name']} has undefined type {slot['type']}")
    for name in sorted(custom_types - used_types):
        problems.append(f"slot type {name} is defined but no slot uses it")
    return problems


def slot_values(model: Mapping[str, Any]) -> list[str]:
    problems = []
    for slot_type in language_model(model).get("types") or []:
        name, ids, phrases = slot_type["name"], set(), {}
        if not slot_type.get("values"):
            problems.append(f"slot type {name} has no values")
        for value in slot_type.get("values") or []:
            value_id, words = value.get("id"), value.get("name") or {}
            if not value_id:
                problems.append(f"{name}: value {words.get('value')!r} has no id")
            elif value_id in ids:
                problems.append(f"{name}: id {value_id} is used twice")
            ids.add(value_id)
            if not words.get("synonyms") and name not in NAMED_BY_DATA:
                problems.append(f"{name}.{value_id}: no synonyms")
            for phrase in [words.get("value") or "", *(words.get("synonyms") or [])]:
                if not _PHRASE.match(phrase):
                    problems.append(f"{name}.{value_id}: {phrase!r} is not lowercase words")
                if len(phrase) > MAX_VALUE_CHARS:
                    problems.append(f"{name}.{value_id}: {phrase!r} is over {MAX_VALUE_CHARS} characters")
                if phrase in phrases and phrases[phrase] != value_id:
                    problems.append(f"{name}: {phrase!r} means both {phrases[phrase]} and {value_id}")
                elif phrase in phrases:
                    problems.append(f"{name}.{value_id}: {phrase!r} is listed twice")
                phrases[phrase] = value_id
    return problems


def sample_rules(model: Mapping[str, Any]) -> list[str]:
    problems = []
    for intent in language_model(model)["intents"]:
        for sample in intent.get("samples") or []:
            if not _SAMPLE.match(sample):
                problems.append(f'{intent["name"]}: "{sample}" must be lowercase words and {{slots}} separated by '
                                "single spaces, with only apostrophes and abbreviation periods, numbers as words")
            elif len(sample) > MAX_SAMPLE_CHARS:
                problems.append(f'{intent["name"]}: "{sample}" is over {MAX_SAMPLE_CHARS} characters')
            elif re.search(r"\}\s*\{", sample):
                problems.append(f'{intent["name"]}: "{sample}" has two slots with no word between them')
    return problems


def invocation_name(model: Mapping[str, Any]) -> list[str]:
    name = language_model(model)["invocationName"]
    words = name.split()
    problems = []
    if not re.fullmatch(r"[a-z][a-z'. ]*", name) or "  " in name or name != name.strip():
        problems.append(f"invocation name {name!r}: only lowercase letters, single spaces, apostrophes and periods")
    if len(words) < 2:
        problems.append(f"invocation name {name!r}: needs two or more words")
    for word in words:
        if word in LAUNCH_WORDS | CONNECTING_WORDS | WAKE_WORDS:
            problems.append(f"invocation name {name!r}: {word!r} is a launch, connecting or wake word")
    if len(words) == 2 and set(words) & ARTICLES_AND_PREPOSITIONS:
        problems.append(f"invocation name {name!r}: a two-word name cannot use an article or preposition")
    return problems


def size_limits(model: Mapping[str, Any], text: str) -> list[str]:
    lm = language_model(model)
    intents, types = len(lm["intents"]), len(lm.get("types") or [])
    size = len(text.encode("utf-8"))
    problems = []
    if size > MAX_MODEL_BYTES:
        problems.append(f"the model is {size} bytes, over Alexa's {MAX_MODEL_BYTES}")
    if intents > MAX_INTENTS:
        problems.append(f"{intents} intents, over Alexa's {MAX_INTENTS}")
    if intents + types > MAX_INTENTS_AND_TYPES:
        problems.append(f"{intents} intents and {types} slot types, over Alexa's {MAX_INTENTS_AND_TYPES} together")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Overlaps: a phrase two intents could both take. Every sample is a small automaton over words (a slot accepts any
# of its type's values and synonyms, a number slot any run of number words); the automata of all samples are run
# together, tracking which samples could still be matching after each word, and only along prefixes that two
# intents share. A set of samples that could all be complete at once, from two intents, is an overlap.


@dataclass
class _Trie:
    children: list[dict[str, int]] = field(default_factory=lambda: [{}])
    terminal: list[bool] = field(default_factory=lambda: [False])

    def add(self, words: list[str]) -> None:
        node = 0
        for word in words:
            if word not in self.children[node]:
                self.children.append({})
                self.terminal.append(False)
                self.children[node][word] = len(self.children) - 1
            node = self.children[node][word]
        self.terminal[node] = True


@dataclass(frozen=True)
class _Sample:
    intent: str
    text: str
    tokens: tuple[tuple[str, str], ...]  # ("word", w), ("number", ""), or ("type", type name)


def _samples(model: Mapping[str, Any]) -> list[_Sample]:
    found = []
    for intent in language_model(model)["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent.get("slots") or []}
        for sample in intent.get("samples") or []:
            tokens = []
            for word in sample.split():
                slot = _SLOT.fullmatch(word)
                if slot is None:
                    tokens.append(("word", word))
                elif types.get(slot[1]) == "AMAZON.NUMBER":
                    tokens.append(("number", ""))
                else:
                    tokens.append(("type", types.get(slot[1], "")))
            found.append(_Sample(intent["name"], sample, tuple(tokens)))
    return found


def overlaps(model: Mapping[str, Any], most: int = 25) -> list[str]:
    """Phrases that samples of two intents both match, with slots filled from their types' values and synonyms
    (numbers by number words); at most `most` of them, each with one example phrase."""
    tries: dict[str, _Trie] = defaultdict(_Trie)
    for slot_type in language_model(model).get("types") or []:
        for value in slot_type["values"]:
            for phrase in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                tries[slot_type["name"]].add(phrase.lower().split())
    samples = _samples(model)

    def moves(state: tuple[int, int, int]) -> Iterator[tuple[str, tuple[int, int, int]]]:
        index, position, node = state
        tokens = samples[index].tokens
        if position == len(tokens):
            return
        kind, value = tokens[position]
        if kind == "word":
            yield value, (index, position + 1, -1)
        elif kind == "number":
            for word in NUMBER_WORDS:
                yield word, (index, position, 0)
                yield word, (index, position + 1, -1)
        else:
            trie = tries[value]
            for word, child in trie.children[max(node, 0)].items():
                if trie.children[child]:
                    yield word, (index, position, child)
                if trie.terminal[child]:
                    yield word, (index, position + 1, -1)

    start = frozenset((index, 0, -1) for index in range(len(samples)))
    queue: list[tuple[frozenset, tuple[str, ...]]] = [(start, ())]
    seen = {start}
    found: dict[tuple[str, str], str] = {}
    while queue and len(found) < most:
        states, words = queue.pop()
        done = [samples[i] for i, position, _ in states if position == len(samples[i].tokens)]
        for first in done:
            for second in done:
                if first.intent < second.intent and (first.text, second.text) not in found:
                    phrase = " ".join(words)
                    found[first.text, second.text] = (
                        f'"{phrase}" matches {first.intent} "{first.text}" and {second.intent} "{second.text}"')
        following: dict[str, set] = defaultdict(set)
        for state in states:
            for word, target in moves(state):
                following[word].add(target)
        for word, targets in following.items():
            if len({samples[i].intent for i, _, _ in targets}) < 2:
                continue  # only one intent can still match: no overlap ahead
            frozen = frozenset(targets)
            if frozen not in seen:
                seen.add(frozen)
                queue.append((frozen, (*words, word)))
    return list(found.values())[:most]


CHECKS = (sample_counts, repeated_samples, slot_declarations, slot_values, sample_rules, invocation_name, overlaps)


def problems(model: Mapping[str, Any], text: str) -> list[str]:
    """Every problem every check finds."""
    return [problem for check in CHECKS for problem in check(model)] + size_limits(model, text)
