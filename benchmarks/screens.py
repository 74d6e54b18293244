"""Screens for a runner who keeps coming back: how many guided turns on an Echo Show carry their screen, and the
largest response, as the runner's history grows.

    .venv/bin/python benchmarks/screens.py [--workouts 20]

A runner does 50 generated workouts through the skill (tests/support/workouts.loyal_runner: named parts that
hurt, harder and easier, progression as it comes); after 0, 10, 20, 30 and 50 of them, `--workouts` more are
touched and talked through on a device that reports APL, each from the same stored record. The record travels
in every response's session attributes, so it is what grows a response as the history does.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

HISTORY = (0, 10, 20, 30, 50)
LOYAL = "amzn1.ask.account.LOYAL"


@dataclass(frozen=True)
class Row:
    history: int  # workouts in the runner's record before these
    guided: int  # guided turns (tests/support/screens.guided_workout)
    shown: int  # of them, with their screen
    largest: int  # bytes, the largest response of the workouts, screens included
    record: int  # bytes, the runner's stored record (JSON), as it was before these workouts


def screens_with_history(workouts: int, history: tuple[int, ...] = HISTORY) -> list[Row]:
    from runner_strength.storage.memory import MemoryStore
    from tests.support.clock import Clock
    from tests.support.screens import ShowConversation, guided_workout, screen
    from tests.support.skills import make_skill
    from tests.support.workouts import loyal_runner

    store, clock = MemoryStore(), Clock()
    # The history has its own skill (its seeds) and its own random choices, so it is the same however many workouts
    # are measured after it.
    skill, on_screen = make_skill(store, clock), make_skill(store, clock, seed_start=10**6)
    rng = random.Random(27)
    rows, done = [], 0
    for count in history:
        loyal_runner(skill, clock, rng, count - done, LOYAL)
        done = count
        before = store.snapshot()
        record = sum(len(json.dumps(data)) for data in store.items.values())
        guided_turns, everything = [], []
        measured = random.Random(count)
        for _ in range(workouts):
            store.restore(before)
            replies, guided = guided_workout(ShowConversation(on_screen, user_id=LOYAL, device_time=clock.now),
                                             measured)
            everything += replies
            guided_turns += guided
        store.restore(before)
        rows.append(Row(count, len(guided_turns), sum(1 for r in guided_turns if screen(r)),
                        max(len(json.dumps(r).encode()) for r in everything), record))
    return rows


def screens_section(rows: list[Row], workouts: int) -> list[str]:
    lines = ["## Screens as the history grows", "",
             f"A runner on an Echo Show with {rows[0].history} to {rows[-1].history} workouts behind them: {workouts} "
             "generated workouts after each, touched and talked through (benchmarks/screens.py). A guided turn is the "
             "reply to ready and to every turn of the workout after it.", "",
             "| workouts before | record bytes | guided turns | with their screen | largest response, bytes |",
             "|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row.history} | {row.record:,} | {row.guided} | {row.shown} ({row.shown / row.guided:.0%}) | "
                     f"{row.largest:,} |")
    lines += ["", "Alexa's limit on a whole response: 24,576 bytes."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workouts", type=int, default=20, help="workouts on the screen after each history length")
    args = parser.parse_args()
    print("\n".join(screens_section(screens_with_history(args.workouts), args.workouts)))


if __name__ == "__main__":
    main()
