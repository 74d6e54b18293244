"""Soak: two devices on one account doing guided workouts at the same time, against DynamoDB (dynalite) behind a
proxy that throttles a share of all storage calls.

Each device runs `workouts` full circuits, their turns interleaved, so the two sessions are open together and
every save can conflict with the other device's; every third workout is stopped part-way. At the end the store
is checked against what the runner heard:

- finished workouts recorded / finished: a workout the runner heard finish is in the history as finished, once;
- sets stored / sets the runner was told were saved: the sets in "Saved. You finished 4 of 10 sets" and in a
  finished workout's summary, as the history holds them.

Both must be 100%. `two_devices` runs the same on any store (the tests use it on memory and SQLite too).
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runner_strength.speech.phrases import load_locale
from runner_strength.storage.contract import RunnerStore
from tests.support.clock import Clock
from tests.support.envelopes import USER_ID, Conversation, intent, said, unpacked
from tests.support.skills import make_skill

BLOCKS = 10  # a full circuit: five exercises, two rounds
STOP_EVERY = 3  # every third workout is stopped after a few blocks
SECONDS_PER_TURN = 5


@dataclass
class Tally:
    finished: int = 0  # workouts the runner heard finish
    recorded: int = 0  # ... found in the history as finished, exactly once
    told: int = 0  # sets the runner was told were saved (at a stop or a finish)
    stored: int = 0  # ... of those, the sets the history holds
    unsaved: int = 0  # stops and finishes where the runner heard the progress could not be saved
    turns: int = 0
    seconds: float = 0.0
    claims: list[tuple[str, int]] = field(default_factory=list)  # (workout id, sets told saved)

    @property
    def finished_recorded(self) -> float:
        return self.recorded / self.finished if self.finished else 1.0

    @property
    def sets_stored(self) -> float:
        return self.stored / self.told if self.told else 1.0


class _Device:
    """One Echo running its share of the workouts, one turn at a time."""

    def __init__(self, skill: Any, workouts: int, first: int) -> None:
        self.talk = Conversation(skill)
        self.plan: list[list[dict[str, Any]]] = []
        for number in range(first, first + workouts):
            blocks = 3 if number % STOP_EVERY == STOP_EVERY - 1 else BLOCKS
            turns = [intent("BuildCircuitIntent"), intent("ReadyIntent")] + [intent("AMAZON.NextIntent")] * blocks
            if blocks < BLOCKS:
                turns.append(intent("AMAZON.StopIntent"))
            self.plan.append(turns)

    def step(self, tally: Tally, finished_ids: Counter[str]) -> bool:
        """Say the next thing; False once every workout is done."""
        while self.plan and not self.plan[0]:
            self.plan.pop(0)
            self.talk.session = None  # the next workout is a new session
        if not self.plan:
            return False
        request = self.plan[0].pop(0)
        before = unpacked(self.talk.session).get("record") or {}
        reply = self.talk.send(request)
        tally.turns += 1
        text = said(reply)
        workout_id = before.get("workout_id")
        told_unsaved = _heard(text, "stop.unsaved")
        for key in () if told_unsaved else ("workout.done", "stop.saved"):
            match = _NUMBERS.search(text) if _heard(text, key) else None
            if match and workout_id:
                tally.told += int(match.group(1))
                tally.claims.append((workout_id, int(match.group(1))))
                if key == "workout.done":
                    tally.finished += 1
                    finished_ids[workout_id] += 1
        if told_unsaved:  # told the truth: not counted as a finish or a save the runner was promised
            tally.unsaved += 1
        if reply["response"].get("shouldEndSession", True) is not False:
            self.plan[0].clear()  # the session is over, whatever was left of this workout
        return True


_NUMBERS = re.compile(r"(\d+) of (\d+) sets")


def _heard(text: str, key: str) -> bool:
    return any(variant.split("{")[0] in text for variant in load_locale("en-US").phrases[key])


def two_devices(make_store: Callable[[], RunnerStore], workouts: int, stored: Callable[[], dict]) -> Tally:
    """Two devices, each `workouts` workouts, turns interleaved. `make_store` gives each device its own store
    client on the same table or file; `stored()` reads the account's record at the end."""
    clock, tally, finished_ids = Clock(), Tally(), Counter()
    devices = [_Device(make_skill(make_store(), clock, seed_start=1000 * n), workouts, first=0) for n in (0, 1)]
    started = time.perf_counter()
    busy = True
    while busy:
        busy = False
        for device in devices:
            busy = device.step(tally, finished_ids) or busy
            clock.advance(seconds=SECONDS_PER_TURN)
    tally.seconds = time.perf_counter() - started
    history = (stored() or {}).get("history", [])
    by_id = Counter(entry["id"] for entry in history)
    entries = {entry["id"]: entry for entry in history}
    tally.recorded = sum(1 for wid in finished_ids if by_id[wid] == 1 and entries[wid]["finished"])
    tally.stored = sum(min(sets, entries[wid]["done"]) if wid in entries else 0 for wid, sets in tally.claims)
    return tally


