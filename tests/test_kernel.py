"""The shape of voice/: areas stand side by side on the kernel, every request has exactly one handler in
every state, a pending question is answered by what its owner registered, "repeat" replays the whole last
response, and the record changes form once each way per turn."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from runner_strength.training import record as records
from runner_strength.training.catalog import load_catalog
from runner_strength.voice import skill as assembly
from runner_strength.voice.conversation.questions import AnswerPending
from runner_strength.voice.conversation.record_io import LoadRecord
from runner_strength.voice.skill import Services
from tests.support.envelopes import Conversation, envelope, heard, intent, launch, said, session_record, slot
from tests.support.skills import make_skill
from tools.endpoint import ROOT

VOICE = ROOT / "lambda" / "runner_strength" / "voice"
MODEL = json.loads((ROOT / "interaction_model" / "en-US.json").read_text())
MODEL_INTENTS = sorted(i["name"] for i in MODEL["interactionModel"]["languageModel"]["intents"])


# Imports -------------------------------------------------------------------------------------------------------

def imported_modules(path: Path, package: str) -> set[str]:
    """Every module a file imports, relative imports resolved against `package` (the file's package)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def crossings(root: Path, package: str) -> list[str]:
    """Imports that break the layout: an area importing another area, or the kernel importing any area."""
    areas = f"{package}.areas"
    bad = []
    for path in sorted((root / "areas").glob("*.py")):
        own = f"{areas}.{path.stem}"
        for module in imported_modules(path, areas):
            if module.startswith(areas + ".") and not module.startswith(own) and module != f"{areas}.__init__":
                bad.append(f"areas/{path.name} imports {module}")
    for path in sorted((root / "conversation").glob("*.py")):
        for module in imported_modules(path, f"{package}.conversation"):
            if module == areas or module.startswith(areas + "."):
                bad.append(f"conversation/{path.name} imports {module}")
    return sorted(bad)


def test_no_area_imports_another_and_the_kernel_imports_no_area():
    assert crossings(VOICE, "runner_strength.voice") == []


def test_the_import_check_catches_an_area_importing_another(tmp_path):
    for folder in ("areas", "conversation"):
        (tmp_path / folder).mkdir()
    (tmp_path / "areas" / "pain.py").write_text("from .adjust import skip_area\nfrom ..conversation import turn\n")
    (tmp_path / "areas" / "adjust.py").write_text("from runner_strength.voice.areas import guide\n")
    (tmp_path / "conversation" / "turn.py").write_text("from ..areas.start import offer\n")
    assert crossings(tmp_path, "runner_strength.voice") == [
        "areas/adjust.py imports runner_strength.voice.areas.guide",
        "areas/pain.py imports runner_strength.voice.areas.adjust",
        "areas/pain.py imports runner_strength.voice.areas.adjust.skip_area",
        "conversation/turn.py imports runner_strength.voice.areas.start",
        "conversation/turn.py imports runner_strength.voice.areas.start.offer",
    ]


# Routing -------------------------------------------------------------------------------------------------------

def glute_circuit(talk: Conversation) -> dict:
    return talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"))


def sessions(skill) -> dict[str, dict | None]:
    """Session attributes at the points of a workout a request can arrive in."""
    talk = Conversation(skill)
    points: dict[str, dict | None] = {"new session": None}
    talk.launch()
    points["no workout"] = talk.session
    glute_circuit(talk)
    points["built, not started"] = talk.session
    talk.say("ReadyIntent")
    points["after the warm-up"] = talk.session
    talk.say("AMAZON.NextIntent")
    points["mid-workout"] = talk.session
    return points


def claimants(skill, store, clock, session: dict | None, request: dict) -> list[str]:
    body = envelope(request, session=session, new=session is None)
    env = DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)
    handler_input = HandlerInput(request_envelope=env, attributes_manager=AttributesManager(request_envelope=env))
    LoadRecord(Services(catalog=load_catalog(), store=store, clock=clock), assembly.questions()).process(
        handler_input)
    return [type(h).__name__ for h in assembly.routes(store) if h.can_handle(handler_input)]


def states(skill) -> list[tuple[str, dict | None]]:
    """Every point of a workout, each with no question pending and with each registered question pending."""
    found = []
    for point, session in sessions(skill).items():
        found.append((point, session))
        for name in assembly.questions():
            asked = {**(session or {}), "question": {"name": name, "about": {}, "prompt": "?", "reprompt": "?"}}
            found.append((f"{point}, {name} asked", asked))
    return found


def test_every_intent_in_the_model_has_exactly_one_handler_in_every_state(skill, store, clock):
    counted = 0
    for state, session in states(skill):
        pending = (session or {}).get("question") or {}
        answers = assembly.questions()[pending["name"]].answers if pending else {}
        for name in [*MODEL_INTENTS, "SomeIntentFromANewerModel"]:
            claimed = claimants(skill, store, clock, session, intent(name))
            assert len(claimed) == 1, f"{name} in state {state!r} is claimed by {claimed}"
            assert (claimed == ["AnswerPending"]) == (name in answers), (state, name, claimed)
            counted += 1
        for request in (launch(), {"type": "SessionEndedRequest", "reason": "USER_INITIATED"},
                        {"type": "Alexa.Presentation.APL.UserEvent"}):
            assert len(claimants(skill, store, clock, session, request)) == 1, (state, request)
    assert counted > 1000


