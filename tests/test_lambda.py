"""The Lambda entry: nothing happens at import; the first event builds the skill from the environment; anything
that is not an Alexa request for this skill is refused as an error."""

from __future__ import annotations

import importlib
import json
import logging
import subprocess
import sys

import pytest

from runner_strength.hosting.config import ConfigError
from runner_strength.hosting.envelope import NotAlexa
from runner_strength.storage.memory import MemoryStore
from tests.support.clock import Clock
from tests.support.envelopes import SKILL_ID, USER_ID, envelope, intent, launch, slot
from tests.support.skills import make_skill
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


# What is not Alexa's is refused: Lambda reports an error, the skill never runs -----------------------------------

def _without(*path: str) -> dict:
    body = envelope(launch())
    *parents, last = path
    node = body
    for key in parents:
        node = node[key]
    del node[last]
    return body


def _api_gateway() -> dict:
    """An API Gateway proxy event carrying a genuine envelope as its body: a function wired to HTTP by mistake."""
    return {"resource": "/", "path": "/", "httpMethod": "POST", "headers": {"Content-Type": "application/json"},
            "requestContext": {"stage": "prod", "httpMethod": "POST"}, "isBase64Encoded": False,
            "body": json.dumps(envelope(launch()))}


def _session_of(application_id: str) -> dict:
    body = envelope(launch())
    body["session"]["application"]["applicationId"] = application_id
    return body


def _no_intent_name() -> dict:
    body = envelope(intent("BuildCircuitIntent"))
    del body["request"]["intent"]["name"]
    return body


# The issue counts nine kinds and names four ({}, [], an API Gateway event, an event with no context); the other
# five are the rest of what a misconfigured trigger, a test console or a hand-made event sends.
NOT_ALEXA = {
    "an empty object": lambda: {},
    "a list": lambda: [],
    "null": lambda: None,
    "an API Gateway event": _api_gateway,
    "a scheduled EventBridge event": lambda: {"version": "0", "id": "1", "detail-type": "Scheduled Event",
                                              "source": "aws.events", "time": "2026-11-25T07:00:00Z", "detail": {}},
    "an envelope with no context": lambda: _without("context"),
    "an envelope with no request": lambda: _without("request"),
    "an envelope naming no application": lambda: _without("context", "System", "application"),
    "an envelope naming no user": lambda: _without("context", "System", "user"),
    "a launch outside any session": lambda: _without("session"),
    "an intent with no name": _no_intent_name,
}
FOR_ANOTHER = {
    "another skill's request": lambda: envelope(launch(), application_id="amzn1.ask.skill.someone-else"),
    "a session naming another skill": lambda: _session_of("amzn1.ask.skill.someone-else"),
}


@pytest.fixture
def entry(monkeypatch):
    module = importlib.import_module("runner_strength.hosting.lambda_entry")
    store = MemoryStore()
    monkeypatch.setattr(module, "_skill", make_skill(store, Clock()))
    return module, store


@pytest.mark.parametrize("kind", sorted({**NOT_ALEXA, **FOR_ANOTHER}))
def test_an_event_that_is_not_an_alexa_request_for_this_skill_is_refused_as_a_lambda_error(entry, kind, caplog):
    module, store = entry
    event = {**NOT_ALEXA, **FOR_ANOTHER}[kind]()
    with caplog.at_level(logging.WARNING), pytest.raises(NotAlexa):
        module.handle(event, None)
    assert store.reads == store.writes == 0, "the skill ran"
    assert "refused" in caplog.text and USER_ID not in caplog.text


@pytest.mark.parametrize("kind", ["a genuine launch", *sorted(NOT_ALEXA)])
def test_without_a_skill_id_every_event_is_refused_and_says_what_to_set(entry, monkeypatch, kind):
    module, store = entry
    monkeypatch.setattr(module, "_skill", make_skill(store, Clock(), skill_id=None))
    event = envelope(launch()) if kind == "a genuine launch" else NOT_ALEXA[kind]()
    with pytest.raises(ConfigError, match="SKILL_ID"):
        module.handle(event, None)
    assert store.reads == store.writes == 0


def test_a_genuine_request_still_gets_its_answer(entry):
    module, store = entry
    reply = module.handle(envelope(launch()), None)
    assert "Runner Strength" in reply["response"]["outputSpeech"]["ssml"] and store.reads == 1
