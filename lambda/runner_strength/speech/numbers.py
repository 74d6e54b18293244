"""How a locale says whole numbers, read from `locale/<locale>/numbers.json`.

That file is the one source of number words: the speech timing model reads "20" as its words (speech/timing.py),
the model gate knows which words can fill a number slot (tools/model/gate.py), and virtual-alexa's matcher is taught
to hear 0 to 999 and send them as digits, as Alexa does (tools/model/matcher.js, which reads the same file). It holds
`units` (the words for 0 to 19), `tens` (20, 30, ... 90), the words for `hundred` and `thousand`, `and` (which may be
said after the hundreds: "one hundred and twenty") and `a_hundred` (another way to say one hundred).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from runner_strength.jsonfile import read_json

from .phrases import LOCALE_DIR, LocaleError

_WORD = re.compile(r"[^\W\d_]+")
_PHRASE = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


@dataclass(frozen=True)
class NumberWords:
    units: tuple[str, ...]  # 0 to 19
    tens: tuple[str, ...]  # 20, 30, ... 90
    hundred: str
    thousand: str
    and_: str
    a_hundred: str

    def say(self, n: int) -> str:
        """How a whole number is read: 21 is "twenty one", 120 "one hundred twenty"."""
        if n < 20:
            return self.units[n]
        if n < 100:
            return self.tens[n // 10 - 2] + ("" if n % 10 == 0 else " " + self.units[n % 10])
        if n < 1000:
            return f"{self.units[n // 100]} {self.hundred}" + ("" if n % 100 == 0 else " " + self.say(n % 100))
        return f"{self.say(n // 1000)} {self.thousand}" + ("" if n % 1000 == 0 else " " + self.say(n % 1000))

    @property
    def vocabulary(self) -> frozenset[str]:
        """The words numbers are made of (`and` is only said between them)."""
        return frozenset((*self.units, *self.tens, self.hundred, self.thousand))


def _parse(path: str, data: Any) -> NumberWords:
    def fail(problem: str) -> LocaleError:
        return LocaleError(f"{path}: {problem}")

    if not isinstance(data, dict):
        raise fail("must be an object")
    missing = {"units", "tens", "hundred", "thousand", "and", "a_hundred"} - data.keys()
    if missing:
        raise fail(f"missing {', '.join(sorted(missing))}")
    for key, count in (("units", 20), ("tens", 8)):
        words = data[key]
        if not isinstance(words, list) or len(words) != count:
            raise fail(f"{key} must list {count} words")
        for index, word in enumerate(words):
            # Single words: the slot reader and virtual-alexa's matcher take a number apart word by word.
            if not isinstance(word, str) or not _WORD.fullmatch(word) or word != word.lower():
                raise fail(f"{key}[{index}] {word!r} must be one lowercase word")
    for key in ("hundred", "thousand", "and"):
        if not isinstance(data[key], str) or not _WORD.fullmatch(data[key]) or data[key] != data[key].lower():
            raise fail(f"{key} {data[key]!r} must be one lowercase word")
    a_hundred = data["a_hundred"]
    if not isinstance(a_hundred, str) or not _PHRASE.fullmatch(a_hundred) or a_hundred != a_hundred.lower():
        raise fail(f"a_hundred {a_hundred!r} must be lowercase words")
    every = [*data["units"], *data["tens"], data["hundred"], data["thousand"], data["and"]]
    if len(set(every)) != len(every):
        raise fail("a word stands for two numbers")
    return NumberWords(tuple(data["units"]), tuple(data["tens"]), data["hundred"], data["thousand"], data["and"],
                       a_hundred)


@cache
def load_numbers(locale: str) -> NumberWords:
    path = LOCALE_DIR / locale / "numbers.json"
    return _parse(str(path), read_json(path, LocaleError))
