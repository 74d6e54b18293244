"""Number words have one source, `speech/locale/<locale>/numbers.json`: the timing model, the model gate and
virtual-alexa's matcher (tools/model/matcher.js, in Node) all read it, and read it the same way. The skill itself reads
numbers only as digits, as Alexa sends them: the matcher turns the words it hears into digits before sending."""

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
def node_number_words() -> dict[int, dict[str, str]]:
    """What matcher.js teaches virtual-alexa to hear for 0 to 999, each way with the slot value the skill receives
    when a runner says it in a number slot (SetRestIntent's seconds)."""
    script = ("const { numberWords, teachNumberWords } = require('./tools/model/matcher');"
              "const { VirtualAlexa } = require('virtual-alexa');"
              "teachNumberWords();"
              "const alexa = VirtualAlexa.Builder().interactionModelFile('interaction_model/en-US.json')"
              "  .skillURL('http://127.0.0.1:9/').create();"
              "const sent = (way) => alexa.request().intent('SetRestIntent').slot('seconds', way).json()"
              "  .request.intent.slots.seconds.value;"
              "const ways = {}; for (let n = 0; n < 1000; n += 1) {"
              "  ways[n] = Object.fromEntries(numberWords(n).map((way) => [way, sent(way)])); }"
              "process.stdout.write(JSON.stringify(ways));")
    result = subprocess.run(["node", "-e", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return {int(n): ways for n, ways in json.loads(result.stdout).items()}


def disagreements(heard: dict[int, dict[str, str]], words: NumberWords) -> list[str]:
    """Where Node's ways of saying a number and Python's reading of the same file part: Python's own way to say it
    must be one of Node's, and each of Node's must reach the skill as the number's digits."""
    problems = []
    for n, ways in sorted(heard.items()):
        if words.say(n) not in ways:
            problems.append(f"{n}: Python says {words.say(n)!r}, Node teaches {sorted(ways)}")
        for way, sent in ways.items():
            if parse_number(sent) != n:
                problems.append(f"{n}: Node hears {way!r} and sends {sent!r}")
    return problems


def test_python_and_node_read_the_same_number_words_and_the_skill_receives_digits():
    heard = node_number_words()
    assert sorted(heard) == list(range(1000))
    assert heard[45] == {"forty five": "45"}
    assert heard[120] == {way: "120" for way in (
        "one hundred twenty", "one hundred and twenty", "a hundred twenty", "a hundred and twenty")}
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
    broken = {**node_number_words(), 7: {"seven": "seven"}}
    assert disagreements(broken, EN) == ["7: Node hears 'seven' and sends 'seven'"]


def test_the_timing_model_and_the_gate_read_the_file_and_the_slot_reader_takes_digits_only():
    assert [number_words(n) for n in (0, 19, 20, 99, 305, 2024)] == [
        "zero", "nineteen", "twenty", "ninety nine", "three hundred five", "two thousand twenty four"]
    assert spoken_words("Round 2 of 3") == ["Round", "two", "of", "three"]
    assert {"zero", "ninety", "hundred", "thousand", "#"} <= gate.NUMBER_WORDS and "and" not in gate.NUMBER_WORDS
    assert [parse_number(text) for text in ("20", " 45 ", "0", "-1", "twenty five", "4.5", "²", "", None)] == [
        20, 45, 0, None, None, None, None, None, None]


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
