"""Shared fixtures: a skill with a fixed clock and seeds, in-memory or SQLite storage."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from runner_strength.storage.keys import runner_key
from runner_strength.storage.sqlite import SQLiteStore
from runner_strength.training.catalog import load_catalog
from runner_strength.voice.skill import build_skill
from runner_strength.voice.turn import Services
from tests.alexa_envelopes import SKILL_ID


class MemoryStore(AbstractPersistenceAdapter):
    """An in-process store for fast handler tests; counts calls, and can be made to fail."""

    def __init__(self) -> None:
        self.items: dict[str, dict] = {}
        self.reads = self.writes = 0
        self.broken = False

    def get_attributes(self, request_envelope):
        self.reads += 1
        if self.broken:
            raise ConnectionError("store is down")
        return dict(self.items.get(runner_key(request_envelope), {}))

    def save_attributes(self, request_envelope, attributes):
        self.writes += 1
        if self.broken:
            raise ConnectionError("store is down")
        self.items[runner_key(request_envelope)] = attributes

    def delete_attributes(self, request_envelope):
        self.items.pop(runner_key(request_envelope), None)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def make_skill(store, clock, seed_start: int = 0, skill_id: str | None = SKILL_ID):
    seeds = itertools.count(seed_start)
    services = Services(catalog=load_catalog(), store=store, clock=clock, seed=lambda: next(seeds))
    return build_skill(store, services, skill_id=skill_id)


@pytest.fixture
def skill(store, clock):
    return make_skill(store, clock)


@pytest.fixture
def sqlite_store(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "runners.sqlite3")
