"""Number words have one source, `speech/locale/<locale>/numbers.json`: the timing model, the slot reader, the model
gate and virtual-alexa's matcher (tools/model/matcher.js, in Node) all read it, and read it the same way."""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path

import pytest

from runner_strength.speech import numbers
from runner_strength.speech.numbers import NumberWords, load_numbers
from runner_strength.speech.phrases import LocaleError
from runner_strength.speech.timing import number_words, spoken_words
from runner_strength.voice.conversation.slots import parse_number
from tools.model import gate

ROOT = Path(__file__).resolve().parents[1]
EN = load_numbers("en-US")


@cache
def node_number_words() -> dict[int, list[str]]:
    """What matcher.js teaches virtual-alexa to hear for 0 to 999."""
    script = ("const { numberWords } = require('./tools/model/matcher');"
              "const ways = {}; for (let n = 0; n < 1000; n += 1) { ways[n] = numberWords(n); }"
              "process.stdout.write(JSON.stringify(ways));")
    result = subprocess.run(["node", "-e", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return {int(n): ways for n, ways in json.loads(result.stdout).items()}


def disagreements(heard: dict[int, list[str]], words: NumberWords) -> list[str]:
    """Where Node's ways of saying a number and Python's reading of the same file part: Python's own way to say it
    must be one of Node's, and each of Node's must read back as the number."""
    problems = []
    for n, ways in sorted(heard.items()):
        if words.say(n) not in ways:
            problems.append(f"{n}: Python says {words.say(n)!r}, Node teaches {ways}")
        for way in ways:
            if words.read(way.split()) != n:
                problems.append(f"{n}: Node teaches {way!r}, which Python reads as {words.read(way.split())}")
    return problems


def test_python_and_node_read_the_same_number_words():
    heard = node_number_words()
    assert sorted(heard) == list(range(1000))
    assert heard[45] == ["forty five"]
    assert heard[120] == ["one hundred twenty", "one hundred and twenty", "a hundred twenty", "a hundred and twenty"]
    assert disagreements(heard, EN) == []


def planted(change) -> NumberWords:
    """The en-US numbers with `change` made to them, read as a locale's file would be."""
    data = json.loads((numbers.LOCALE_DIR / "en-US" / "numbers.json").read_text(encoding="utf-8"))
    change(data)
    return numbers._parse("xx-XX/numbers.json", data)


def test_the_agreement_check_catches_a_word_python_and_node_would_read_differently():
    misspelt = planted(lambda data: data["tens"].__setitem__(2, "fourty"))
    problems = disagreements(node_number_words(), misspelt)
    assert "40: Python says 'fourty', Node teaches ['forty']" in problems
    assert "45: Node teaches 'forty five', which Python reads as None" in problems


def test_the_timing_model_the_slot_reader_and_the_gate_read_the_file():
    assert [number_words(n) for n in (0, 19, 20, 99, 305, 2024)] == [
        "zero", "nineteen", "twenty", "ninety nine", "three hundred five", "two thousand twenty four"]
    assert spoken_words("Round 2 of 3") == ["Round", "two", "of", "three"]
    assert [parse_number(text) for text in ("20", "twenty five", "Forty-Five", "twenty and five", "a dozen", "")] == [
        20, 25, 45, 25, None, None]
    assert [parse_number(text) for text in ("a hundred and twenty", "One hundred", "nineteen hundred", "hundred",
                                            "two thousand and five", "thousand hundred", "a hundred a")] == [
        120, 100, 1900, None, 2005, None, None]


def test_every_number_the_coach_says_reads_back():
    assert [n for n in range(10_000) if parse_number(number_words(n)) != n] == []
    assert {"zero", "ninety", "hundred", "thousand", "#"} <= gate.NUMBER_WORDS and "and" not in gate.NUMBER_WORDS


@pytest.mark.parametrize(("change", "complaint"), [
    (lambda data: data["units"].pop(), "units must list 20 words"),
    (lambda data: data["tens"].__setitem__(0, "Twenty"), "tens[0] 'Twenty' must be one lowercase word"),
    (lambda data: data["tens"].__setitem__(0, "twenty one"), "tens[0] 'twenty one' must be one lowercase word"),
    (lambda data: data.pop("a_hundred"), "missing a_hundred"),
    (lambda data: data.__setitem__("and", "ten"), "a word stands for two numbers"),
])
def test_a_malformed_numbers_file_is_refused_naming_the_entry(change, complaint):
    with pytest.raises(LocaleError, match="numbers.json: " + complaint.replace("[", r"\[").replace("]", r"\]")):
        planted(change)
