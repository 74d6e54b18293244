"""Genuine Alexa requests refused while forged ones arrive: about 23 forged requests a second, each naming a new
certificate URL, against `make serve` (gunicorn, 2 workers) with a fake S3 on loopback that answers forged URLs in
2 s, while genuine signed requests arrive, at each moment when no chain is cached or the cached one is due (a cold
start with nothing cached, a restart, an hour on, Amazon's certificate at a new URL). tests/test_flood.py asserts
on the same run; this prints it.

    .venv/bin/python benchmarks/flood.py [--seconds 15] [--genuine 4] [--workers 2] [--forged 23]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]


def measure(seconds: float, genuine_per_second: float, workers: int, forged_per_second: float) -> list:
    from tests.support.flood import through_the_moments

    with tempfile.TemporaryDirectory() as folder:
        return through_the_moments(Path(folder), seconds, genuine_per_second, workers=workers,
                                   forged_per_second=forged_per_second)


def section(outcomes: list, seconds: float, genuine_per_second: float, workers: int,
            forged_per_second: float) -> list[str]:
    """The flood's part of RESULTS.md."""
    from tests.support.flood import MOMENTS, refused

    lines = [f"## Flood: forged certificate URLs against `make serve` ({workers} workers, 8 threads each)", "",
             f"{forged_per_second:g} forged requests a second, each naming a new certificate URL (a fake S3 answers "
             f"them in 2 s), and {genuine_per_second:g} genuine a second for {seconds:g} s at each moment.", "",
             "| moment | genuine refused | genuine p50 / p99 ms |", "|---|---|---|"]
    for moment in MOMENTS:
        count, total = refused(outcomes, moment)
        times = sorted(o.seconds * 1000 for o in outcomes if o.kind == "genuine" and o.moment == moment)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))] if times else 0.0
        lines.append(f"| {moment} | {count} of {total} | {statistics.median(times) if times else 0:.1f} / "
                     f"{p99:.1f} |")
    count, total = refused(outcomes)
    lines += ["", f"Refused in all: {count} of {total} ({100 * count / max(total, 1):.1f}%). Target: ≤ 1%; at a cold "
              "start with nothing cached, the first request in each worker to name Amazon's URL may be refused."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--genuine", type=float, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--forged", type=float, default=23)
    args = parser.parse_args()
    outcomes = measure(args.seconds, args.genuine, args.workers, args.forged)
    print("\n".join(section(outcomes, args.seconds, args.genuine, args.workers, args.forged)))


if __name__ == "__main__":
    main()
