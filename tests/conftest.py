"""Shared fixtures: a skill with a fixed clock and seeds, in-memory or SQLite storage, and the storage servers.
What they are built from lives in tests/support/."""

from __future__ import annotations

import pytest
from ask_sdk_core.skill import CustomSkill

from runner_strength.storage.memory import MemoryStore
from runner_strength.storage.sqlite import SQLiteStore
from tests.support.clock import Clock
from tests.support.servers import blackhole_endpoint, dynalite_endpoint, dynamo_table  # noqa: F401
from tests.support.skills import make_skill


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def skill(store: MemoryStore, clock: Clock) -> CustomSkill:
    return make_skill(store, clock)


@pytest.fixture
def sqlite_store(tmp_path) -> SQLiteStore:
    return SQLiteStore(tmp_path / "runners.sqlite3")
