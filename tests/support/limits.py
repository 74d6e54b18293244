"""Alexa's limits on one response, as a check the tests apply to every reply they see."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from runner_strength.speech.ssml import MAX_BREAK_SECONDS, MAX_RENDERED_SECONDS, MAX_SPEECH_CHARS, plain_text
from runner_strength.speech.timing import speech_seconds
from runner_strength.voice.skill import MAX_RESPONSE_BYTES

_BREAK = re.compile(r'<break time="(\d+)(ms|s)"/>')


def break_seconds(ssml: str) -> list[float]:
    return [int(n) / (1000 if unit == "ms" else 1) for n, unit in _BREAK.findall(ssml)]


def rendered_seconds(ssml: str) -> float:
    """How long a response plays by the timing model: its breaks, and each stretch of speech between them."""
    pieces = _BREAK.split(ssml)
    speech = sum(speech_seconds(plain_text(text)) for text in pieces[::3] if plain_text(text))
    return speech + sum(break_seconds(ssml))


def check_response(reply: dict) -> None:
    """Raise AssertionError naming the limit a response breaks."""
    size = len(json.dumps(reply).encode())
    assert size <= MAX_RESPONSE_BYTES, f"response is {size} bytes"
    response = reply["response"]
    speeches = [response.get("outputSpeech")]
    if response.get("reprompt"):
        speeches.append(response["reprompt"]["outputSpeech"])
    for output in filter(None, speeches):
        ssml = output.get("ssml", "")
        assert len(ssml) <= MAX_SPEECH_CHARS, f"speech is {len(ssml)} characters"
        ET.fromstring(ssml)  # well-formed: everything escaped
        assert all(0 < s <= MAX_BREAK_SECONDS for s in break_seconds(ssml)), "a break over 10 s"
        assert rendered_seconds(ssml) <= MAX_RENDERED_SECONDS, f"plays {rendered_seconds(ssml):.0f} s"
        # The coach speaks only; audio (and its 240 s cap) is enforced by the builder, unit-tested there.
        assert "<audio" not in ssml
    if response.get("shouldEndSession") is False:
        assert response.get("reprompt"), "an open session needs a reprompt"
        assert response.get("outputSpeech"), "an open session needs speech"
