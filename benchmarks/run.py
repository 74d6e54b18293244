"""`make bench`: Runner Strength against a hello-world ask-sdk-core skill, side by side in one run.

    .venv/bin/python benchmarks/run.py [--quick] [--output benchmarks/RESULTS.md]

Warm turns, cold starts, storage calls (against dynalite), HTTP throughput with and without request
verification, genuine requests refused under a forged-request flood, package and response sizes, and a cost
model. Baseline and ours alternate in blocks so a noisy machine affects both alike; ratios are the numbers to
read. `--quick` runs a few iterations of everything (CI uses it so this code cannot rot); it asserts nothing about
speed. benchmarks/README.md says how to read it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT)]

from runner_strength.storage.memory import MemoryStore, Snapshot  # noqa: E402

# Warm turns measured; "next set" is a "next" in a workout: the delivery of as many sets as fit in a response.
TURNS = ("launch", "build", "next set", "stop")

# Prices used by the cost model: AWS's published us-east-1 list prices as known on the date below.
PRICES = {
    "date": "2026-11-25 (us-east-1 list prices as published since the 2024-11 DynamoDB on-demand reduction; "
            "check aws.amazon.com/lambda/pricing and /dynamodb/pricing/on-demand before relying on them)",
    "lambda_request": 0.20 / 1_000_000,
    "lambda_gb_second": {"arm64": 0.0000133334, "x86_64": 0.0000166667},
    "dynamodb_write_unit": 0.625 / 1_000_000,  # per write request unit (1 KB)
    "dynamodb_read_unit": 0.125 / 1_000_000,  # per read request unit (4 KB, strongly consistent)
}
# The one number not measured here: a DynamoDB call's round trip inside an AWS region.
DYNAMODB_ROUND_TRIP_MS = 8.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


# -- Envelopes ----------------------------------------------------------------------------------------------


def realistic_envelopes() -> tuple[dict[str, dict], MemoryStore, dict[str, Snapshot]]:
    """About 3 KB each, as Alexa sends them from a device with a screen: viewport, device, session attributes
    from a real conversation, resolved slots. Also returns the conversation's in-memory store and, per turn, what
    it held when that turn came: put back before each call, a replayed turn's save never meets its own last one."""
    from tests.support.clock import Clock
    from tests.support.envelopes import Conversation, envelope, intent, launch, slot
    from tests.support.skills import make_skill

    store = MemoryStore()
    talk = Conversation(make_skill(store, Clock()))
    talk.launch()
    after_launch = store.snapshot()
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    at_build = talk.turns[0]["sessionAttributes"]
    mid_workout = talk.session
    stored = {"launch": store.snapshot(), "build": after_launch, "next set": store.snapshot(),
              "stop": store.snapshot()}
    build_slots = {"area": slot("area", "glutes", "GLUTE_MEDIUS"), "minutes": slot("minutes", "20"),
                   "secondArea": slot("secondArea", None), "rounds": slot("rounds", None),
                   "equipment": slot("equipment", None), "level": slot("level", None)}
    # Said once the last delivery has played out (stamped by the conversation's device clock), so no request cuts
    # into it.
    answered = {"timestamp": talk.device_time.strftime("%Y-%m-%dT%H:%M:%SZ")}
    bodies = {
        "launch": envelope(launch()),
        "build": envelope(intent("BuildCircuitIntent", **build_slots), session=at_build, new=False),
        "next set": envelope({**intent("AMAZON.NextIntent"), **answered}, session=mid_workout, new=False),
        "stop": envelope({**intent("AMAZON.StopIntent"), **answered}, session=mid_workout, new=False),
    }
    viewport = {"experiences": [{"arcMinuteWidth": 246, "arcMinuteHeight": 144, "canRotate": False,
                                 "canResize": False}], "mode": "HUB", "shape": "RECTANGLE",
                "pixelWidth": 1024, "pixelHeight": 600, "dpi": 160, "currentPixelWidth": 1024,
                "currentPixelHeight": 600, "touch": ["SINGLE"], "video": {"codecs": ["H_264_42", "H_264_41"]}}
    for body in bodies.values():
        body["context"]["Viewport"] = viewport
        body["context"]["System"]["device"]["supportedInterfaces"] = {
            "Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}, "AudioPlayer": {}}
    return bodies, store, stored


# -- Warm turns ---------------------------------------------------------------------------------------------


def warm_turns(iterations: int, block: int) -> dict[str, dict[str, list[float]]]:
    from benchmarks import baseline_skill
    from runner_strength.hosting import lambda_entry
    from runner_strength.voice.skill import build_skill
    from tests.support.envelopes import SKILL_ID

    bodies, store, stored = realistic_envelopes()
    lambda_entry._skill = build_skill(store, skill_id=SKILL_ID)  # the Lambda entry answers only its own skill
    handlers = {"baseline": baseline_skill.lambda_handler, "ours": lambda_entry.handle}
    results: dict[str, dict[str, list[float]]] = {t: {"baseline": [], "ours": []} for t in TURNS}
    for turn in TURNS:
        for who in handlers:  # warm both up first
            for _ in range(20):
                store.restore(stored[turn])
                handlers[who](json.loads(json.dumps(bodies[turn])), None)
        done = 0
        while done < iterations:
            for who in ("baseline", "ours") if done % (2 * block) == 0 else ("ours", "baseline"):
                for _ in range(block):
                    event = json.loads(json.dumps(bodies[turn]))  # a fresh event each call, as Lambda gives
                    store.restore(stored[turn])
                    started = time.perf_counter()
                    handlers[who](event, None)
                    results[turn][who].append((time.perf_counter() - started) * 1000)
            done += block
    return results


# -- Cold starts --------------------------------------------------------------------------------------------


COLD_PROBE = """
import json, sys, time
started = time.perf_counter()
{imports}
answer = lambda_handler(json.loads(sys.stdin.read()), None)
assert answer["response"]["outputSpeech"]
print(json.dumps({{"ms": (time.perf_counter() - started) * 1000}}))
"""
COLD_VARIANTS = {
    "baseline": "from benchmarks.baseline_skill import lambda_handler",
    "baseline + import boto3": "import boto3\nfrom benchmarks.baseline_skill import lambda_handler",
    "ours (DynamoDB store)": "from lambda_function import lambda_handler",
}


def cold_starts(runs: int, endpoint: str, table: str) -> dict[str, list[float]]:
    """A fresh interpreter importing the handler and answering one launch; time from the first import to
    the answer (interpreter start-up is the same for all and left out)."""
    from tests.support.envelopes import SKILL_ID, envelope, launch

    event = json.dumps(envelope(launch()))
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'lambda'}{os.pathsep}{ROOT}", "SKILL_STORE": f"dynamodb:{table}",
           "AWS_ENDPOINT_URL_DYNAMODB": endpoint, "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench",
           "AWS_SECRET_ACCESS_KEY": "bench", "PYTHONDONTWRITEBYTECODE": "", "SKILL_ID": SKILL_ID}
    results: dict[str, list[float]] = {name: [] for name in COLD_VARIANTS}
    for run in range(runs):
        order = list(COLD_VARIANTS) if run % 2 == 0 else list(reversed(COLD_VARIANTS))
        for name in order:
            probe = COLD_PROBE.format(imports=COLD_VARIANTS[name])
            out = subprocess.run([sys.executable, "-c", probe], input=event, capture_output=True, text=True,
                                 env=env, cwd=ROOT / "lambda", timeout=60, check=True)
            results[name].append(json.loads(out.stdout.strip().splitlines()[-1])["ms"])
    return results