def soak(workouts: int = 10, throttle: float = 0.3, seed: int = 0, endpoint: str | None = None) -> dict[str, Any]:
    """Two devices x `workouts` guided workouts on dynalite behind a proxy throttling `throttle` of all calls.
    Starts dynalite unless `endpoint` names a running one. Returns the figures; `finished_recorded` and
    `sets_stored` must be 1.0."""
    from runner_strength.storage.dynamodb import DynamoStore, client_config
    from tests.support.envelopes import request_for
    from tests.support.faults import fault_proxy
    from tests.support.servers import (
        create_runner_table,
        dynalite_process,
        dynamodb_client,
        unique_table_name,
    )

    config = client_config()
    with contextlib.ExitStack() as stack:
        if endpoint is None:
            endpoint = stack.enter_context(dynalite_process()).endpoint
        proxy = stack.enter_context(fault_proxy(endpoint, seed=seed))
        table = unique_table_name()
        create_runner_table(dynamodb_client(endpoint), table)
        proxy.rate, proxy.rate_fault = throttle, "throttle"
        tally = two_devices(lambda: DynamoStore(table, client=dynamodb_client(proxy.endpoint, config=config)),
                            workouts, lambda: DynamoStore(table, client=dynamodb_client(endpoint)).get_attributes(
                                request_for(USER_ID)))
        calls, throttled = sum(proxy.seen.values()), proxy.injected["throttle"]
    return {"devices": 2, "workouts": 2 * workouts, "throttle": throttle, "storage_calls": calls,
            "throttled": throttled, "finished": tally.finished, "finished_recorded": tally.finished_recorded,
            "sets_told_saved": tally.told, "sets_stored": tally.sets_stored, "told_unsaved": tally.unsaved,
            "turns": tally.turns, "seconds": round(tally.seconds, 1)}




def table(figures: dict[str, Any]) -> str:
    """The soak's figures as a Markdown section for RESULTS.md."""
    return "\n".join([
        f"## Soak: {figures['devices']} devices x {figures['workouts'] // figures['devices']} workouts, "
        f"{figures['throttle']:.0%} of storage calls throttled",
        "",
        "| Measure | Value |",
        "|---|---|",
        f"| Finished workouts recorded / finished (must be 100%) | {figures['finished_recorded']:.0%} "
        f"({figures['finished']} finished) |",
        f"| Sets stored / sets the runner was told were saved (must be 100%) | {figures['sets_stored']:.0%} "
        f"({figures['sets_told_saved']} told) |",
        f"| Stops or finishes that said the progress could not be saved | {figures['told_unsaved']} |",
        f"| Storage calls, of them throttled | {figures['storage_calls']}, {figures['throttled']} |",
        f"| Turns, wall time | {figures['turns']}, {figures['seconds']} s |",
        "",
    ])

