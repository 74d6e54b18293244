"""The embedded store for local runs: one row per runner in a SQLite file."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from .keys import runner_key

_SCHEMA = "CREATE TABLE IF NOT EXISTS runners (id TEXT PRIMARY KEY, attributes TEXT NOT NULL, updated REAL)"


class SQLiteStore(AbstractPersistenceAdapter):
    def __init__(self, path: Path, key: Callable[[RequestEnvelope], str] = runner_key) -> None:
        self.path = path
        self.key = key
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=2)
        except (OSError, sqlite3.Error) as err:
            raise PersistenceException(f"cannot open {self.path}: {err}") from err
        try:
            with connection:
                if not self._ready:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.execute(_SCHEMA)
                    self._ready = True
                yield connection
        except sqlite3.Error as err:
            raise PersistenceException(f"SQLite store {self.path}: {err}") from err
        finally:
            connection.close()

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        with self._db() as db:
            row = db.execute("SELECT attributes FROM runners WHERE id = ?", (self.key(request_envelope),)).fetchone()
        return json.loads(row[0]) if row else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO runners (id, attributes, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET attributes = excluded.attributes, updated = excluded.updated",
                (self.key(request_envelope), json.dumps(attributes), time.time()),
            )

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        with self._db() as db:
            db.execute("DELETE FROM runners WHERE id = ?", (self.key(request_envelope),))