# -- Storage calls ------------------------------------------------------------------------------------------


def storage_calls(endpoint: str, table: str) -> dict:
    """A whole 5-exercise, 2-round guided workout on DynamoDB (dynalite), every call counted by turn: "ready" and
    "next" each give a delivery (as many sets as fit in a response), "repeat" between them; after the summary the
    runner says nothing and the session ends, which closes the workout."""
    from runner_strength.storage.dynamodb import DynamoStore
    from tests.support.clock import Clock
    from tests.support.envelopes import Conversation, heard, session_ended
    from tests.support.servers import CountingClient, dynamodb_client
    from tests.support.skills import make_skill

    client = CountingClient(dynamodb_client(endpoint))
    skill = make_skill(DynamoStore(table, client=client), Clock())
    talk = Conversation(skill)
    rows = []

    def turn(label: str, name: str | None = None) -> None:
        if name is None:
            talk.launch()
        elif name == "SessionEndedRequest":
            talk.send(session_ended("EXCEEDED_MAX_REPROMPTS"))
        else:
            talk.say(name)
        reads, writes = client.take()
        rows.append((label, reads, writes))

    def summed_up() -> bool:
        return any(heard(talk.turns[-1], key, done=10, total=10) for key in ("workout.done", "workout.done_early"))

    turn("launch (first ever)")
    turn("build a full circuit", "BuildCircuitIntent")
    for aside in ("HowManyLeftIntent", "ExplainIntent", "AMAZON.HelpIntent"):
        turn(f"aside: {aside}", aside)
    turn("ready: delivery 1 (the warm-up and the first set)", "ReadyIntent")
    number = 1
    while not summed_up() and number < 20:
        turn("repeat", "AMAZON.RepeatIntent")
        number += 1
        turn(f"next: delivery {number}", "AMAZON.NextIntent")
    turn("silence after the summary: the session ends, the workout is closed", "SessionEndedRequest")
    talk = Conversation(skill)
    turn("launch (returning)")
    item = client.client.get_item(TableName=table, Key={"id": {"S": "user:amzn1.ask.account.TESTRUNNER"}})["Item"]
    return {"rows": rows, "item_bytes": len(item["data"]["S"]) + 64}


