"""The SSML builder, the locale files and the voice that picks among their variants."""

import itertools
import random
import re
from pathlib import Path

import pytest

from runner_strength.speech.phrases import Voice, best_locale, load_locale, placeholders
from runner_strength.speech.ssml import MAX_SPEECH_CHARS, SpeechLimitError, Ssml, plain_text

PACKAGE = Path(__file__).resolve().parent.parent / "lambda" / "runner_strength"
EN = load_locale("en-US")


def test_text_is_escaped():
    assert Ssml().say('Knees & toes <up> "now"').to_ssml() == '<speak>Knees &amp; toes &lt;up&gt; "now"</speak>'


def test_long_pauses_are_chained_breaks_of_at_most_ten_seconds():
    ssml = Ssml().pause(27.5).to_ssml()
    assert ssml == '<speak><break time="10s"/> <break time="10s"/> <break time="7500ms"/></speak>'


def test_speech_over_the_limit_is_refused():
    ssml = Ssml()
    for _ in range(MAX_SPEECH_CHARS // 10):
        ssml.say("ten chars.")
    with pytest.raises(SpeechLimitError):
        ssml.to_ssml()


def test_audio_over_240_seconds_is_refused():
    ssml = Ssml().audio("https://example.com/a.mp3", 200)
    with pytest.raises(SpeechLimitError):
        ssml.audio("https://example.com/b.mp3", 41)


def test_plain_text_drops_tags_and_unescapes():
    assert plain_text('<speak>A &amp; B <break time="1s"/> C</speak>') == "A & B C"


def keys_used_in_code() -> set[str]:
    keys = set()
    for path in PACKAGE.rglob("*.py"):
        keys |= set(re.findall(r'line\(\s*"([a-z_.]+)"', path.read_text()))
        keys |= {f"note.{code}" for code in re.findall(r'= "([a-z_]+)"  # value:', path.read_text())}
    return keys


def test_every_line_the_code_says_is_in_the_locale_file():
    missing = keys_used_in_code() - set(EN.phrases)
    assert not missing


def test_lines_heard_often_have_several_variants():
    for key in ("welcome.back", "welcome.resume", "next.set", "encourage", "workout.done", "prompt.next",
                "goodbye", "rest"):
        assert len(EN.phrases[key]) >= 3, key


def test_every_locale_has_the_same_lines_and_placeholders_as_en_us():
    for folder in (PACKAGE / "speech" / "locale").iterdir():
        other = load_locale(folder.name)
        assert set(other.phrases) == set(EN.phrases), folder.name
        assert set(other.exercises) == set(EN.exercises), folder.name
        for key, variants in EN.phrases.items():
            assert placeholders(variants[0]) == placeholders(other.phrases[key][0]), (folder.name, key)


def test_a_line_never_comes_out_the_same_way_twice_in_a_row():
    recent: dict[str, int] = {}
    voice = Voice(EN, random.Random(4), recent)
    said = [voice.line("encourage") for _ in range(200)]
    assert all(a != b for a, b in itertools.pairwise(said))
    assert len(set(said)) == len(EN.phrases["encourage"])


def test_the_variant_memory_carries_across_turns():
    recent: dict[str, int] = {}
    first = Voice(EN, random.Random(1), recent).line("goodbye")
    for seed in range(50):
        assert Voice(EN, random.Random(seed), dict(recent)).line("goodbye") != first


def test_an_unknown_locale_falls_back_by_language_then_to_en_us():
    assert best_locale("en-US") == "en-US"
    assert best_locale("en-GB") == "en-US"
    assert best_locale("de-DE") == "en-US"
    assert best_locale(None) == "en-US"
