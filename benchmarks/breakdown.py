"""Where a warm turn's time goes: our interceptors and handler against the whole `lambda_handler` call.

    .venv/bin/python benchmarks/breakdown.py [--calls 2000]

What is left after our parts is the SDK's: reading the envelope into model objects, dispatch, and writing the
response and session attributes back.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()

    from benchmarks.run import realistic_envelopes
    from runner_strength.hosting import lambda_entry
    from runner_strength.voice.areas import guide, start
    from runner_strength.voice.conversation import record_io
    from runner_strength.voice.skill import build_skill
    from tests.support import envelopes
    from tools.settings_api import Device, Stand, serving

    # As in run.py: the device's settings come from a stand-in on loopback, never from Amazon's API.
    envelopes.API_ENDPOINT = ExitStack().enter_context(serving(Stand(default=Device("UTC", "IMPERIAL")))).url
    bodies, store, stored = realistic_envelopes()
    lambda_entry._skill = build_skill(store)
    spent: dict[str, float] = {}

    def timed(owner: type, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        setattr(owner, name, wrapper)

    timed(record_io.LoadRecord, "process", "ours: load the record, set up the turn")
    timed(record_io.SaveRecord, "process", "ours: serialise, fingerprint and save the record")
    for handler in (guide.Forward, start.Launch, start.BuildCircuit):
        timed(handler, "handle", "ours: the handler (plan, cursor, speech)")
    for turn in ("launch", "build", "next set"):
        body = json.dumps(bodies[turn])
        for _ in range(200):
            store.restore(stored[turn])
            lambda_entry.handle(json.loads(body), None)
        spent.clear()
        started = time.perf_counter()
        for _ in range(args.calls):
            store.restore(stored[turn])  # a dict copy of one entry: nothing next to a turn
            lambda_entry.handle(json.loads(body), None)
        total = (time.perf_counter() - started) / args.calls * 1000
        ours = sum(spent.values()) / args.calls * 1000
        print(f"{turn}: {total:.3f} ms per turn; ours {ours:.3f} ms, the SDK and the rest {total - ours:.3f} ms")
        for label, seconds in sorted(spent.items()):
            print(f"    {label}: {seconds / args.calls * 1000:.3f} ms")


if __name__ == "__main__":
    main()