# -- Sizes --------------------------------------------------------------------------------------------------


def response_sizes(circuits: int) -> dict[str, list[int]]:
    from tests.support.clock import Clock
    from tests.support.envelopes import Conversation
    from tests.support.skills import make_skill
    from tests.support.workouts import aside, random_request_slots

    rng = random.Random(20261125)
    skill = make_skill(MemoryStore(), Clock())
    sizes: dict[str, list[int]] = {"response bytes": [], "speech characters": [], "breaks per response": []}
    for _ in range(circuits):
        talk = Conversation(skill, user_id=f"amzn1.ask.account.{rng.randrange(10**9)}")
        replies = [talk.launch(), talk.say("BuildCircuitIntent", **random_request_slots(rng)), talk.say("ReadyIntent")]
        while talk.session is not None and len(replies) < 200:
            replies.append(aside(talk, rng) if rng.random() < 0.15 else talk.say("AMAZON.NextIntent"))
        for reply in replies:
            ssml = (reply["response"].get("outputSpeech") or {}).get("ssml", "")
            sizes["response bytes"].append(len(json.dumps(reply).encode()))
            sizes["speech characters"].append(len(ssml))
            sizes["breaks per response"].append(ssml.count("<break"))
    return sizes


def lambda_zip() -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, str(ROOT / "tools" / "package.py"), "--out-dir", out], check=True,
                       capture_output=True, cwd=ROOT)
        zips = list(Path(out).glob("*.zip"))
        import zipfile

        with zipfile.ZipFile(zips[0]) as archive:
            return zips[0].stat().st_size, len(archive.namelist())


# -- Report -------------------------------------------------------------------------------------------------


def versions() -> str:
    names = ("ask-sdk-core", "ask-sdk-model", "boto3", "botocore", "Flask", "gunicorn", "cryptography")
    return ", ".join(f"{n} {metadata.version(n)}" for n in names)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def spread(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.3f} ({min(values):.3f} to {max(values):.3f})"


