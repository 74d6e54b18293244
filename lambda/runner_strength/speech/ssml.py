"""The one SSML builder: every word the skill says passes through here, escaped and within Alexa's limits."""

from __future__ import annotations

import re
from html import escape, unescape

MAX_SPEECH_CHARS = 8000
MAX_BREAK_SECONDS = 10
MAX_AUDIO_SECONDS = 240
_TAG = re.compile(r"<[^>]+>")


class SpeechLimitError(ValueError):
    """A response would break one of Alexa's speech limits."""


class Ssml:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self.pause_seconds = 0.0
        self.audio_seconds = 0.0

    def say(self, text: str) -> Ssml:
        text = " ".join(text.split())
        if text:
            self._parts.append(escape(text, quote=False))
        return self

    def pause(self, seconds: float) -> Ssml:
        """Silence of any length, as a chain of breaks of at most ten seconds each."""
        left = round(seconds * 1000)
        self.pause_seconds += left / 1000
        while left > 0:
            chunk = min(left, MAX_BREAK_SECONDS * 1000)
            time = f"{chunk // 1000}s" if chunk % 1000 == 0 else f"{chunk}ms"
            self._parts.append(f'<break time="{time}"/>')
            left -= chunk
        return self

    def audio(self, src: str, seconds: float) -> Ssml:
        if self.audio_seconds + seconds > MAX_AUDIO_SECONDS:
            raise SpeechLimitError(f"audio would run {self.audio_seconds + seconds:.0f}s, over {MAX_AUDIO_SECONDS}s")
        self.audio_seconds += seconds
        self._parts.append(f'<audio src="{escape(src)}"/>')
        return self

    def extend(self, other: Ssml) -> Ssml:
        self._parts += other._parts
        self.pause_seconds += other.pause_seconds
        self.audio_seconds += other.audio_seconds
        return self

    def __bool__(self) -> bool:
        return bool(self._parts)

    def to_ssml(self) -> str:
        speech = "<speak>" + " ".join(self._parts) + "</speak>"
        if len(speech) > MAX_SPEECH_CHARS:
            raise SpeechLimitError(f"speech is {len(speech)} characters, over {MAX_SPEECH_CHARS}")
        return speech


def plain_text(ssml: str) -> str:
    """What an SSML string says, as text for cards and logs."""
    return " ".join(unescape(_TAG.sub(" ", ssml)).split())
