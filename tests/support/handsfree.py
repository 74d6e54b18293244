"""How hands-free a workout is, as the runner lives it: how often they must speak to go on, and how much of the time
from "ready" to the finish is talk. Shared by the tests, `make bench` and the chat client's end-of-workout line
(tools/alexa.js computes the same figures)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from runner_strength.device import RUNNER_TURN_SECONDS, SPEECH_STARTS_SECONDS, WORDS_PER_MINUTE
from runner_strength.speech.ssml import plain_text
from tests.support.envelopes import speech, waits

_BREAK = re.compile(r'<break time="(\d+)(ms|s)"/>')


@dataclass(frozen=True)
class HandsFree:
    """A workout's responses from "ready" to the finish: how many hand back to the runner to go on, the talk
    (every word at Alexa's usual rate, counts included) and the whole time (talk, silence, and at each hand-back
    the runner's answer and the next response starting)."""

    responses: int
    hand_backs: int
    talk_seconds: float
    total_seconds: float

    @property
    def talk_share(self) -> float:
        return self.talk_seconds / self.total_seconds

    @property
    def minutes(self) -> float:
        return self.total_seconds / 60

    def __str__(self) -> str:
        return (f"{self.hand_backs} hand-backs in {self.minutes:.1f} min; talk {self.talk_seconds:.0f} s of "
                f"{self.total_seconds:.0f} s ({self.talk_share:.1%})")


def words(reply: dict[str, Any]) -> int:
    return len(plain_text(speech(reply)).split())


def silence(reply: dict[str, Any]) -> float:
    return sum(int(n) / (1000 if unit == "ms" else 1) for n, unit in _BREAK.findall(speech(reply)))


def measure(replies: list[dict[str, Any]]) -> HandsFree:
    """`replies`: the workout's responses, the first being the answer to "ready", the last the one with the
    summary; each one but the last handed back and the runner answered."""
    talk = sum(words(r) for r in replies) * 60 / WORDS_PER_MINUTE
    hand_backs = sum(1 for r in replies if waits(r))
    total = talk + sum(silence(r) for r in replies) + hand_backs * (RUNNER_TURN_SECONDS + SPEECH_STARTS_SECONDS)
    return HandsFree(len(replies), hand_backs, talk, total)


def instruction_words(replies: list[dict[str, Any]]) -> int:
    """The words that are not the count (rep numbers and "3, 2, 1")."""
    return sum(1 for r in replies for w in plain_text(speech(r)).split() if not re.fullmatch(r"\d+\.", w))