def report(args, warm, cold, storage, http, sizes, zip_info, timing: list[str]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/run.py); benchmarks/README.md says how to read it and what is ours.",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{' '.join(['benchmarks/run.py', *sys.argv[1:]])}`"
        f"{' (quick: too few iterations to read anything into)' if args.quick else ''}.",
        f"Machine: {cpu_model()}, {os.cpu_count()} cores, {platform.platform()}; Python "
        f"{platform.python_version()}; {versions()}.",
        "",
        "## Warm turn: `lambda_handler(event, None)`",
        "",
        f"{len(warm['launch']['ours'])} calls per turn and skill, alternating in blocks of {args.block}; realistic "
        "envelopes (viewport, device, session attributes, resolved slots). Ours runs on the in-memory store "
        "(`SKILL_STORE=memory:`), put back before each call to what it held when that turn came, so this is the "
        "skill's own work and no network; the baseline is a hello-world skill on the same SDK.",
        "",
        "| turn | envelope bytes | baseline p50 / p99 ms | ours p50 / p99 ms | ratio p50 | ratio p99 |",
        "|---|---|---|---|---|---|",
    ]
    bodies = realistic_envelopes()[0]
    for turn in TURNS:
        base, ours = warm[turn]["baseline"], warm[turn]["ours"]
        lines.append(
            f"| {turn} | {len(json.dumps(bodies[turn]))} | {percentile(base, .5):.3f} / {percentile(base, .99):.3f} | "
            f"{percentile(ours, .5):.3f} / {percentile(ours, .99):.3f} | "
            f"{percentile(ours, .5) / percentile(base, .5):.2f}x | "
            f"{percentile(ours, .99) / percentile(base, .99):.2f}x |")
    lines += ["", "Target: every turn's p50 within 2.0x of the baseline.", "",
              "## Cold start: a fresh process importing the handler and answering one launch", "",
              f"{len(cold['baseline'])} runs each, alternating; milliseconds from the first import to the answer "
              "(median, min to max). Ours has the DynamoDB store configured against a local dynalite.", "",
              "| variant | ms |", "|---|---|"]
    for name, values in cold.items():
        lines.append(f"| {name} | {spread(values)} |")
    over = statistics.median(cold["ours (DynamoDB store)"]) - statistics.median(cold["baseline + import boto3"])
    lines += ["", f"Ours minus (baseline + import boto3): {over:.1f} ms. Target: within 25 ms.", "",
              "## Storage calls for a 5-exercise, 2-round guided workout (dynalite)", "",
              "| turn | reads | writes |", "|---|---|---|"]
    for label, reads, writes in storage["rows"]:
        lines.append(f"| {label} | {reads} | {writes} |")
    total_reads = sum(r for _, r, _ in storage["rows"])
    total_writes = sum(w for _, _, w in storage["rows"])
    lines += ["", f"Total: {total_reads} reads, {total_writes} writes; the stored item is about "
              f"{storage['item_bytes']} bytes. Target: 1 read per session, at most one write per delivery (and one "
              "to close the workout), none on other navigation turns.", "",
              "## HTTP: `make serve` (gunicorn, 1 worker, 8 threads) on loopback", "",
              f"{http['clients']} clients, {http['rounds']} alternating rounds of {http['seconds']:.0f} s per mode.",
              "", "| verification | req/s median (min to max) | p50 ms | p99 ms |", "|---|---|---|---|"]
    for mode in ("off", "on"):
        rates, latencies = http[mode]
        lines.append(f"| {mode} | {statistics.median(rates):.1f} ({min(rates):.1f} to {max(rates):.1f}) | "
                     f"{percentile(latencies, .5) * 1000:.2f} | {percentile(latencies, .99) * 1000:.2f} |")
    ratio = statistics.median(http["on"][0]) / statistics.median(http["off"][0])
    lines += ["", f"Verified / unverified: {ratio:.3f}. Target: ≥ 0.85.", "", "## Sizes", "",
              f"Lambda zip: {zip_info[0]:,} bytes ({zip_info[0] / 2**20:.2f} MB), {zip_info[1]} files "
              "(limit we hold to: 10 MB).", "",
              f"Over {args.circuits} generated workouts ({len(sizes['response bytes'])} responses):", "",
              "| measure | p50 | p90 | p99 | max | Alexa's limit |", "|---|---|---|---|---|---|"]
    limits = {"response bytes": "24,576", "speech characters": "8,000", "breaks per response": "(each ≤ 10 s)"}
    for name, values in sizes.items():
        lines.append(f"| {name} | {percentile(values, .5)} | {percentile(values, .9)} | {percentile(values, .99)} | "
                     f"{max(values)} | {limits[name]} |")
    lines += cost_model(warm, storage)
    lines += ["", *timing]
    return "\n".join(lines) + "\n"


