"""Where runners' records are kept, behind ask-sdk's AbstractPersistenceAdapter. Chosen by SKILL_STORE."""

from __future__ import annotations

from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter


class StoreConfigError(ValueError):
    """SKILL_STORE names a store that cannot be used."""


def open_store(spec: str) -> AbstractPersistenceAdapter:
    """`sqlite:PATH` (the embedded default for local runs) or `dynamodb:TABLE`."""
    kind, _, where = spec.partition(":")
    if kind == "sqlite" and where:
        from .sqlite import SQLiteStore

        return SQLiteStore(Path(where))
    if kind == "dynamodb" and where:
        raise StoreConfigError("the DynamoDB store is not part of this build yet; use SKILL_STORE=sqlite:PATH")
    raise StoreConfigError(f"SKILL_STORE={spec!r}: expected sqlite:PATH or dynamodb:TABLE")
