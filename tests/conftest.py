"""Shared fixtures: a skill with a fixed clock and seeds, in-memory or SQLite storage, the storage servers, and
the skill served on loopback with a virtual-alexa client. What they are built from lives in tests/support/."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
from ask_sdk_core.skill import CustomSkill
from hypothesis import settings

from runner_strength.storage.dynamodb import DynamoStore
from runner_strength.storage.memory import MemoryStore
from runner_strength.storage.sqlite import SQLiteStore
from tests.support.clock import Clock
from tests.support.envelopes import SKILL_ID
from tests.support.servers import blackhole_endpoint, dynalite_endpoint, dynamo_table, dynamodb_client  # noqa: F401
from tests.support.skills import make_skill
from tests.support.virtual_alexa import CheckedAlexa
from tools.endpoint import served

_users = itertools.count()

# Property tests run the same examples every time (a test run decides whether a change lands, so it must not
# depend on luck) and are not timed (the machine is shared). HYPOTHESIS_PROFILE=explore searches afresh each run.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# What `make test-fast` leaves out (the `slow` marker): tests that start a server, Node, espeak-ng or a browser, or
# sweep many generated workouts. The rest (unit, property and in-process conversation tests) runs in about a minute.
SLOW_MODULES = {
    "test_bench", "test_chat_device", "test_deploy", "test_device", "test_docs", "test_dynamodb_conversations",
    "test_e2e", "test_e2e_adjust", "test_e2e_household", "test_e2e_means", "test_e2e_progression", "test_endpoint",
    "test_heldout", "test_heldout_pain", "test_blind_batches", "test_device_settings", "test_flood",
    "test_hostile_http", "test_lambda", "test_model_gate", "test_numbers", "test_rendered_audio",
    "test_screens_render", "test_servers", "test_sqlite_start", "test_verify", "test_web",
}
SERVER_FIXTURES = {"url", "alexa", "dynalite_endpoint", "dynamo_table", "blackhole_endpoint"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        params = getattr(item, "callspec", None)
        on_dynamodb = params is not None and params.params.get("any_store") == "dynamodb"
        if module in SLOW_MODULES or SERVER_FIXTURES & set(item.fixturenames) or on_dynamodb:
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def any_store(request, tmp_path):
    """Each of the three stores in turn: DynamoDB as dynalite, with a table of the test's own."""
    if request.param == "memory":
        return MemoryStore()
    if request.param == "sqlite":
        return SQLiteStore(tmp_path / "runners.sqlite3")
    endpoint, table = request.getfixturevalue("dynamo_table")
    return DynamoStore(table, client=dynamodb_client(endpoint))


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> Iterator[str]:
    """The skill served on a free loopback port with a SQLite store, shared by a module's conversations."""
    folder = tmp_path_factory.mktemp("served")
    env = {"SKILL_STORE": f"sqlite:{folder / 'runners.sqlite3'}", "SKILL_ID": SKILL_ID}
    with served(env, folder / "server.log") as base:
        yield base


@pytest.fixture
def alexa(url: str) -> Iterator[CheckedAlexa]:
    """A new runner talking to `url` through virtual-alexa with our interaction model."""
    client = CheckedAlexa(url, f"amzn1.ask.account.E2E{next(_users)}", SKILL_ID)
    yield client
    client.close()
