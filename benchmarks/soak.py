"""Soak: two devices on one account doing guided workouts at the same time, against DynamoDB (dynalite) behind a
proxy that throttles a share of all storage calls.

Each device runs `workouts` full circuits, their turns interleaved, so the two sessions are open together and
every save can conflict with the other device's. A workout is "ready" (the warm-up and the first sets, one
response) then "next" after each delivery (as many sets as fit in a response) to its end, its summary, and
nothing more (the session, open a moment for a remark, ends); every third is stopped part-way instead, by an
"Alexa, stop" that cuts into its second delivery, so the sets from the one it cut on do not count. At the end
the store is checked against what the runner heard:

- finished workouts recorded / finished: a workout the runner heard finish is in the history as finished, once;
- sets stored / sets the runner was told were saved: the sets in "Saved. You finished 4 of 10 sets" and in a
  finished workout's summary, as the history holds them;
- sets stored beyond what the runner was told: a set cut part-way, or never heard, counted as done.

The first two must be 100%, the last 0. `two_devices` runs the same on any store (the tests use it on memory and
SQLite too).
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
from runner_strength.training.cursor import Cursor
from tests.support.clock import Clock
from tests.support.envelopes import USER_ID, Conversation, intent, said, session_ended, unpacked
from tests.support.skills import make_skill

STOP_EVERY = 3  # every third workout is stopped part-way
STOP_INTO = 60.0  # seconds into its second delivery ("ready"'s is the first): in the middle of a set or a rest
MAX_TURNS = 30  # a workout's turns at most: a full circuit takes about seven
SECONDS_PER_TURN = 5


@dataclass
class Tally:
    finished: int = 0  # workouts the runner heard finish
    recorded: int = 0  # ... found in the history as finished, exactly once
    told: int = 0  # sets the runner was told were saved (at a stop or a finish)
    stored: int = 0  # ... of those, the sets the history holds
    overstored: int = 0  # sets the history holds beyond those the runner was told were done
    stopped: int = 0  # workouts stopped part-way (and told they were saved)
    uncounted: int = 0  # sets of the deliveries the stops cut into that were not counted: from the cut on
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
        # Each workout to do: whether it is stopped part-way.
        self.plan = [number % STOP_EVERY == STOP_EVERY - 1 for number in range(first, first + workouts)]
        self.turn: int | None = None  # the turn of the workout under way; None between workouts
        self.summed_up = False  # the workout's summary was heard: the runner says nothing more

    def request(self) -> tuple[dict[str, Any], float | None]:
        """What the runner says next in the workout under way, and when: seconds into the last response, or None
        once it has played to its end."""
        if self.summed_up:  # the session stays open a moment for a remark; none comes, and Alexa ends it
            return session_ended("EXCEEDED_MAX_REPROMPTS"), None
        if self.turn == 0:
            return intent("BuildCircuitIntent"), None
        if self.turn == 1:
            return intent("ReadyIntent"), None
        if self.plan[0] and self.turn == 3:  # build, ready, next: cut into that second delivery
            return intent("AMAZON.StopIntent"), STOP_INTO
        return intent("AMAZON.NextIntent"), None

    def step(self, tally: Tally, finished_ids: Counter[str]) -> bool:
        """Say the next thing; False once every workout is done."""
        if self.turn is None:
            if not self.plan:
                return False
            self.turn = 0
            self.talk.session = None  # each workout is a new session
        request, barge = self.request()
        before = unpacked(self.talk.session).get("record") or {}
        reply = self.talk.send(request, barge=barge)
        self.turn += 1
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
                    self.summed_up = True
                else:
                    tally.stopped += 1
                    held = Cursor.from_dict(before["workout"]).sets_done  # with the whole delivery cut into
                    tally.uncounted += held - int(match.group(1))
        if told_unsaved:  # told the truth: not counted as a finish or a save the runner was promised
            tally.unsaved += 1
        over = reply["response"].get("shouldEndSession", True) is not False
        assert over or self.turn < MAX_TURNS, f"a workout still going after {MAX_TURNS} turns: {text[-300:]}"
        if over:  # the session is over, and with it this workout
            self.plan.pop(0)
            self.turn, self.summed_up = None, False
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
    tally.overstored = sum(max(entries[wid]["done"] - sets, 0) if wid in entries else 0 for wid, sets in tally.claims)
    return tally


def soak(workouts: int = 10, throttle: float = 0.3, seed: int = 0, endpoint: str | None = None) -> dict[str, Any]:
    """Two devices x `workouts` guided workouts on dynalite behind a proxy throttling `throttle` of all calls.
    Starts dynalite unless `endpoint` names a running one. Returns the figures; `finished_recorded` and
    `sets_stored` must be 1.0, `sets_overstored` 0."""
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
            "sets_told_saved": tally.told, "sets_stored": tally.sets_stored, "sets_overstored": tally.overstored,
            "stopped": tally.stopped, "uncounted": tally.uncounted, "told_unsaved": tally.unsaved,
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
        f"({figures['sets_told_saved']} told; {figures['stopped']} workouts stopped part-way, not counting "
        f"{figures['uncounted']} sets of the deliveries they cut into) |",
        f"| Sets stored beyond those told (must be 0) | {figures['sets_overstored']} |",
        f"| Stops or finishes that said the progress could not be saved | {figures['told_unsaved']} |",
        f"| Storage calls, of them throttled | {figures['storage_calls']}, {figures['throttled']} |",
        f"| Turns, wall time | {figures['turns']}, {figures['seconds']} s |",
        "",
    ])