def test_every_answer_a_question_registers_is_an_intent_of_the_model():
    for question in assembly.questions().values():
        assert set(question.answers) <= set(MODEL_INTENTS), question.name


def test_two_handlers_for_one_intent_are_refused_at_assembly(store, monkeypatch):
    from runner_strength.voice.areas import guide

    monkeypatch.setattr(guide, "HANDLERS", (*guide.HANDLERS, guide.Forward()))
    with pytest.raises(ValueError, match=r"AMAZON\.NextIntent"):
        assembly.routes(store)


def test_a_question_asked_but_not_registered_is_a_mistake_not_a_silent_drop(skill):
    from runner_strength.voice.conversation.turn import Turn

    talk = Conversation(skill)
    talk.launch()
    body = envelope(intent("AMAZON.HelpIntent"), session=talk.session, new=False)
    env = DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)
    handler_input = HandlerInput(request_envelope=env, attributes_manager=AttributesManager(request_envelope=env))
    LoadRecord(Services(catalog=load_catalog(), store=None), assembly.questions()).process(handler_input)
    with pytest.raises(KeyError, match="not registered"):
        Turn.of(handler_input).reply("Shall we?", ask="no-such-question")


def test_the_answer_handler_is_the_first_route():
    assert isinstance(assembly.routes(None)[0], AnswerPending)


# Questions -----------------------------------------------------------------------------------------------------

def test_a_yes_after_a_mumble_and_help_still_starts_the_circuit_just_built(skill):
    talk = Conversation(skill)
    talk.launch()
    glute_circuit(talk)
    talk.say("AMAZON.FallbackIntent")
    talk.say("AMAZON.HelpIntent")
    reply = talk.say("AMAZON.YesIntent")
    assert heard(reply, "warmup.start")


def test_an_aside_during_a_question_asks_it_again_and_the_answer_still_acts_on_it(skill, store):
    talk = Conversation(skill)
    talk.launch()
    glute_circuit(talk)
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    talk.say("PainIntent")
    question = talk.session["question"]["prompt"]
    for aside in ("HowManyLeftIntent", "SettingsIntent", "AMAZON.FallbackIntent"):
        reply = talk.say(aside)
        assert said(reply).endswith(question), aside
    reply = talk.say("SkipIntent")  # to the pain offer: leave the area out, not skip one set
    assert heard(reply, "pain.skipped", area="glute medius")
    assert talk.session["question"]["name"] == "avoid"


# Repeat --------------------------------------------------------------------------------------------------------

def test_repeat_replays_the_whole_last_response_with_its_breaks_reprompt_and_card(skill, store):
    talk = Conversation(skill)
    talk.launch()
    built = glute_circuit(talk)
    again = talk.say("AMAZON.RepeatIntent")
    assert again["response"]["outputSpeech"] == built["response"]["outputSpeech"]
    assert again["response"]["reprompt"] == built["response"]["reprompt"]
    assert again["response"]["card"] == built["response"]["card"]
    talk.say("ReadyIntent")
    block = talk.say("AMAZON.NextIntent")
    done = json.loads(json.dumps(session_record(talk.session)["workout"]))
    again = talk.say("AMAZON.RepeatIntent")
    assert "<break" in again["response"]["outputSpeech"]["ssml"]
    assert again["response"]["outputSpeech"] == block["response"]["outputSpeech"]
    assert again["response"]["reprompt"] == block["response"]["reprompt"]
    assert session_record(talk.session)["workout"] == done  # replayed, not done twice


def test_repeat_keeps_the_question_it_replays(skill):
    talk = Conversation(skill)
    talk.launch()
    glute_circuit(talk)
    talk.say("AMAZON.RepeatIntent")
    talk.say("AMAZON.RepeatIntent")
    assert heard(talk.say("AMAZON.YesIntent"), "warmup.start")


# The record's forms --------------------------------------------------------------------------------------------

def test_the_record_is_parsed_once_and_serialised_once_per_turn(store, clock, monkeypatch):
    skill = make_skill(store, clock)
    calls = {"parsed": 0, "serialised": 0}
    parse, serialise = records.RunnerRecord.from_dict.__func__, records.RunnerRecord.to_dict

    def counted_parse(cls, data):
        calls["parsed"] += 1
        return parse(cls, data)

    def counted_serialise(self):
        calls["serialised"] += 1
        return serialise(self)

    talk = Conversation(skill)
    talk.launch()
    glute_circuit(talk)
    talk.say("AMAZON.StopIntent")  # the store now holds a record, read on the next session's first turn
    monkeypatch.setattr(records.RunnerRecord, "from_dict", classmethod(counted_parse))
    monkeypatch.setattr(records.RunnerRecord, "to_dict", counted_serialise)
    for turn in (talk.launch, lambda: talk.say("AMAZON.YesIntent"), lambda: talk.say("AMAZON.NextIntent"),
                 lambda: talk.say("HowManyLeftIntent")):
        calls.update(parsed=0, serialised=0)
        turn()
        assert calls == {"parsed": 1, "serialised": 1}
