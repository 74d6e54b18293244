"""Everything a runner hears, loaded from `locale/<locale>/`: lines with variants, and exercise texts.

`phrases.json` maps a line's key to its variants (`{name}` placeholders); `exercises.json` maps an exercise id
to its spoken name, set-up, cue and how-to. A translator adds a language by adding a folder.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import MutableMapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from runner_strength.jsonfile import read_json

LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT_LOCALE = "en-US"
_EXERCISE_FIELDS = ("name", "setup", "cue", "how_to")


class LocaleError(ValueError):
    """A locale file is malformed; the message names the file and the bad entry."""


@dataclass(frozen=True)
class ExerciseText:
    """What the coach says about one exercise: its `name`; its `setup`, how to get into the starting position
    (said once, in the rest before its first set, just after the name); its `cue`, the one form point said as the
    work starts; and its `how_to`, the whole explanation, read when the runner asks."""

    name: str
    setup: str
    cue: str
    how_to: str


@dataclass(frozen=True)
class LocaleText:
    locale: str
    phrases: dict[str, tuple[str, ...]]
    exercises: dict[str, ExerciseText]


def placeholders(line: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(line) if name}


def _read(path: Path) -> dict:
    data = read_json(path, LocaleError)
    if not isinstance(data, dict):
        raise LocaleError(f"{path}: must be an object")
    return data


def _parse_phrases(path: Path) -> dict[str, tuple[str, ...]]:
    phrases = {}
    for key, variants in _read(path).items():
        if isinstance(variants, str):
            variants = [variants]
        if not variants or not all(isinstance(v, str) and v.strip() for v in variants):
            raise LocaleError(f"{path}: line {key!r} needs one or more non-empty variants")
        if len({frozenset(placeholders(v)) for v in variants}) > 1:
            raise LocaleError(f"{path}: the variants of {key!r} use different placeholders")
        phrases[key] = tuple(variants)
    return phrases


def _parse_exercises(path: Path) -> dict[str, ExerciseText]:
    exercises = {}
    for ex_id, entry in _read(path).items():
        if not isinstance(entry, dict):
            raise LocaleError(f"{path}: exercise {ex_id!r} must be an object of {', '.join(_EXERCISE_FIELDS)}")
        missing = [f for f in _EXERCISE_FIELDS if f not in entry]
        unknown = sorted(set(entry) - set(_EXERCISE_FIELDS))
        if missing or unknown:
            problems = ([f"is missing {', '.join(missing)}"] if missing else []) + \
                ([f"has unknown {', '.join(unknown)}"] if unknown else [])
            raise LocaleError(f"{path}: exercise {ex_id!r} {' and '.join(problems)} "
                              f"(needs exactly {', '.join(_EXERCISE_FIELDS)})")
        empty = [f for f in _EXERCISE_FIELDS if not (isinstance(entry[f], str) and entry[f].strip())]
        if empty:
            raise LocaleError(f"{path}: exercise {ex_id!r} has an empty {', '.join(empty)}")
        exercises[ex_id] = ExerciseText(**entry)
    return exercises


@cache
def load_locale(locale: str) -> LocaleText:
    folder = LOCALE_DIR / locale
    return LocaleText(locale, _parse_phrases(folder / "phrases.json"), _parse_exercises(folder / "exercises.json"))


@cache
def available_locales() -> tuple[str, ...]:
    """The locale folders, read once a process: a new language is a deploy."""
    return tuple(sorted(p.name for p in LOCALE_DIR.iterdir() if (p / "phrases.json").exists()))


def best_locale(requested: str | None) -> str:
    """The requested locale, else one of the same language, else the default."""
    locales = available_locales()
    if requested in locales:
        return requested
    language = (requested or "").split("-")[0]
    return next((loc for loc in locales if loc.split("-")[0] == language), DEFAULT_LOCALE)


@cache
def _sentence_openers(template: str) -> frozenset[str]:
    """The placeholders a template opens a sentence with."""
    return frozenset(re.findall(r"(?:^|[.!?]\s+)\{(\w+)\}", template))


def _capitalised(value: object) -> object:
    return value[0].upper() + value[1:] if isinstance(value, str) and value[:1].islower() else value


class Voice:
    """Lines for one conversation. `recent` remembers the variant last used per line (kept in the session),
    so a line heard often never comes out the same way twice in a row."""

    def __init__(self, text: LocaleText, rng: random.Random, recent: MutableMapping[str, int]) -> None:
        self.text = text
        self._rng = rng
        self._recent = recent

    def line(self, key: str, **params: object) -> str:
        variants = self.text.phrases[key]
        choices = [i for i in range(len(variants)) if i != self._recent.get(key)] or [0]
        index = self._rng.choice(choices)
        if len(variants) > 1:
            self._recent[key] = index
        template = variants[index]
        # A sentence that opens with a placeholder ("{name} is as hard as it gets.", "… squat. {rounds}, …")
        # starts with a capital, as written text would; fragments for other lines (no closing stop) are left as
        # they are.
        said = template.format(**params)
        openers = _sentence_openers(template)
        if openers and said[-1:] in ".!?":
            said = template.format(**{key: _capitalised(value) if key in openers else value
                                      for key, value in params.items()})
        return said

    def amount(self, unit: str, n: int) -> str:
        """A count with its unit, "1 round" or "3 rounds", from the lines `unit.<unit>.one` and `.other`."""
        key = f"unit.{unit}.one" if n == 1 and f"unit.{unit}.one" in self.text.phrases else f"unit.{unit}.other"
        return self.line(key, n=n)

    def exercise(self, exercise_id: str) -> ExerciseText:
        return self.text.exercises[exercise_id]

    def area(self, area: str) -> str:
        return self.line(f"area.{area}")

    def listing(self, items: list[str]) -> str:
        """Items joined as a person lists them: "a, b and c"."""
        if len(items) <= 1:
            return "".join(items)
        return self.line("list", items=", ".join(items[:-1]), last=items[-1])
