"""Where runners' records are kept, chosen by SKILL_STORE. The contract is in `contract.py`."""

from __future__ import annotations

import os
from pathlib import Path

from .contract import RunnerStore, StoreConfigError

__all__ = ["StoreConfigError", "open_store"]


def open_store(spec: str) -> RunnerStore:
    """`sqlite:PATH` (the embedded default for local runs), `dynamodb:TABLE`, or `memory:` (nothing kept past
    the process: benchmarks and throwaway runs). Connects to nothing yet."""
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
    if kind == "memory" and not where:
        from .memory import MemoryStore

        return MemoryStore()
    raise StoreConfigError(f"SKILL_STORE={spec!r}: expected sqlite:PATH, dynamodb:TABLE or memory:")
