"""Where runners' records are kept, behind ask-sdk's AbstractPersistenceAdapter. Chosen by SKILL_STORE.

Both stores keep one item per runner (key from `keys.runner_key`) with a `version`: a save states the version
it read (`attributes["version"]`, 0 for a new runner) and fails with VersionConflict if the stored one moved
on, so the caller can re-read, merge and retry. A stored item comes back with its current `version`.
"""

from __future__ import annotations

import os
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope


class StoreConfigError(ValueError):
    """SKILL_STORE names a store that cannot be used."""


class VersionConflict(PersistenceException):
    """Someone else saved this runner's record since it was read."""


class RunnerStore(AbstractPersistenceAdapter):
    """The persistence contract the skill relies on, beyond ask-sdk's get, save and delete."""

    def forget_account(self, request_envelope: RequestEnvelope) -> None:
        """Delete the account's record and those of all its recognised household members."""
        raise NotImplementedError


def open_store(spec: str) -> RunnerStore:
    """`sqlite:PATH` (the embedded default for local runs) or `dynamodb:TABLE`. Connects to nothing yet."""
    kind, _, where = spec.partition(":")
    if kind == "sqlite" and where:
        from .sqlite import SQLiteStore

        return SQLiteStore(Path(where))
    if kind == "dynamodb" and where:
        from .dynamodb import DynamoStore, region_from

        region = region_from(os.environ)
        if region is None:
            raise StoreConfigError(f"SKILL_STORE={spec!r} needs AWS_REGION (and, off AWS, AWS_ENDPOINT_URL_DYNAMODB)")
        return DynamoStore(where, region=region)
    raise StoreConfigError(f"SKILL_STORE={spec!r}: expected sqlite:PATH or dynamodb:TABLE")


def expected_version(attributes: dict) -> int:
    version = attributes.get("version", 0)
    if not isinstance(version, int) or version < 0:
        raise PersistenceException(f"record version {version!r} is not a whole number")
    return version
