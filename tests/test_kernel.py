"""The shape of voice/: areas stand side by side on the kernel, every request has exactly one handler in
every state, a pending question is answered by what its owner registered, "repeat" replays the whole last
response, and the record changes form once each way per turn."""

from __future__ import annotations

import ast
import json
import random
import re
from pathlib import Path

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from runner_strength.speech.phrases import Voice, load_locale
from runner_strength.speech.workout import setup
from runner_strength.storage.memory import MemoryStore
from runner_strength.training import record as records
from runner_strength.training.catalog import load_catalog
from runner_strength.training.cursor import Cursor
from runner_strength.voice import skill as assembly
from runner_strength.voice.conversation.questions import AnswerPending, answer_intents
from runner_strength.voice.conversation.record_io import LoadRecord
from runner_strength.voice.skill import Services
from tests.support.clock import Clock
from tests.support.envelopes import Conversation, envelope, heard, intent, launch, said, session_record, slot
from tests.support.screens import ShowConversation
from tests.support.skills import device_in, make_skill
from tools.endpoint import ROOT

MODEL = json.loads((ROOT / "interaction_model" / "en-US.json").read_text())
MODEL_INTENTS = sorted(i["name"] for i in MODEL["interactionModel"]["languageModel"]["intents"])
VOICE = Voice(load_locale("en-US"), random.Random(0), {})


# Imports -------------------------------------------------------------------------------------------------------

