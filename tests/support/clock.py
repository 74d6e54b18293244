"""The one test clock: stands still at a known moment until a test moves it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

NOW = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        """Move on by a timedelta's worth: `clock.advance(days=1)`."""
        self.now += timedelta(**kwargs)


@dataclass
class Timer:
    """The one test timer (the skill's `Services.monotonic` and `Services.sleep`): it moves only when the skill
    sleeps, so retries paced across a turn's time budget take no real time."""

    now: float = 0.0
    slept: float = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        self.slept += max(seconds, 0.0)


class RealTime:
    """The real monotonic clock and sleep, for a store whose calls take real time (DynamoDB over the network): its
    own calls count against a turn's budget, as they do in production."""

    def __call__(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
