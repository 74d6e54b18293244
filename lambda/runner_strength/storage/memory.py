"""The one in-memory store: on the same contract as SQLite and DynamoDB (versions, household members,
forgetting an account, an atomic conditional write), with records kept as JSON text as the real stores keep
them, so a caller never shares a dict with the store. Nothing outlives the process.

Used for `SKILL_STORE=memory:`, the Lambda warm-up turn, benchmarks and tests. It counts reads and writes, and
`broken = True` makes every call fail as an unreachable store would.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from .contract import RunnerStore, VersionConflict, expected_version
from .keys import account_key, household_keys, person_id, runner_key

Snapshot = dict[str, tuple[int, str]]  # runner key -> (version, the record without it, as JSON)


class MemoryStore(RunnerStore):
    def __init__(self) -> None:
        self._rows: Snapshot = {}
        self.members: dict[str, set[str]] = {}  # account key -> its recognised household members' person ids
        self.reads = self.writes = 0
        self.broken = False
        self._lock = threading.Lock()  # a conditional write is atomic in the real stores

    @property
    def items(self) -> dict[str, dict[str, Any]]:
        """Every stored record with its version, as it would read back (a copy: changing it changes nothing)."""
        return {key: _record(row) for key, row in self._rows.items()}

    def snapshot(self) -> Snapshot:
        """What is stored now, to put back later with `restore` (benchmarks replay one moment many times)."""
        return dict(self._rows)

    def restore(self, snapshot: Snapshot) -> None:
        self._rows = dict(snapshot)

    def _check(self) -> None:
        if self.broken:
            raise PersistenceException("store is down")

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        self.reads += 1
        self._check()
        row = self._rows.get(runner_key(request_envelope))
        return _record(row) if row else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        self.writes += 1
        self._check()
        key, expected = runner_key(request_envelope), expected_version(attributes)
        data = json.dumps({k: v for k, v in attributes.items() if k != "version"})
        with self._lock:
            stored = self._rows[key][0] if key in self._rows else 0
            if stored != expected:
                raise VersionConflict(f"the record is at version {stored}, not {expected}")
            self._rows[key] = (expected + 1, data)
            person = person_id(request_envelope)
            if person:
                self.members.setdefault(account_key(request_envelope), set()).add(person)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self._check()
        with self._lock:
            self._rows.pop(runner_key(request_envelope), None)

    def forget_account(self, request_envelope: RequestEnvelope) -> None:
        self._check()
        account = account_key(request_envelope)
        with self._lock:
            for key in household_keys(request_envelope, self.members.pop(account, set())):
                self._rows.pop(key, None)
            self._rows.pop(account, None)

    def household(self, request_envelope: RequestEnvelope) -> frozenset[str]:
        self.reads += 1
        self._check()
        with self._lock:
            return frozenset(self.members.get(account_key(request_envelope), ()))


def _record(row: tuple[int, str]) -> dict[str, Any]:
    version, data = row
    return {**json.loads(data), "version": version}