PRODUCT = ROOT / "lambda" / "runner_strength"


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package under `root`, by its dotted name (a package by its own name)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join((package, *parts))
        names[name.removesuffix(".__init__")] = path
    return names


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Which of the package's modules each of its modules imports: every import statement in the file, at the top,
    inside functions or under `if TYPE_CHECKING`, relative imports resolved."""
    modules = module_names(root, package)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        own_package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = own_package.split(".")[: len(own_package.split(".")) - node.level + 1]
                    base = ".".join([*parts, node.module] if node.module else parts)
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                           for alias in node.names]
            else:
                continue
            # "from .a import b": b is a module of its own, or a name in module a.
            found |= {t for t in targets if t in modules}
        graph[name] = found - {name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: groups of modules each reachable from every other (Tarjan's strongly connected
    components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(found)


def crossings(graph: dict[str, set[str]], package: str) -> list[str]:
    """Imports that break voice/'s layout: an area importing another area or a screen, the kernel importing an
    area or a screen, a screen importing an area."""
    areas, kernel, screens = f"{package}.areas", f"{package}.conversation", f"{package}.screens"

    def folder(module: str) -> str | None:
        """The layer a module belongs to: an area (each its own), the kernel, the screens."""
        if module.startswith(areas + "."):
            return module
        return next((f for f in (kernel, screens) if module == f or module.startswith(f + ".")), None)

    def may_import(mine: str, other: str | None) -> bool:
        """Outside voice/ is fine for all; the kernel only itself; the screens the kernel; an area the kernel."""
        return other is None or other in (kernel, mine)

    bad = []
    for module, imported in graph.items():
        mine = folder(module)
        if mine is not None:
            bad += [f"{module} imports {other}" for other in sorted(imported) if not may_import(mine, folder(other))]
    return sorted(bad)


def test_the_product_has_no_import_circles_counting_every_import():
    assert circles(import_graph(PRODUCT, "runner_strength")) == []


def test_no_area_imports_another_and_the_kernel_imports_no_area_or_screen():
    assert crossings(import_graph(PRODUCT, "runner_strength"), "runner_strength.voice") == []


def test_the_import_checks_catch_a_circle_through_a_function_level_import_and_each_crossing(tmp_path):
    root = tmp_path / "pkg"
    for folder in ("voice", "voice/areas", "voice/conversation", "voice/screens"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "voice" / "areas" / "pain.py").write_text(
        "from .adjust import skip_area\nfrom ..conversation import turn\n")
    (root / "voice" / "areas" / "adjust.py").write_text("from pkg.voice.screens import show\n")
    (root / "voice" / "conversation" / "turn.py").write_text(
        "def reply():\n    from ..screens import show  # imported when used\n    return show\n")
    (root / "voice" / "screens" / "show.py").write_text("from ..conversation.turn import reply\n")
    graph = import_graph(root, "pkg")
    assert circles(graph) == [["pkg.voice.conversation.turn", "pkg.voice.screens.show"]]
    assert crossings(graph, "pkg.voice") == [
        "pkg.voice.areas.adjust imports pkg.voice.screens.show",
        "pkg.voice.areas.pain imports pkg.voice.areas.adjust",
        "pkg.voice.conversation.turn imports pkg.voice.screens.show",
    ]


# Routing -------------------------------------------------------------------------------------------------------

def glute_circuit(talk: Conversation) -> dict:
    return talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"))


def mark_start(talk: Conversation, kind: str) -> float:
    """Where the first interval of a kind (setup, rest, hold, reps, switch) starts on the last delivery's timeline,
    in seconds, as `barge=` counts them."""
    return next(start for k, start, _, _ in talk.session["block_sent"]["marks"] if k == kind)


def sessions(skill, clock) -> dict[str, dict | None]:
    """Session attributes at the points of a workout a request can arrive in."""
    talk = Conversation(skill)
    points: dict[str, dict | None] = {"new session": None}
    talk.launch()
    points["no workout"] = talk.session
    glute_circuit(talk)
    points["built, not started"] = talk.session
    talk.say("ReadyIntent")  # one delivery: the warm-up, then into the first set
    # Paused in the count to get set for the first set, and back after a while: the warm-up is done, no set is.
    talk.say("AMAZON.PauseIntent", barge=mark_start(talk, "setup") + 3)
    clock.advance(minutes=15)
    talk.launch()
    assert talk.session["question"]["name"] == "resume"
    after_warmup = {k: v for k, v in talk.session.items() if k != "question"}
    workout = session_record(after_warmup)["workout"]
    assert (workout["position"], workout["done"]) == (1, [0])
    points["after the warm-up"] = after_warmup
    talk.say("AMAZON.YesIntent")
    talk.say("AMAZON.NextIntent")
    workout = session_record(talk.session)["workout"]
    assert workout and workout["position"] > 2, "sets done, more to come"
    points["mid-workout"] = talk.session
    return points


def claimants(skill, store, clock, session: dict | None, request: dict) -> list[str]:
    body = envelope(request, session=session, new=session is None)
    env = DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)
    handler_input = HandlerInput(request_envelope=env, attributes_manager=AttributesManager(request_envelope=env))
    LoadRecord(Services(catalog=load_catalog(), store=store, clock=clock, settings=device_in("UTC")),
               answer_intents(assembly.questions())).process(
        handler_input)
    return [type(h).__name__ for h in assembly.routes(store) if h.can_handle(handler_input)]


def states(skill, clock) -> list[tuple[str, dict | None]]:
    """Every point of a workout, each with no question pending and with each registered question pending."""
    found = []
    for point, session in sessions(skill, clock).items():
        found.append((point, session))
        for name in assembly.questions():
            asked = {**(session or {}), "question": {"name": name, "about": {}, "prompt": "?", "reprompt": "?"}}
            found.append((f"{point}, {name} asked", asked))
    return found


def test_every_intent_in_the_model_has_exactly_one_handler_in_every_state(skill, store, clock):
    counted = 0
    for state, session in states(skill, clock):
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
    LoadRecord(Services(catalog=load_catalog(), store=None, settings=device_in("UTC")),
               answer_intents(assembly.questions())).process(handler_input)
    with pytest.raises(KeyError, match="not registered"):
        Turn.of(handler_input).reply("Shall we?", ask="no-such-question")


def whole_workout_by_voice_and_touch(skill, clock: Clock) -> list[dict]:
    """Every reply of a conversation that touches each area: taps, questions, asides (one cutting in just after the
    warm-up), a pause picked up twice (at once, and after a while), pain and a finish."""
    talk = ShowConversation(skill)
    talk.launch()
    talk.tap("area", "GLUTE_MEDIUS")
    talk.say("StartFreshIntent")
    talk.tap("full")
    talk.tap("ready")
    first = load_locale("en-US").exercises[Cursor.from_dict(session_record(talk.session)["workout"]).steps[1].exercise]
    explained = talk.say("ExplainIntent", barge=mark_start(talk, "setup") + 2)
    assert first.how_to in said(explained), "cut in after the warm-up, getting set for the first set"
    talk.say("HarderIntent")
    talk.say("AMAZON.NoIntent")
    talk.say("PainIntent")
    talk.say("AMAZON.YesIntent")
    talk.say("AMAZON.NoIntent")
    for aside in ("HowManyLeftIntent", "SettingsIntent", "ExplainIntent", "AMAZON.HelpIntent", "AMAZON.FallbackIntent",
                  "AMAZON.RepeatIntent", "SomeIntentFromANewerModel"):
        talk.say(aside)
    talk.tap("dance")
    talk.tap("next")
    talk.say("AMAZON.NextIntent", barge=5)
    talk.tap("pause", barge=8)
    assert talk.session is None and session_record(talk.turns[-2]["sessionAttributes"])["workout"], "paused in it"
    talk.launch()  # at once: straight back to it
    talk.tap("pause", barge=8)
    clock.advance(minutes=15)
    talk.launch()  # after a while: pick up there?
    assert talk.session["question"]["name"] == "resume"
    talk.say("AMAZON.YesIntent")
    while not Cursor.from_dict(session_record(talk.session)["workout"]).finished and len(talk.turns) < 60:
        talk.tap("next")
    return talk.turns


def test_the_order_areas_are_assembled_in_changes_no_reply(store, clock, monkeypatch):
    first = whole_workout_by_voice_and_touch(make_skill(store, own := Clock(clock.now)), own)
    assert not any(heard(r, "error.sorry") for r in first), "no turn failed"
    assert re.search(r"\d+ of \d+ sets", said(first[-1])), "to the end"
    shuffled = list(assembly.AREAS)
    random.Random(7).shuffle(shuffled)
    assert shuffled != list(assembly.AREAS)
    for order in (shuffled, list(reversed(assembly.AREAS))):
        monkeypatch.setattr(assembly, "AREAS", tuple(order))
        again = whole_workout_by_voice_and_touch(make_skill(MemoryStore(), own := Clock(clock.now)), own)
        assert [said(r) for r in again] == [said(r) for r in first]
        assert [r["response"].get("directives") for r in again] == [r["response"].get("directives") for r in first]


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
    # A one-round circuit's last delivery ends with the summary and asks whether to remember the rounds: "repeat"
    # plays it again whole, its counted sets and all, with the question still pending, and finishes nothing twice.
    talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"), rounds=slot("rounds", "1"))
    talk.say("ReadyIntent")
    while talk.session.get("question") is None and len(talk.turns) < 20:
        last = talk.say("AMAZON.NextIntent")
    assert talk.session["question"]["name"] == "keep_request" and re.search(r"\d+ of \d+ sets", said(last))
    for _ in range(2):
        again = talk.say("AMAZON.RepeatIntent")
        assert "<break" in again["response"]["outputSpeech"]["ssml"]
        assert again["response"]["outputSpeech"] == last["response"]["outputSpeech"]
        assert again["response"]["reprompt"] == last["response"]["reprompt"]
        assert again["response"]["card"] == last["response"]["card"]
        assert talk.session["question"]["name"] == "keep_request"
        record = session_record(talk.session)
        assert record["workouts_finished"] == 1 and record["workout"] is None, "closed, once"
        assert [e["finished"] for e in record["history"]] == [True], "replayed, not done twice"


def test_repeat_in_a_workout_says_how_to_do_what_is_next_and_moves_nothing(skill, store):
    """At a hand-back, "say that again" is about what the runner is about to do: its set-up and cue, not the
    minutes of counting just heard; then the turn is handed back, the workout where it was."""
    talk = Conversation(skill)
    talk.launch()
    glute_circuit(talk)
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    workout = json.loads(json.dumps(session_record(talk.session)["workout"]))
    upcoming = Cursor.from_dict(workout).next_step.exercise
    text = load_locale("en-US").exercises[upcoming]
    again = talk.say("AMAZON.RepeatIntent")
    name = text.name[0].upper() + text.name[1:]  # at the start of a sentence
    assert heard(again, "repeat.instruction", name=name, setup=setup(VOICE, upcoming), cue=text.cue)
    assert "<break" not in again["response"]["outputSpeech"]["ssml"] and not again["response"]["shouldEndSession"]
    assert session_record(talk.session)["workout"] == workout


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
