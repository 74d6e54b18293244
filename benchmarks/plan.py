"""Simulated runners (issue 22): what the builder plans for each level, kit and time, and on a race's eve and the
day after. Prints markdown tables (issue 22's closing note quotes them); tests/test_plan_coach.py runs it quickly so
it cannot rot. Nothing here asserts: the rules are held by the property tests in tests/test_builder.py and
tests/test_plan_coach.py; this shows the shape of what they allow.

    PYTHONPATH=lambda .venv/bin/python -m benchmarks.plan [--seeds N]
"""

from __future__ import annotations

import argparse
from statistics import mean

from runner_strength.training.builder import CircuitRequest, build_circuit
from runner_strength.training.catalog import LEVELS, load_catalog
from runner_strength.training.duration import warmup_seconds
from runner_strength.training.running import LEGS_OFF, RACE, RECOVERY

KITS = ("none", "resistance_band", "dumbbells", "stability_ball", "step_or_bench")
MINUTES = (10, 20, 30, 45, 60)


def table(seeds: int) -> str:
    catalog = load_catalog()
    rows = ["| level | kit | minutes | rounds | distinct moves | most times a move is done | warm-up s (share) | "
            "circuits using the kit | advanced picks | high-fatigue picks |", "|" + "---|" * 10]
    for level in LEVELS:
        for kit in KITS:
            for minutes in MINUTES:
                built = [build_circuit(CircuitRequest(level=level, minutes=minutes,
                                                      equipment=frozenset() if kit == "none" else frozenset({kit})),
                                       catalog, seed) for seed in range(seeds)]
                picks = [catalog[e] for c in built for e in c.exercises]
                warm = [warmup_seconds(tuple(catalog[d] for d in c.warmup)) for c in built]
                share = mean(w / c.estimated_seconds for w, c in zip(warm, built, strict=True))
                kit_used = "-" if kit == "none" else \
                    f"{sum(any(catalog[e].equipment == kit for e in c.exercises) for c in built)}/{seeds}"
                rows.append(
                    f"| {level} | {kit} | {minutes} | {min(c.rounds for c in built)} to {max(c.rounds for c in built)} "
                    f"| {mean(len(c.exercises) for c in built):.1f} | {max(c.rounds for c in built)} "
                    f"| {mean(warm):.0f} ({share:.0%}) | {kit_used} "
                    f"| {sum(e.level == 'advanced' for e in picks) / len(picks):.0%} "
                    f"| {sum(e.high_fatigue for e in picks) / len(picks):.0%} |")
    rows += ["", "| level | day | areas | moves | rounds | high-fatigue picks |", "|---|---|---|---|---|---|"]
    for level in LEVELS:
        for label, legs, lvl, rounds in (("race eve", (LEGS_OFF, RACE), level, None),
                                         ("day after the race", (RECOVERY, RACE), "beginner", 2)):
            built = [build_circuit(CircuitRequest(level=lvl, legs=legs, rounds=rounds), catalog, seed)
                     for seed in range(seeds)]
            areas = sorted({a for c in built for a in c.areas})
            fatigue = sum(catalog[e].high_fatigue for c in built for e in c.exercises)
            rows.append(f"| {level} | {label} | {', '.join(areas)} | {mean(len(c.exercises) for c in built):.1f} "
                        f"| {max(c.rounds for c in built)} | {fatigue} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    print(table(parser.parse_args(argv).seeds))


if __name__ == "__main__":
    main()
