"""The one SSML builder: every word the skill says passes through here, escaped and within Alexa's limits.

It also keeps the response's timeline, as the timing model (`speech/timing.py`) hears it: when each piece of
speech, each pause and each marked interval starts and ends, in seconds from the start of the response. The coach
paces its counts by that clock, and a response that would run longer than Alexa allows is refused.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape, unescape

from .timing import pause_after, speech_seconds

# Characters XML 1.0 forbids (control characters other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF):
# a slot value carrying one would make the whole response ill-formed SSML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

MAX_SPEECH_CHARS = 8000
MAX_BREAK_SECONDS = 10
MAX_AUDIO_SECONDS = 240
# Speech and silence of one response, as rendered: held to the audio limit (docs/speaking.md), whatever the settings.
MAX_RENDERED_SECONDS = 240
_TAG = re.compile(r"<[^>]+>")

SPEECH, PAUSE, AUDIO, MARK = "speech", "pause", "audio", "mark"


class SpeechLimitError(ValueError):
    """A response would break one of Alexa's speech limits."""


@dataclass(frozen=True)
class Segment:
    """One piece of a response's timeline, in modelled seconds from its start.

    `text` is what is said, the audio's source, or a mark's name; `seconds` is a pause's or an audio clip's
    length, or for a mark what the interval starting there announces (a 30 s hold, a rest of 45 s); `step`, for a
    mark, the workout step the interval belongs to (a rest belongs to the step it leads into)."""

    kind: str
    start: float
    end: float
    text: str = ""
    seconds: float = 0.0
    step: int = -1


class Ssml:
    def __init__(self) -> None:
        self._parts: list[str] = []
        self._segments: list[Segment] = []
        self.pause_seconds = 0.0
        self.audio_seconds = 0.0
        # The text that ends the current utterance, when nothing (no break, no audio) has come after it.
        self._open: str | None = None
        # The silence at the end so far, and how many breaks say it, when the last thing said is silence.
        self._silence_ms = 0
        self._silence_breaks = 0

    @classmethod
    def of(cls, speech: str | Ssml) -> Ssml:
        """`speech` as SSML: itself if it is already, else a new one saying it."""
        return speech if isinstance(speech, Ssml) else cls().say(speech)

    @property
    def seconds(self) -> float:
        """How long the response renders so far: its speech, pauses and audio, to the end of the last one."""
        return self._segments[-1].end if self._segments else 0.0

    @property
    def timeline(self) -> tuple[Segment, ...]:
        return tuple(self._segments)

    def say(self, text: str) -> Ssml:
        text = " ".join(_NOT_XML.sub(" ", text).split())
        if text:
            self._parts.append(escape(text, quote=False))
            if self._open is None:
                start = self.seconds
                end = start + speech_seconds(text)
            else:
                start = self.seconds + pause_after(self._open)
                end = start + speech_seconds(text, continuing=True)
            self._segments.append(Segment(SPEECH, start, end, text))
            self._open = text
            self._silence_ms = self._silence_breaks = 0
        return self

    def pause(self, seconds: float) -> Ssml:
        """Silence of any length, as a chain of breaks of at most ten seconds each. Silence straight after
        silence is one chain, so no break is shorter than it need be."""
        milliseconds = round(seconds * 1000)
        if milliseconds <= 0:
            return self
        self.pause_seconds += milliseconds / 1000
        self._segments.append(Segment(PAUSE, self.seconds, self.seconds + milliseconds / 1000,
                                      seconds=milliseconds / 1000))
        self._open = None
        left = milliseconds + self._silence_ms
        del self._parts[len(self._parts) - self._silence_breaks:]
        self._silence_ms, self._silence_breaks = left, 0
        while left > 0:
            chunk = min(left, MAX_BREAK_SECONDS * 1000)
            time = f"{chunk // 1000}s" if chunk % 1000 == 0 else f"{chunk}ms"
            self._parts.append(f'<break time="{time}"/>')
            self._silence_breaks += 1
            left -= chunk
        return self

    def audio(self, src: str, seconds: float) -> Ssml:
        if self.audio_seconds + seconds > MAX_AUDIO_SECONDS:
            raise SpeechLimitError(f"audio would run {self.audio_seconds + seconds:.0f}s, over {MAX_AUDIO_SECONDS}s")
        self.audio_seconds += seconds
        self._parts.append(f'<audio src="{escape(src)}"/>')
        self._segments.append(Segment(AUDIO, self.seconds, self.seconds + seconds, src, seconds))
        self._open = None
        self._silence_ms = self._silence_breaks = 0
        return self

    def mark(self, name: str, seconds: float, step: int = -1) -> Ssml:
        """Note that an interval announced as `seconds` long (a hold, a rest, a side switch) of workout step
        `step` starts here. Nothing is said: the mark is for whoever reads the timeline."""
        self._segments.append(Segment(MARK, self.seconds, self.seconds, name, seconds, step))
        return self

    def extend(self, other: Ssml) -> Ssml:
        """Append what `other` holds; text at the join becomes one utterance, as Alexa will say it."""
        for segment in other._segments:
            self._replay(segment)
        return self

    def _replay(self, segment: Segment) -> None:
        if segment.kind == SPEECH:
            self.say(segment.text)
        elif segment.kind == PAUSE:
            self.pause(segment.seconds)
        elif segment.kind == AUDIO:
            self.audio(segment.text, segment.seconds)
        else:
            self.mark(segment.text, segment.seconds, segment.step)

    def split(self, at: Sequence[int]) -> list[Ssml]:
        """The response cut before each of the timeline's segments numbered in `at`, as separate responses."""
        bounds = [0, *sorted(set(at)), len(self._segments)]
        parts = []
        for start, stop in itertools.pairwise(bounds):
            part = Ssml()
            for segment in self._segments[start:stop]:
                part._replay(segment)
            parts.append(part)
        return parts

    def __bool__(self) -> bool:
        return bool(self._parts)

    def to_ssml(self) -> str:
        speech = "<speak>" + " ".join(self._parts) + "</speak>"
        if len(speech) > MAX_SPEECH_CHARS:
            raise SpeechLimitError(f"speech is {len(speech)} characters, over {MAX_SPEECH_CHARS}")
        if self.seconds > MAX_RENDERED_SECONDS:
            raise SpeechLimitError(f"speech would run {self.seconds:.0f}s, over {MAX_RENDERED_SECONDS}s")
        return speech


def plain_text(ssml: str) -> str:
    """What an SSML string says, as text for cards and logs."""
    return " ".join(unescape(_TAG.sub(" ", ssml)).split())
