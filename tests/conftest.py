"""Shared fixtures: a skill with a fixed clock and seeds, in-memory or SQLite storage."""

from __future__ import annotations

import copy
import itertools
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from ask_sdk_core.exceptions import PersistenceException

from runner_strength.storage import RunnerStore, VersionConflict, expected_version
from runner_strength.storage.keys import account_key, person_id, runner_key
from runner_strength.storage.sqlite import SQLiteStore
from runner_strength.training.catalog import load_catalog
from runner_strength.voice.skill import build_skill
from runner_strength.voice.turn import Services
from tests.alexa_envelopes import SKILL_ID


class MemoryStore(RunnerStore):
    """An in-process store for fast handler tests, on the same contract as the real ones (the contract suite
    runs against it too); counts calls, and can be made to fail."""

    def __init__(self) -> None:
        self.items: dict[str, dict] = {}
        self.members: dict[str, set[str]] = {}
        self.reads = self.writes = 0
        self.broken = False
        self._lock = threading.Lock()  # a conditional write is atomic in the real stores

    def _check(self) -> None:
        if self.broken:
            raise PersistenceException("store is down")

    def get_attributes(self, request_envelope):
        self.reads += 1
        self._check()
        return copy.deepcopy(self.items.get(runner_key(request_envelope), {}))

    def save_attributes(self, request_envelope, attributes):
        self.writes += 1
        self._check()
        key, expected = runner_key(request_envelope), expected_version(attributes)
        with self._lock:
            if self.items.get(key, {}).get("version", 0) != expected:
                raise VersionConflict(key)
            self.items[key] = {**json.loads(json.dumps(attributes)), "version": expected + 1}  # stored as JSON
        person = person_id(request_envelope)
        if person:
            self.members.setdefault(account_key(request_envelope), set()).add(person)

    def delete_attributes(self, request_envelope):
        self._check()
        self.items.pop(runner_key(request_envelope), None)

    def forget_account(self, request_envelope):
        self._check()
        account = account_key(request_envelope)
        for person in self.members.pop(account, set()):
            self.items.pop(f"person:{person}", None)
        self.items.pop(account, None)


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


from tests.servers import blackhole_endpoint, dynalite_endpoint, dynamo_table  # noqa: E402, F401
