"""The Lambda entry: nothing happens at import; the first event builds the skill from the environment."""

from __future__ import annotations

import importlib
import subprocess
import sys

from tests.support.envelopes import SKILL_ID, envelope, intent, launch, slot
from tools.endpoint import ROOT


def test_importing_the_handler_warms_up_without_touching_the_store(tmp_path):
    probe = (
        "import sys, runner_strength.hosting.lambda_entry as e, lambda_function as f;"
        "assert e._skill is not None and f.lambda_handler is e.handle;"
        "assert 'runner_strength.voice.areas.guide' in sys.modules and 'ask_sdk_model.ui.simple_card' in sys.modules;"
        "print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT / "lambda", capture_output=True, text=True,
                            env={"SKILL_STORE": f"sqlite:{tmp_path / 'never' / 'made.sqlite3'}", "PATH": ""})
    assert result.stdout.strip() == "ok", result.stderr
    assert not (tmp_path / "never").exists()


def test_the_handler_answers_a_launch_and_keeps_the_runner_between_events(tmp_path, monkeypatch):
    monkeypatch.setenv("SKILL_STORE", f"sqlite:{tmp_path / 'runners.sqlite3'}")
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    monkeypatch.syspath_prepend(str(ROOT / "lambda"))
    entry = importlib.reload(importlib.import_module("runner_strength.hosting.lambda_entry"))
    function = importlib.reload(importlib.import_module("lambda_function"))
    function.lambda_handler = entry.handle

    welcome = function.lambda_handler(envelope(launch()), None)
    assert "Runner Strength" in welcome["response"]["outputSpeech"]["ssml"]
    built = function.lambda_handler(envelope(intent("BuildCircuitIntent", area=slot("area", "core", "LOWER_BACK"))),
                                    None)
    assert "lower back" in built["response"]["outputSpeech"]["ssml"]
    again = function.lambda_handler(envelope(launch()), None)
    assert "therapist" not in again["response"]["outputSpeech"]["ssml"]