def cost_model(warm, storage) -> list[str]:
    """10,000 guided workouts: Lambda (256 MB, arm64 and x86) and DynamoDB on-demand."""
    workouts = 10_000
    gb = 256 / 1024
    in_workout = [row for row in storage["rows"] if not row[0].startswith(("aside", "repeat", "launch (returning"))]
    reads = sum(r for _, r, _ in in_workout)
    writes = sum(w for _, _, w in in_workout)
    item_kb = storage["item_bytes"] / 1024
    # A guided workout as a runner does it: open, ask, "ready" and "next" for each delivery (as many as the storage
    # run took), and the session's end after the summary (a turn that saves and ends, timed as a stop).
    deliveries = sum(1 for label, _, _ in in_workout if label.startswith(("ready", "next")))
    workout_turns = {"launch": 1, "build": 1, "next set": deliveries, "stop": 1}
    invocations = sum(workout_turns.values()) * workouts
    # Billed time per turn: our measured p50, plus a DynamoDB round trip per storage call on that turn, rounded
    # up to Lambda's 1 ms billing granularity.
    per_workout_ms = 0.0
    storage_calls = {"launch": 1 + 1, "build": 1, "next set": 1, "stop": 1}  # first launch reads and writes once
    for turn, count in workout_turns.items():
        own = percentile(warm[turn]["ours"], .5)
        per_workout_ms += count * math.ceil(own + storage_calls[turn] * DYNAMODB_ROUND_TRIP_MS)
    lines = ["", "## Cost model: 10,000 guided workouts", "",
             f"Prices: {PRICES['date']}. Lambda ${PRICES['lambda_request'] * 1e6:.2f} per million requests, "
             f"${PRICES['lambda_gb_second']['arm64']:.10f} per GB-s on arm64 and "
             f"${PRICES['lambda_gb_second']['x86_64']:.10f} on x86_64; DynamoDB on-demand "
             f"${PRICES['dynamodb_write_unit'] * 1e6:.3f} per million write units (1 KB) and "
             f"${PRICES['dynamodb_read_unit'] * 1e6:.3f} per million read units (4 KB, strongly consistent).",
             "",
             f"Per workout: {sum(workout_turns.values())} invocations, about {per_workout_ms:.0f} billed ms "
             f"(our measured p50 per turn plus an assumed {DYNAMODB_ROUND_TRIP_MS:.0f} ms per DynamoDB call - "
             f"the one number not measured here); {reads} reads and {writes} writes of an item of about "
             f"{item_kb:.1f} KB, so {math.ceil(item_kb)} write units and {math.ceil(item_kb / 4)} read unit each. "
             "Cold starts and storage at rest (one small item per runner) are left out.",
             "", "| part | arm64 | x86_64 |", "|---|---|---|"]
    requests_cost = invocations * PRICES["lambda_request"]
    compute = {arch: workouts * per_workout_ms / 1000 * gb * price
               for arch, price in PRICES["lambda_gb_second"].items()}
    dynamo = workouts * (writes * math.ceil(item_kb) * PRICES["dynamodb_write_unit"]
                         + reads * math.ceil(item_kb / 4) * PRICES["dynamodb_read_unit"])
    lines.append(f"| Lambda requests | ${requests_cost:.4f} | ${requests_cost:.4f} |")
    lines.append(f"| Lambda compute (256 MB) | ${compute['arm64']:.4f} | ${compute['x86_64']:.4f} |")
    lines.append(f"| DynamoDB on-demand | ${dynamo:.4f} | ${dynamo:.4f} |")
    lines.append(f"| **total** | **${requests_cost + compute['arm64'] + dynamo:.4f}** | "
                 f"**${requests_cost + compute['x86_64'] + dynamo:.4f}** |")
    return lines


