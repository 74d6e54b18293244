"""Every store read and written past its contract, key by key: for tests that check what deleting left behind, and
that plant an item as an older release keyed it."""

from __future__ import annotations

import json
import sqlite3
import time

from runner_strength.storage.contract import RunnerStore
from runner_strength.storage.dynamodb import DynamoStore
from runner_strength.storage.memory import MemoryStore
from runner_strength.storage.sqlite import SQLiteStore


def stored_keys(store: RunnerStore) -> set[str]:
    """The key of every item the store holds, whatever it holds (a record, or an account's list of members only)."""
    if isinstance(store, MemoryStore):
        return {*store.items, *(account for account, members in store.members.items() if members)}
    if isinstance(store, SQLiteStore):
        connection = sqlite3.connect(store.path)
        try:
            return {row[0] for row in connection.execute("SELECT id FROM runners")}
        finally:
            connection.close()
    if isinstance(store, DynamoStore):
        pages = store.client.get_paginator("scan").paginate(TableName=store.table, ProjectionExpression="id")
        return {item["id"]["S"] for page in pages for item in page["Items"]}
    raise TypeError(f"no way to list {type(store).__name__}")


def plant(store: RunnerStore, key: str, data: dict) -> None:
    """An item under `key` at version 1, written as the store writes one, whatever the key."""
    text = json.dumps(data)
    if isinstance(store, MemoryStore):
        store.restore({**store.snapshot(), key: (1, text)})
    elif isinstance(store, SQLiteStore):
        store.check_at_start()
        connection = sqlite3.connect(store.path, isolation_level=None)
        try:
            connection.execute("INSERT INTO runners (id, data, version, updated) VALUES (?, ?, 1, ?)",
                               (key, text, time.time()))
        finally:
            connection.close()
    elif isinstance(store, DynamoStore):
        store.client.put_item(TableName=store.table, Item={"id": {"S": key}, "data": {"S": text},
                                                           "version": {"N": "1"}})
    else:
        raise TypeError(f"no way to plant in {type(store).__name__}")
