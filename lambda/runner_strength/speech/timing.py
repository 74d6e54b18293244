"""How long Alexa takes to say a piece of text, at its default rate: the clock the coach paces its pauses by.

The model is linear in what a listener hears: every word costs time for its syllables and its letters (a proxy
for its sounds; numbers are read as words, "20" as "twenty"), a comma or colon inside the text a short pause, a
sentence end inside it a longer one, and every utterance a little extra for its start and its final, drawn-out
syllable. Two pieces of text said one after the other with no break between them are one utterance, joined by
the pause the first one's last punctuation makes; a `<break>` replaces that pause (it does in espeak-ng; Alexa is
assumed to do the same).

The rate is set by `REFERENCE_TEXT`: the model reads that passage at `WORDS_PER_MINUTE` (device.json), about
Alexa's usual pace. The weights are a least-squares fit to espeak-ng's American English voice at the speed that
reads the same passage at 155 words a minute (`-v en-us -s 141` with espeak-ng 1.51), over every line in
`locale/en-US/`, the counted numbers and the spoken marks, each said between two breaks as the coach says them:
about 7% mean error per line, within a few percent over a response.
`tests/test_rendered_audio.py` renders generated blocks with espeak-ng in every test run and holds the model,
and the clock built on it, to the audio.

What espeak-ng cannot tell us about Alexa's voice (so what this model does not know):
- Alexa's real speaking rate. 155 words a minute is the figure we were given for its default voice, not a
  measurement; its neural voices vary the rate with the sentence, and the rate differs between voices, locales
  and devices.
- How long Alexa's pauses are at commas, colons and sentence ends, and whether a `<break>` replaces the pause a
  sentence end would make (espeak-ng replaces it exactly) or is added to it.
- How Alexa reads numbers, hyphenated names and abbreviations ("Y-T-W", "A-skips"), and how its prosody stretches
  short utterances such as "3." or "Go!", which are most of what a count says.
- When sound actually starts on the device: the network, Alexa's own latency before speaking, and any
  silence at the start and end of its audio. Only the relative timing inside one response is modelled.
- How long the runner takes to answer. That is `training.duration.RUNNER_TURN_SECONDS`, an assumption.
A recording of Alexa saying our lines (the ASK simulator's audio, or a device) would settle all of these; the
weights below are the place to put what it shows.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import device
from .numbers import load_numbers
from .phrases import DEFAULT_LOCALE

WORDS_PER_MINUTE = device.WORDS_PER_MINUTE
# The passage that defines the rate: ordinary sentences, no numbers, nothing the coach says.
REFERENCE_TEXT = (
    "Strength work makes running feel easier. When the muscles around your hips and knees are strong, each stride "
    "lands with more control, and the small stabilisers stop tiring before the big ones do. Most runners skip this "
    "part of training because it feels slow and far from the road. A short circuit twice a week is enough to make "
    "a difference. Pick a quiet corner, lay down a mat, and keep the phone close enough to hear. Move with care "
    "rather than speed, and breathe out as you push. If something hurts, stop, and try a gentler version the next "
    "time. Over a few weeks the exercises get easier, your posture holds up late in a long run, and your legs "
    "recover faster between hard days."
)

# Fitted weights, in seconds (see the module docstring). Scaled together, they set the rate.
SYLLABLE_SECONDS = 0.0481
LETTER_SECONDS = 0.0600
COMMA_SECONDS = 0.429
SENTENCE_SECONDS = 0.663
UTTERANCE_SECONDS = 0.092

_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[A-Za-z']+")
_VOWELS = re.compile(r"[aeiouy]+")
# A pause mark is punctuation followed by a space or the end; "1.5" or "e.g" are not.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_CLAUSE_END = re.compile(r"[,;:]+(?=\s|$)")
_TRAILING = re.compile(r"[.!?,;:]+$")


def number_words(n: int) -> str:
    """How a whole number is read: 21 is "twenty one" (in en-US, the voice the weights are fitted to)."""
    return load_numbers(DEFAULT_LOCALE).say(n)


def syllables(word: str) -> int:
    """Vowel groups, less a silent final e: right for most English words, and close for the rest."""
    w = word.lower().strip("'")
    count = len(_VOWELS.findall(w))
    if count > 1 and w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        count -= 1
    return max(1, count)


def spoken_words(text: str) -> list[str]:
    """The words a listener hears: numbers spelt out, hyphenated names split."""
    text = _NUMBER.sub(lambda m: f" {number_words(int(m.group()))} ", text).replace("-", " ")
    return _WORD.findall(text)


def _body_seconds(text: str) -> float:
    """The words of `text` and the pauses inside it, without the pause its last punctuation would make."""
    words = spoken_words(text)
    inner = _TRAILING.sub("", text.strip())
    return (sum(SYLLABLE_SECONDS * syllables(w) + LETTER_SECONDS * len(w.strip("'")) for w in words)
            + COMMA_SECONDS * len(_CLAUSE_END.findall(inner)) + SENTENCE_SECONDS * len(_SENTENCE_END.findall(inner)))


@lru_cache(maxsize=4096)
def speech_seconds(text: str, *, continuing: bool = False) -> float:
    """How long `text` takes to say, from its first sound to its last; `continuing` when it follows other words in
    the same utterance (no break between), whose pause before it is `pause_after` of those words."""
    if not spoken_words(text):
        return 0.0
    return _body_seconds(text) + (0.0 if continuing else UTTERANCE_SECONDS)


@lru_cache(maxsize=4096)
def pause_after(text: str) -> float:
    """The pause after `text` when more words follow in the same utterance: a sentence's, a clause's, or none."""
    trailing = _TRAILING.search(text.strip())
    if trailing is None:
        return 0.0
    return SENTENCE_SECONDS if any(c in ".!?" for c in trailing.group()) else COMMA_SECONDS


def words_per_minute(text: str) -> float:
    """The rate the model reads `text` at, said as one utterance."""
    return len(spoken_words(text)) * 60 / speech_seconds(text)