def hands_free(seeds: int) -> list[str]:
    """How often the runner must speak to go on, and how much of a workout is talk, for a default full circuit and a
    45-minute one, normal and brief cues, over `seeds` circuits each (in-process, the device clock as in the tests:
    each request after the last response has played and the runner's turn)."""
    from runner_strength.training.record import Preferences, RunnerRecord
    from tests.support.clock import Clock
    from tests.support.envelopes import USER_ID, Conversation, request_for, slot, waits
    from tests.support.handsfree import instruction_words, measure
    from tests.support.skills import make_skill

    def workout(cues: str, seed: int, minutes: int | None) -> tuple:
        store = MemoryStore()
        store.save_attributes(request_for(USER_ID),
                              RunnerRecord(preferences=Preferences(cues=cues), welcomed=True).to_dict())
        talk = Conversation(make_skill(store, Clock(), seed_start=seed))
        talk.launch()
        talk.say("BuildCircuitIntent", **({"minutes": slot("minutes", str(minutes))} if minutes else {}))
        replies = [talk.say("ReadyIntent")]
        while waits(replies[-1]):
            replies.append(talk.say("ReadyIntent"))
        return measure(replies), instruction_words(replies)

    lines = ["## Hands-free: what the runner must say, and how much is talk", "",
             "A workout from \"ready\" to the finish, the runner saying \"go\" at every hand-back (tests/support/"
             "handsfree.py: talk is every word at 155 a minute, counts included, against the whole time, the "
             f"runner's turns included). Ranges over {seeds} circuits. Before issue 20 a default full circuit "
             "handed back 10 times and was 38% talk (395 s of 1,042 s).", "",
             "| workout | cues | hand-backs | minutes | talk | instruction words |", "|---|---|---|---|---|---|"]
    for label, minutes in (("default full circuit", None), ("45-minute circuit", 45)):
        for cues in ("normal", "brief"):
            runs = [workout(cues, seed, minutes) for seed in range(seeds)]
            figures = [f for f, _ in runs]

            def span(values: list[float], fmt: str) -> str:
                return f"{min(values):{fmt}} to {max(values):{fmt}}" if min(values) != max(values) \
                    else f"{min(values):{fmt}}"

            lines.append(f"| {label} | {cues} | {span([f.hand_backs for f in figures], 'd')} | "
                         f"{span([f.minutes for f in figures], '.1f')} | "
                         f"{span([100 * f.talk_share for f in figures], '.1f')}% | "
                         f"{span([w for _, w in runs], 'd')} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description="Runner Strength benchmarks against a hello-world baseline")
    parser.add_argument("--quick", action="store_true", help="a few iterations of everything (for CI)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args()
    args.iterations, args.block = (40, 20) if args.quick else (4000, 250)
    args.cold_runs = 1 if args.quick else 15
    args.circuits = 10 if args.quick else 2000
    http_seconds, http_rounds = (0.5, 1) if args.quick else (5.0, 3)

    from benchmarks import flood
    from benchmarks.http_serve import measure
    from benchmarks.screens import HISTORY, screens_section, screens_with_history
    from benchmarks.soak import soak
    from benchmarks.soak import table as soak_table
    from benchmarks.timing import timing_section, timing_table
    from tests.support import envelopes
    from tests.support.servers import create_runner_table, dynamodb_client, running_dynalite, unique_table_name
    from tools.settings_api import Device, Stand, serving

    # Every request names a stand-in for the Alexa Settings API, its devices in UTC: the skill's lookups (one a device
    # and hour) go to loopback, never to Amazon's API. It serves until the benchmarks end.
    envelopes.API_ENDPOINT = ExitStack().enter_context(serving(Stand(default=Device("UTC", "IMPERIAL")))).url
    print("warm turns ...", flush=True)
    warm = warm_turns(args.iterations, args.block)
    with running_dynalite() as endpoint:
        client = dynamodb_client(endpoint)
        cold_table, calls_table = unique_table_name(), unique_table_name()
        create_runner_table(client, cold_table)
        create_runner_table(client, calls_table)
        print("cold starts ...", flush=True)
        cold = cold_starts(args.cold_runs, endpoint, cold_table)
        print("storage calls ...", flush=True)
        storage = storage_calls(endpoint, calls_table)
        print("two devices, a 30% throttle ...", flush=True)
        soaked = soak(workouts=2 if args.quick else 10, throttle=0.3, endpoint=endpoint)
    print("http ...", flush=True)
    http = measure(seconds=http_seconds, rounds=http_rounds, clients=4)
    print("a forged-request flood ...", flush=True)
    flood_settings = (2.0 if args.quick else 15.0, 4, 2, 23)
    flood_lines = flood.section(flood.measure(*flood_settings), *flood_settings)
    print("sizes ...", flush=True)
    sizes = response_sizes(args.circuits)
    zip_info = lambda_zip()
    print("screens as the history grows ...", flush=True)
    screen_workouts = 1 if args.quick else 20
    screens = screens_section(screens_with_history(screen_workouts, (0, 10) if args.quick else HISTORY),
                              screen_workouts)
    print("the coach's clock ...", flush=True)
    rows, info = timing_table(workouts=1 if args.quick else 6)
    print("hands-free ...", flush=True)
    extra = [*flood_lines, "", *screens, "", *timing_section(rows, info), "", soak_table(soaked), "",
             *hands_free(2 if args.quick else 8)]
    text = report(args, warm, cold, storage, http, sizes, zip_info, extra)
    args.output.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
