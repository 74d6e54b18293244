"""The skill as the tests and benchmarks build it: a given store and clock, and seeds counted from a start so
every run picks the same circuits."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime

from ask_sdk_core.skill import CustomSkill

from runner_strength.storage.contract import RunnerStore
from runner_strength.training.catalog import load_catalog
from runner_strength.voice.skill import Services, build_skill
from tests.support.envelopes import SKILL_ID


def make_skill(store: RunnerStore, clock: Callable[[], datetime], seed_start: int = 0,
               skill_id: str | None = SKILL_ID) -> CustomSkill:
    seeds = itertools.count(seed_start)
    services = Services(catalog=load_catalog(), store=store, clock=clock, seed=lambda: next(seeds))
    return build_skill(store, services, skill_id=skill_id)
