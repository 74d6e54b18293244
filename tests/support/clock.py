"""The one test clock: stands still at a known moment until a test moves it."""

from __future__ import annotations

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
