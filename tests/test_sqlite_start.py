"""The SQLite store at start-up: a file that cannot be used stops `make serve` with a clear message (instead of a
healthy service on which every turn silently runs on defaults), and several worker processes starting on a
fresh file never meet "database is locked"."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from runner_strength.storage.sqlite import SQLiteStore
from tests.support.envelopes import SKILL_ID, envelope, launch
from tools.endpoint import ROOT, served


def serve_once(store: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "runner_strength.hosting"], capture_output=True, text=True,
                          timeout=30, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "lambda"),
                                                     "ALEXA_VERIFY": "off", "SKILL_STORE": f"sqlite:{store}"})


def not_a_database(folder: Path) -> Path:
    path = folder / "runners.sqlite3"
    path.write_bytes(b"these are not the runners you are looking for\n" * 100)
    return path


def someone_elses_table(folder: Path) -> Path:
    path = folder / "runners.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE runners (name TEXT, pace REAL)")
    return path


def under_a_file(folder: Path) -> Path:
    (folder / "plain-file").write_text("x")
    return folder / "plain-file" / "runners.sqlite3"


BROKEN: dict[str, tuple[Callable[[Path], Path], str]] = {
    "not a database": (not_a_database, "file is not a database"),
    "another table shape": (someone_elses_table, "not a Runner Strength store"),
    "a folder that cannot be made": (under_a_file, "cannot open the SQLite store"),
    "a directory": (lambda folder: folder, "cannot open the SQLite store"),
    "a place nothing can be written": (lambda folder: Path("/proc/runner-strength.sqlite3"),
                                       "cannot open the SQLite store"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_store_that_cannot_be_used_stops_the_start_with_a_clear_message(case, tmp_path):
    make, problem = BROKEN[case]
    path = make(tmp_path)
    result = serve_once(str(path))
    assert result.returncode == 2, result.stderr[-2000:]
    assert problem in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write a read-only file, so there is nothing to refuse")
def test_a_read_only_store_stops_the_start(tmp_path):
    path = tmp_path / "runners.sqlite3"
    SQLiteStore(path).check_at_start()
    os.chmod(path, 0o444)
    os.chmod(tmp_path, 0o555)
    try:
        result = serve_once(str(path))
    finally:
        os.chmod(tmp_path, 0o755)
    assert result.returncode == 2 and "readonly" in result.stderr


def test_an_existing_store_keeps_its_runners_through_the_start_check(tmp_path):
    store = SQLiteStore(tmp_path / "runners.sqlite3")
    request = first_turn("amzn1.ask.account.KEPT")
    store.check_at_start()
    store.save_attributes(request, {"version": 0, "kept": True})
    again = SQLiteStore(tmp_path / "runners.sqlite3")
    again.check_at_start()
    assert again.get_attributes(request) == {"kept": True, "version": 1}


def first_turn(user_id: str) -> RequestEnvelope:
    return DefaultSerializer().deserialize(json.dumps(envelope(launch(), user_id=user_id)), RequestEnvelope)


@pytest.fixture
def folder(tmp_path) -> Iterator[Path]:
    """On a memory file system where there is one: the race is over locks, and fsyncs would only slow the test."""
    if not Path("/dev/shm").is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir="/dev/shm") as memory:
        yield Path(memory)


def _worker_first_turn(store: SQLiteStore, request: RequestEnvelope, go, failures) -> None:
    go.wait(10)
    user_id = request.context.system.user.user_id
    try:
        store.save_attributes(request, {**store.get_attributes(request), "version": 0, "started": True})
    except Exception as err:
        failures.put(f"{user_id}: {err}")


@pytest.mark.parametrize("checked_before_forking", [True, False], ids=["checked by the parent", "workers alone"])
def test_four_workers_taking_their_first_turns_on_a_fresh_file_never_find_it_locked(checked_before_forking,
                                                                                     folder):
    """As gunicorn runs it: the app (and its store) built in one process, then four worker processes forked,
    each taking a first turn at the same moment. Fifty fresh files, with the start check in the parent (as
    `make serve` does) and without it (each worker sets the file up itself, retrying the switch to WAL)."""
    fork = multiprocessing.get_context("fork")
    failures = fork.Queue()
    requests = [first_turn(f"amzn1.ask.account.W{n}") for n in range(4)]
    for start in range(50):
        store = SQLiteStore(folder / f"fresh-{start}.sqlite3")
        if checked_before_forking:
            store.check_at_start()
        go = fork.Event()
        workers = [fork.Process(target=_worker_first_turn, args=(store, requests[n], go, failures)) for n in range(4)]
        for worker in workers:
            worker.start()
        go.set()
        for worker in workers:
            worker.join(20)
        assert all(worker.exitcode == 0 for worker in workers)
    problems = []
    while not failures.empty():
        problems.append(failures.get())
    assert problems == [], f"{len(problems)} first turns failed: {problems[:3]}"


def test_served_with_four_workers_a_fresh_file_answers_every_first_turn_from_storage(tmp_path):
    env = {"SKILL_STORE": f"sqlite:{tmp_path / 'runners.sqlite3'}", "SKILL_ID": SKILL_ID, "WEB_WORKERS": "4"}
    with served(env, tmp_path / "server.log") as url, ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda n: post_launch(url, f"amzn1.ask.account.S{n}"), range(8)))
    assert all(status == 200 for status, _ in replies)
    assert not any("saved settings" in speech for _, speech in replies), "no turn ran on defaults"
    log = (tmp_path / "server.log").read_text()
    assert "locked" not in log and "Traceback" not in log


def post_launch(url: str, user_id: str) -> tuple[int, str]:
    body = json.dumps(envelope(launch(), user_id=user_id)).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return reply.status, json.loads(reply.read())["response"]["outputSpeech"]["ssml"]
