"""The embedded store for local runs: one row per runner in a SQLite file, with the same version contract
as DynamoDB.

The file is in WAL mode: a read is a read transaction on the last committed state, so it never waits for a writer
(nor a writer for it); a write takes the write lock at its start. Every connection has secure_delete on, so what a
save replaces or a deletion removes is overwritten, not left in free pages for "forget my data" to miss."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from .contract import RunnerStore, VersionConflict, expected_version
from .keys import account_key, household_keys, person_id, runner_key

log = logging.getLogger(__name__)

_SCHEMA = """CREATE TABLE IF NOT EXISTS runners (
    id TEXT PRIMARY KEY, data TEXT, version INTEGER NOT NULL DEFAULT 0, members TEXT, updated REAL)"""
_COLUMNS = {"id", "data", "version", "members", "updated"}
# Switching a new file to WAL needs it to itself; another process doing the same at that moment makes SQLite
# answer "database is locked" at once rather than wait, so the switch is retried.
_WAL_ATTEMPTS = 6


class SQLiteStore(RunnerStore):
    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False
        self._setting_up = threading.Lock()

    def check_at_start(self) -> None:
        """Set the file up and prove it usable now, not at a runner's first turn: a file that is not a database,
        cannot be created or written, or holds another table shape, or a SQLite that will not overwrite what is
        deleted, raises PersistenceException saying so. A server runs this once before it forks workers, so they
        never race to set up a new file."""
        self._ready = False
        with self._db(writing=True) as db:
            # Deleting nothing still needs write access: a read-only file is refused here.
            db.execute("DELETE FROM runners WHERE id = ?", ("",))

    def _set_up(self, connection: sqlite3.Connection) -> None:
        for attempt in range(_WAL_ATTEMPTS):
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or attempt == _WAL_ATTEMPTS - 1:
                    raise
                time.sleep(0.02 * 2 ** attempt)
        if connection.execute("PRAGMA secure_delete").fetchone()[0] != 1:
            raise sqlite3.DatabaseError("this SQLite does not overwrite deleted data (secure_delete stays off), so "
                                        "a runner's deleted record could be read back from the file")
        connection.execute(_SCHEMA)
        columns = {row[1] for row in connection.execute("PRAGMA table_info(runners)")}
        if not _COLUMNS.issubset(columns):
            raise sqlite3.DatabaseError(f"its runners table has columns {', '.join(sorted(columns))}, not "
                                        f"{', '.join(sorted(_COLUMNS))}: not a Runner Strength store")

    @contextmanager
    def _db(self, writing: bool) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction: a write transaction (`writing`) or a read one, which in WAL mode takes no
        lock a writer waits for and waits for none."""
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=2, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise PersistenceException(f"cannot open the SQLite store {self.path}: {err}") from err
        try:
            # Overwrite what a save replaces and a deletion removes, not just free it: a build's default may be off.
            connection.execute("PRAGMA secure_delete = ON")
            if not self._ready:
                with self._setting_up:
                    if not self._ready:
                        self._set_up(connection)
                        self._ready = True
            connection.execute("BEGIN IMMEDIATE" if writing else "BEGIN")
            yield connection
            connection.execute("COMMIT")
        except BaseException as err:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            if isinstance(err, sqlite3.Error):
                raise PersistenceException(f"SQLite store {self.path}: {err}") from err
            raise
        finally:
            connection.close()

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        with self._db(writing=False) as db:
            row = db.execute("SELECT data, version FROM runners WHERE id = ?",
                             (runner_key(request_envelope),)).fetchone()
        if row is None or row[0] is None:
            return {}
        return {**json.loads(row[0]), "version": row[1]}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        key, expected = runner_key(request_envelope), expected_version(attributes)
        data = json.dumps({k: v for k, v in attributes.items() if k != "version"})
        with self._db(writing=True) as db:
            row = db.execute("SELECT version, data FROM runners WHERE id = ?", (key,)).fetchone()
            stored = row[0] if row and row[1] is not None else 0
            if stored != expected:
                raise VersionConflict(f"the record is at version {stored}, not {expected}")
            db.execute(
                "INSERT INTO runners (id, data, version, updated) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                "SET data = excluded.data, version = excluded.version, updated = excluded.updated",
                (key, data, expected + 1, time.time()),
            )
            person = person_id(request_envelope)
            if person and expected == 0:
                self._add_member(db, account_key(request_envelope), person)

    @staticmethod
    def _add_member(db: sqlite3.Connection, account: str, person: str) -> None:
        members = {*SQLiteStore._members(db, account), person}
        db.execute("INSERT INTO runners (id, members) VALUES (?, ?) ON CONFLICT(id) DO UPDATE "
                   "SET members = excluded.members", (account, json.dumps(sorted(members))))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        """Delete the runner's record. An account's row that lists household members keeps the list (and
        nothing else), so that disabling the skill later still finds them."""
        key = runner_key(request_envelope)
        with self._db(writing=True) as db:
            db.execute("UPDATE runners SET data = NULL, version = 0, updated = NULL WHERE id = ?", (key,))
            db.execute("DELETE FROM runners WHERE id = ? AND members IS NULL", (key,))
        self._checkpoint()

    def forget_account(self, request_envelope: RequestEnvelope) -> None:
        account = account_key(request_envelope)
        with self._db(writing=True) as db:
            members = self._members(db, account)
            db.executemany("DELETE FROM runners WHERE id = ?",
                           [(account,), *((key,) for key in household_keys(request_envelope, members))])
        self._checkpoint()

    def household(self, request_envelope: RequestEnvelope) -> frozenset[str]:
        with self._db(writing=False) as db:
            return frozenset(self._members(db, account_key(request_envelope)))

    @staticmethod
    def _members(db: sqlite3.Connection, account: str) -> list[str]:
        row = db.execute("SELECT members FROM runners WHERE id = ?", (account,)).fetchone()
        return json.loads(row[0]) if row and row[0] else []

    def _checkpoint(self) -> None:
        """Copy the write-ahead log into the file and empty it, so deleted records do not linger in -wal."""
        try:
            connection = sqlite3.connect(self.path, timeout=2, isolation_level=None)
            try:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
        except sqlite3.Error as err:  # the deletion itself is done; a later checkpoint will do
            log.warning("could not checkpoint %s after a deletion: %s", self.path, err)
