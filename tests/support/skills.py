"""The skill as the tests and benchmarks build it: a given store and clock, seeds counted from a start so every
run picks the same circuits, a timer that moves only when the skill sleeps (a store's retries within a turn's
budget take no real time), and a device that says it is in UTC unless told another zone (no Alexa API is asked)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime

from ask_sdk_core.skill import CustomSkill

from runner_strength.storage.contract import RunnerStore
from runner_strength.storage.dynamodb import DynamoStore
from runner_strength.training.catalog import load_catalog
from runner_strength.voice.conversation.device_settings import DeviceSettings, Lookup
from runner_strength.voice.skill import Services, build_skill
from tests.support.clock import RealTime, Timer
from tests.support.envelopes import SKILL_ID


def device_in(zone: str | None, units: str | None = None) -> Lookup:
    """A device whose settings say `zone` (None: no zone set) and `units`, as the Alexa Settings API would."""
    return lambda envelope: DeviceSettings(zone, units)


def make_skill(store: RunnerStore, clock: Callable[[], datetime], seed_start: int = 0,
               skill_id: str | None = SKILL_ID, timer: Timer | RealTime | None = None,
               settings: Lookup | None = None) -> CustomSkill:
    seeds = itertools.count(seed_start)
    # A store over the network takes real time, which must count against a turn's budget as it does on Alexa.
    timer = timer or (RealTime() if isinstance(store, DynamoStore) else Timer())
    services = Services(catalog=load_catalog(), store=store, clock=clock, seed=lambda: next(seeds), monotonic=timer,
                        sleep=timer.sleep, settings=settings or device_in("UTC"))
    return build_skill(store, services, skill_id=skill_id)
