"""What we assume about an Alexa device has one source, lambda/runner_strength/device.json: the skill, the tests'
device clock and the Node tools (tools/device.js, used by tools/alexa.js and tools/model/resolve.js) read it."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest

from runner_strength import device
from runner_strength.device import Device, DeviceError
from runner_strength.speech import timing as speech_timing
from runner_strength.training import duration as training_duration
from runner_strength.voice.conversation import interruption
from tests.support import envelopes

ROOT = Path(__file__).resolve().parents[1]
PHRASES = ["open runner strength", "Alexa, talk to runner strength", "ask runner strength for a core circuit",
           "tell runner strength to skip this one", "alexa ask runner strength about my streak",
           "tell me a joke", "open sesame", "resume runner strength", "ask runner strengthening for a circuit"]


def node(script: str) -> object:
    result = subprocess.run(["node", "-e", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)


@cache
def node_clock() -> dict[str, float]:
    return node("const d = require('./tools/device');"
                "process.stdout.write(JSON.stringify({speech_starts: d.SPEECH_STARTS_S, barge_in: d.BARGE_IN_S,"
                " runner_turn: d.RUNNER_TURN_S, word: d.WORD_S}));")


@cache
def node_invocations() -> dict[str, str | None]:
    """What tools/device.js makes of each phrase: the one-shot request ("" for a launch), or None when the phrase
    does not invoke the skill."""
    return node("const d = require('./tools/device'); const p = d.invocationPattern('runner strength'); const out = {};"
                f"for (const t of {json.dumps(PHRASES)}) {{ const m = p.exec(t); out[t] = m ? m[1] : null; }}"
                "process.stdout.write(JSON.stringify(out));")


def clock_differences(clock: dict[str, float], assumed: Device) -> list[str]:
    wanted = {"speech_starts": assumed.speech_starts_seconds, "barge_in": assumed.barge_in_seconds,
              "runner_turn": assumed.runner_turn_seconds, "word": 60 / assumed.words_per_minute}
    return [f"{name}: Node {clock.get(name)}, Python {value}" for name, value in wanted.items()
            if clock.get(name) != pytest.approx(value)]


def test_the_node_client_keeps_the_device_clock_python_reads():
    assert clock_differences(node_clock(), device.read()) == []


def test_the_clock_check_catches_a_value_out_of_step():
    assert clock_differences(node_clock(), replace(device.read(), words_per_minute=150)) == [
        f"word: Node {60 / 155}, Python {60 / 150}"]


def test_every_reader_in_python_takes_the_device_values():
    assumed = device.read()
    assert assumed.words_per_minute == speech_timing.WORDS_PER_MINUTE
    assert training_duration.RUNNER_TURN_SECONDS == envelopes.RUNNER_TURN == assumed.runner_turn_seconds
    assert interruption.SPEECH_STARTS == envelopes.SPEECH_STARTS == assumed.speech_starts_seconds
    assert interruption.BARGE_IN == envelopes.BARGE_IN == assumed.barge_in_seconds


def test_only_an_invocation_phrase_naming_the_skill_reaches_it():
    assert node_invocations() == {
        "open runner strength": "", "Alexa, talk to runner strength": "",
        "ask runner strength for a core circuit": "a core circuit",
        "tell runner strength to skip this one": "skip this one",
        "alexa ask runner strength about my streak": "my streak",
        "tell me a joke": None, "open sesame": None, "resume runner strength": None,
        "ask runner strengthening for a circuit": None,
    }


def test_every_invocation_verb_in_the_data_invokes_in_node():
    verbs = json.loads(device.PATH.read_text(encoding="utf-8"))["invocation"]["en-US"]["verbs"]
    phrases = [f"{verb} runner strength" for verb in verbs]
    found = node("const d = require('./tools/device'); const p = d.invocationPattern('runner strength');"
                 f"process.stdout.write(JSON.stringify({json.dumps(phrases)}.filter((t) => !p.test(t))));")
    assert "talk to" in verbs and found == []


@pytest.mark.parametrize(("change", "complaint"), [
    (lambda data: data.pop("barge_in_seconds"), "barge_in_seconds must be a positive number, not None"),
    (lambda data: data.update(words_per_minute=155.5), "words_per_minute must be a whole number"),
    (lambda data: data.update(runner_turn_seconds=-3), "runner_turn_seconds must be a positive number"),
    (lambda data: data.update(speech_starts_seconds=True), "speech_starts_seconds must be a positive number"),
    (lambda data: data.pop("time_zones"), "time_zones must be an object of locale: IANA time zone"),
    (lambda data: data["time_zones"].update({"en-US": "Eastern"}), "time_zones.en-US must be an IANA time zone"),
    (lambda data: data["time_zones"].update({"en-GB": "../../etc/passwd"}), "time_zones.en-GB must be an IANA"),
])
def test_a_malformed_device_file_is_refused_naming_the_entry(tmp_path, change, complaint):
    data = json.loads(device.PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "device.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DeviceError, match=complaint):
        device.read(path)
