"""Echo Show screens and touch: a screen follows every reply on a device that reports APL, and nothing changes on
one that does not; the countdown is the speech's own timeline; a tap does what the same words do; every response
with a screen stays within Alexa's limits; every document passes Amazon's APL suggester."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.storage.memory import MemoryStore, Snapshot
from runner_strength.training.catalog import load_catalog
from runner_strength.training.cursor import Cursor
from runner_strength.voice import screens
from runner_strength.voice import skill as assembly
from runner_strength.voice.conversation.session import SessionState
from runner_strength.voice.conversation.turn import Services
from runner_strength.voice.screens import SCREENS, document, touch
from runner_strength.voice.skill import MAX_RESPONSE_BYTES
from tests.support.clock import Clock
from tests.support.envelopes import Conversation, heard, said, session_record, slot, unpacked, waits
from tests.support.limits import check_response
from tests.support.screens import ShowConversation, guided_workout, screen, touch_or_talk
from tests.support.skills import device_in, make_skill
from tests.support.workouts import generated_workout, loyal_runner

EN = load_locale("en-US")
START = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)  # the device's clock: the same for both sides compared
ROOT = Path(__file__).resolve().parent.parent
VALIDATE = ROOT / "tests" / "support" / "apl_validate.js"
# APL 1.4's components and commands: the suggester lets unknown types pass, so the documents are held to these.
APL_14_COMPONENTS = {"Container", "Frame", "Image", "Text", "TouchWrapper", "Sequence", "ScrollView", "Pager",
                     "VectorGraphic", "Video", "GridSequence", "EditText"}
APL_14_COMMANDS = {"SendEvent", "SetValue", "Sequential", "Parallel", "Idle", "SetState", "SetFocus", "ClearFocus",
                   "Scroll", "ScrollToIndex", "ScrollToComponent", "SetPage", "AutoPage", "SpeakItem", "SpeakList",
                   "PlayMedia", "ControlMedia", "AnimateItem", "OpenURL", "Select", "Finish", "Reinflate"}


def the_same_workout(store, clock, conversation_class):
    """The first turns of a hamstrings workout, by voice, with the runner's seeds fixed."""
    talk = conversation_class(make_skill(store, clock), device_time=START)
    return talk, [talk.launch(), talk.say("BuildCircuitIntent", area=slot("area", "hammies", "HAMSTRINGS")),
                  talk.say("ReadyIntent"), talk.say("AMAZON.NextIntent"), talk.say("HarderIntent"),
                  talk.say("AMAZON.NextIntent"), talk.say("AMAZON.PauseIntent", barge=45)]


def without_screen(reply: dict) -> dict:
    """The reply less its screen, and less the store's bookkeeping (a random generation per stored copy)."""
    response = {k: v for k, v in reply["response"].items() if k != "directives"}
    attributes = {k: v for k, v in unpacked(reply.get("sessionAttributes")).items() if k != "base"}
    return {**reply, "response": response, "sessionAttributes": attributes}


def test_a_device_without_a_screen_gets_exactly_the_voice_responses_and_a_show_gets_the_same_plus_a_screen(clock):
    _, voice = the_same_workout(MemoryStore(), clock, Conversation)
    _, show = the_same_workout(MemoryStore(), clock, ShowConversation)
    assert all("directives" not in r["response"] for r in voice)
    assert [without_screen(r) for r in show] == [without_screen(r) for r in voice]
    shown = [screen(r)[0]["mainTemplate"] == document(name)["mainTemplate"] and name
             for r in show for name in SCREENS if screen(r) and screen(r)[0]["mainTemplate"]
             == document(name)["mainTemplate"]]
    assert shown == ["start", "overview", "exercise", "exercise", "overview", "exercise", "exercise"]


def test_the_countdown_is_the_speechs_own_timeline(store, clock):
    talk = ShowConversation(make_skill(store, clock))
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", "hammies", "HAMSTRINGS"))
    reply = talk.say("ReadyIntent")
    for _ in range(3):
        doc, data = screen(reply)
        marks = talk.session["block_sent"]["marks"]
        timed = [p for p in data["ph"] if p["k"] != "wait"]
        assert [(p["s"], p["n"]) for p in timed] == [
            (pytest.approx(start, abs=0.06), pytest.approx(seconds, abs=0.06)) for _, start, seconds, _ in marks]
        assert [p["k"] for p in timed] == [
            "rest" if kind in ("rest", "setup") else kind if kind == "reps" else "hold" for kind, _, _, _ in marks]
        # Each phase shows until the next begins, with the exercise it is about; the screen stays up for the whole
        # delivery.
        assert all(a["e"] == b["s"] for a, b in zip(data["ph"], data["ph"][1:], strict=False))
        assert doc["settings"]["idleTimeout"] > talk.session["block_sent"]["ends"] * 1000
        steps = Cursor.from_dict(session_record(talk.session)["workout"]).steps
        for phase, (_, _, _, step) in zip(timed, marks, strict=True):
            if step >= 0 and steps[step].is_set:
                assert phase["t"].lower() == EN.exercises[steps[step].exercise].name.lower()
        reply = talk.say("AMAZON.NextIntent")


def test_a_tap_does_what_the_same_words_do(clock):
    from runner_strength.storage.memory import MemoryStore
    spoken = Conversation(make_skill(MemoryStore(), clock), device_time=START)
    tapped = ShowConversation(make_skill(MemoryStore(), clock), device_time=START)
    pairs = [(lambda: spoken.launch(), lambda: tapped.launch()),
             (lambda: spoken.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS")),
              lambda: tapped.tap("area", "GLUTE_MEDIUS")),
             (lambda: spoken.say("ReadyIntent"), lambda: tapped.tap("ready")),
             (lambda: spoken.say("HarderIntent"), lambda: tapped.tap("harder")),
             (lambda: spoken.say("AMAZON.NoIntent"), lambda: tapped.say("AMAZON.NoIntent")),
             (lambda: spoken.say("EasierIntent"), lambda: tapped.tap("easier")),
             (lambda: spoken.say("AMAZON.RepeatIntent"), lambda: tapped.tap("repeat")),
             (lambda: spoken.say("SkipIntent"), lambda: tapped.tap("skip")),
             (lambda: spoken.say("AMAZON.PauseIntent", barge=40), lambda: tapped.tap("pause", barge=40))]
    for say, tap in pairs:
        by_voice, by_touch = say(), tap()
        assert said(by_touch) == said(by_voice)
        assert by_touch["response"].get("shouldEndSession") == by_voice["response"].get("shouldEndSession")
    assert "Paused" in said(by_touch), said(by_touch)
    assert screen(by_touch)[1]["b"][0]["a"] == ["resume"]
    # Resume by touch, as "Alexa, resume" would: a new session that picks up where the pause found the runner.
    resumed, resumed_by_voice = tapped.tap("resume"), spoken.say("AMAZON.ResumeIntent")
    assert said(resumed) == said(resumed_by_voice)
    assert screen(resumed)[0]["mainTemplate"] == document("exercise")["mainTemplate"]


def test_the_full_circuit_button_builds_a_full_circuit_and_a_tap_no_button_sends_is_answered(store, clock):
    talk = ShowConversation(make_skill(store, clock))
    talk.launch()
    reply = talk.tap("full")
    assert len(session_record(talk.session)["workout"]["circuit"]["areas"]) == 5, said(reply)
    odd = talk.tap("dance")
    assert odd["response"]["shouldEndSession"] is False and session_record(talk.session)["workout"]
    assert talk.tap("area", "ELBOWS")["response"]["shouldEndSession"] is False


def test_a_tap_is_claimed_so_one_no_button_sends_is_answered_not_ignored():
    assert touch.USER_EVENT in assembly.CLAIMED_REQUESTS


def test_the_finish_shows_the_summary(store, clock):
    talk = ShowConversation(make_skill(store, clock))
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", "hammies", "HAMSTRINGS"))
    replies = [talk.say("ReadyIntent")]
    while waits(replies[-1]) and len(replies) < 30:
        replies.append(talk.say("SkipIntent") if len(replies) > 2 else talk.say("AMAZON.NextIntent"))
    doc, data = screen(replies[-1])
    assert doc["mainTemplate"] == document("exercise")["mainTemplate"], "the last sets, counted on the screen"
    assert data["ph"][-1]["l"] == "Workout done" and "sets done" in data["ph"][-1]["x"]
    # Finished with no set left to speak ("I'm done for today"): the summary screen.
    talk = ShowConversation(make_skill(store, clock))
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", "hammies", "HAMSTRINGS"))
    talk.say("ReadyIntent")
    doc, data = screen(talk.say("FinishWorkoutIntent"))
    assert doc["mainTemplate"] == document("finish")["mainTemplate"]
    assert data["title"] == "Workout done" and "sets done" in data["lines"][0]


CIRCUITS = 60


@pytest.mark.slow
def test_every_response_with_a_screen_of_many_generated_workouts_is_within_alexas_limits(store, clock):
    rng = random.Random(20261127)
    skill = make_skill(store, clock)
    largest, with_screen = 0, 0
    for _ in range(CIRCUITS):
        talk = ShowConversation(skill, user_id=f"amzn1.ask.account.{rng.randrange(10**9)}")
        replies = generated_workout(talk, rng, touch_or_talk)
        for reply in replies:
            check_response(reply)
            if screen(reply):
                with_screen += 1
                largest = max(largest, len(json.dumps(reply).encode()))
    assert with_screen > CIRCUITS * 10
    print(f"{with_screen} responses with a screen; the largest is {largest} bytes")


# A runner who keeps coming back: 50 workouts done through the skill, with pain in a named part, harder and
# easier, and progression as it comes; what they have after each of these many.
HISTORY = (0, 10, 20, 30, 50)
LOYAL = "amzn1.ask.account.LOYAL"


@pytest.fixture(scope="module")
def loyal_history() -> dict[int, tuple[Snapshot, datetime]]:
    store, clock = MemoryStore(), Clock()
    skill, rng = make_skill(store, clock), random.Random(27)
    kept, done = {}, 0
    for count in HISTORY:
        loyal_runner(skill, clock, rng, count - done, LOYAL)
        kept[count], done = (store.snapshot(), clock.now), count
    return kept


@pytest.mark.slow
@pytest.mark.parametrize("workouts", HISTORY)
def test_every_guided_turn_carries_its_screen_whatever_the_runners_history(loyal_history, workouts):
    """The runner's record travels in every response's session, so it grows each response as the history does:
    every guided turn still carries its screen, within Alexa's limits. Only a response that would truly pass 24 KB
    with its screen goes without: test_only_a_response_that_would_truly_pass_24_kb_goes_without_its_screen."""
    snapshot, now = loyal_history[workouts]
    store, clock = MemoryStore(), Clock(now)
    store.restore(snapshot)
    record = next(iter(store.items.values()), {})
    assert len(record.get("history", ())) == workouts
    if workouts >= 10:
        assert record["progress"] and record["preferences"]["dose_steps"], "progression's log and the doses it set"
        assert any("hurt" in (s.get("eased") or {}).values() for s in record["history"]), "a move that hurt"
    skill, rng = make_skill(store, clock), random.Random(workouts)
    guided = []
    for _ in range(3):
        guided += guided_workout(ShowConversation(skill, user_id=LOYAL, device_time=clock.now), rng)[1]
        clock.advance(days=1)
    assert len(guided) > 10
    for reply in guided:
        check_response(reply)
    assert [n for n, reply in enumerate(guided) if screen(reply) is None] == []


# The documents, offline ------------------------------------------------------------------------------------

def documents_as_sent(store, clock) -> list[tuple[str, dict]]:
    """Every screen's document as responses carry it, from several workout states."""
    talk = ShowConversation(make_skill(store, clock))
    replies = [talk.launch(), talk.say("BuildCircuitIntent"), talk.say("ReadyIntent"), talk.say("AMAZON.NextIntent"),
               talk.say("AMAZON.NextIntent", barge=None), talk.say("AMAZON.PauseIntent", barge=10)]
    sent = []
    for reply in replies:
        if screen(reply):
            doc, data = screen(reply)
            sent.append((json.dumps(data)[:60], doc))
    return sent + [(name, document(name)) for name in SCREENS]


def walk(node, found: dict[str, set]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("type"), str):
            found["types"].add(node["type"])
        for key, value in node.items():
            if key == "parameters":
                continue  # a layout's parameters have types of their own (string, array)
            if key in ("onPress", "onMount", "commands"):
                for command in value if isinstance(value, list) else [value]:
                    found["commands"].add(command["type"])
            walk(value, found)
    elif isinstance(node, list):
        for item in node:
            walk(item, found)


@pytest.mark.parametrize("name", SCREENS)
def test_each_document_uses_only_apl_14_components_and_commands(name):
    doc = document(name)
    assert doc["type"] == "APL" and doc["version"] == "1.4"
    found: dict[str, set] = {"types": set(), "commands": set()}
    walk(doc["mainTemplate"], found)
    walk(doc["layouts"], found)
    assert found["types"] - found["commands"] - {"APL"} <= APL_14_COMPONENTS | set(doc["layouts"])
    assert found["commands"] <= APL_14_COMMANDS
    assert "import" not in doc, "no packages fetched at run time"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is installed by make deps")
@pytest.mark.slow
def test_every_document_as_sent_has_no_findings_from_amazons_apl_suggester(store, clock):
    sent = documents_as_sent(store, clock)
    assert len(sent) >= 8
    run = subprocess.run(["node", str(VALIDATE)], input=json.dumps([doc for _, doc in sent]), capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 0, f"the suggester crashed: {run.stderr[-2000:]}"
    results = json.loads(run.stdout)
    findings = {label: found for (label, _), found in zip(sent, results, strict=True) if found}
    assert findings == {}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is installed by make deps")
@pytest.mark.slow
def test_the_suggester_does_find_a_spoiled_document():
    spoiled = json.loads(json.dumps(document("exercise")))
    spoiled["mainTemplate"]["items"][0]["items"][1]["fontSise"] = "20dp"
    run = subprocess.run(["node", str(VALIDATE)], input=json.dumps([spoiled]), capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert run.returncode == 0
    assert "fontSise" in json.dumps(json.loads(run.stdout))


def test_only_a_response_that_would_truly_pass_24_kb_goes_without_its_screen(store, clock, monkeypatch):
    """One turn of a workout said again and again, its session padded to bring the response to Alexa's limit: with
    its screen it goes out at exactly 24 KB; a byte more and it goes without (the screen built, the only time one
    is built and not sent); with no room for even the smallest screen, none is built. Before, an estimate decided,
    700 to 1,300 bytes short of the response as sent: screens went out in responses up to 300 bytes over the
    limit, or were left out of responses that fit."""
    services = Services(catalog=load_catalog(), store=store, clock=clock, seed=lambda: 27, settings=device_in("UTC"))
    talk = ShowConversation(assembly.build_skill(store, services), device_time=START)
    talk.launch()
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    before, written = store.snapshot(), SessionState.to_attributes
    built = []
    choose = screens.screen
    monkeypatch.setattr(screens, "screen", lambda *args: built.append(args[0]) or choose(*args))

    def next_with(padding: int) -> dict:
        """The same "next", from the same place, with `padding` bytes more in the session."""
        store.restore(before)
        built.clear()
        monkeypatch.setattr(SessionState, "to_attributes", lambda self: {**written(self), "padding": "x" * padding})
        return replace(talk, turns=[]).say("AMAZON.NextIntent")

    def size(reply: dict) -> int:
        return len(json.dumps(reply).encode())

    fits = 100 + MAX_RESPONSE_BYTES - size(next_with(100))  # the padding that brings it to 24 KB
    kept = next_with(fits)
    assert screen(kept) and size(kept) == MAX_RESPONSE_BYTES
    check_response(kept)
    over = next_with(fits + 1)
    assert screen(over) is None and said(over) == said(kept) and len(built) == 1
    check_response(over)
    # Room for the voice, not for the smallest screen: none is built.
    room = MAX_RESPONSE_BYTES - size(over)
    no_room = next_with(fits + 1 + room - screens.least_screen_bytes() + 1)
    assert screen(no_room) is None and said(no_room) == said(kept) and built == []
    check_response(no_room)


def test_a_pause_tapped_on_the_screen_is_placed_by_the_devices_own_clock(store, clock):
    talk = ShowConversation(make_skill(store, clock))
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", "hammies", "HAMSTRINGS"))
    _, data = screen(talk.say("ReadyIntent"))
    reps = next(p for p in data["ph"] if p["k"] == "reps")
    # Tapped in the fifth rep by the screen's clock; the request itself is stamped as if the delivery had been
    # heard out, so only the device's count can place it.
    shown_ms = (reps["s"] + reps["p"] * 4.5) * 1000
    paused = talk.tap("pause", "", shown_ms)
    assert heard(paused, "paused.reps", name=reps["t"].lower(), rep=5) \
        or heard(paused, "paused.reps_side", name=reps["t"].lower(), rep=5, side="right"), said(paused)
    assert screen(paused)[1]["ph"][0]["l"] == "Paused at rep 5"
    # Resume picks up at that rep, in speech and on the screen: the count starts at 5 and ends at the last rep.
    resumed = talk.tap("resume", "", 1000)
    assert re.search(r"rep 5 (on the right side )?of your", said(resumed)), said(resumed)
    counted = next(p for p in screen(resumed)[1]["ph"] if p["k"] == "reps")
    assert (counted["f"], counted["r"]) == (5, reps["r"])
    assert counted["p"] == pytest.approx(reps["p"], abs=0.05)


def test_repeat_after_the_last_sets_shows_them_again_with_their_count_from_the_top(store, clock):
    talk = ShowConversation(make_skill(store, clock))
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", "hammies", "HAMSTRINGS"), rounds=slot("rounds", "1"))
    last = talk.say("ReadyIntent")
    while waits(last):
        last = talk.say("AMAZON.NextIntent")
    again = talk.tap("repeat")
    assert said(again) == said(last)
    first, repeated = screen(last)[1], screen(again)[1]
    assert [(p["k"], p["l"], p.get("r")) for p in repeated["ph"]] == [(p["k"], p["l"], p.get("r")) for p in first["ph"]]
    assert [p["s"] for p in repeated["ph"]] == pytest.approx([p["s"] for p in first["ph"]], abs=0.11)


# Through virtual-alexa and the served endpoint ---------------------------------------------------------------

SHOW = {"context": {"System": {"device": {"supportedInterfaces": {"Alexa.Presentation.APL": {
    "runtime": {"maxVersion": "1.4"}}}}}}}


def on_a_show(alexa, command: dict) -> dict:
    """Send a virtual-alexa command from a device with a screen; the reply's response."""
    patch = json.loads(json.dumps(SHOW))
    patch.update(command.pop("patch", {}))
    return alexa._send({**command, "patch": patch}).response


def tapped(alexa, *arguments) -> dict:
    """A tap on the screen: the request made a UserEvent carrying the button's arguments."""
    return on_a_show(alexa, {"intend": "AMAZON.NextIntent", "slots": {}, "patch": {"request": {
        "type": "Alexa.Presentation.APL.UserEvent", "intent": None, "dialogState": None, "token": "runnerStrength",
        "arguments": list(arguments), "source": {"type": "TouchWrapper", "handler": "Press"}}}})


def test_taps_through_virtual_alexa_and_the_served_endpoint(alexa):
    start = on_a_show(alexa, {"launch": True})
    assert screen(start)[1]["rows"][0][0]["a"] == ["area", "HAMSTRINGS"]
    built = tapped(alexa, "area", "GLUTE_MEDIUS", 1200)
    assert "glute medius" in said(built).lower() and screen(built)[0]["mainTemplate"] == document("overview")[
        "mainTemplate"]
    tapped(alexa, "ready", "", 900)
    block = tapped(alexa, "next", "", 800)
    reps = next(p for p in screen(block)[1]["ph"] if p["k"] == "reps")
    # Tapped in the third rep by the screen's clock; Resume, tapped on the paused screen, picks up there.
    paused = tapped(alexa, "pause", "", (reps["s"] + reps["p"] * 2.5) * 1000)
    assert "rep 3" in said(paused) and paused["response"]["shouldEndSession"] is True
    assert screen(paused)[1]["ph"][0]["l"] == "Paused at rep 3"
    resumed = tapped(alexa, "resume", "", 1000)
    assert "rep 3" in said(resumed), said(resumed)
    assert screen(resumed)[0]["mainTemplate"] == document("exercise")["mainTemplate"]
    # A voice-only device on the same endpoint: no screen.
    assert "directives" not in alexa.utter("how many are left").response["response"]


def test_a_set_resumed_on_its_second_side_shows_that_side(store, clock):
    talk = ShowConversation(make_skill(store, clock))
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", "hammies", "HAMSTRINGS"))
    _, data = screen(talk.say("ReadyIntent"))
    left = [p for p in data["ph"] if p["l"] == "Left side" and p["k"] == "reps"]
    assert left, "a hamstring set here is done a side at a time"
    talk.tap("pause", "", (left[0]["s"] + left[0]["p"] * 2.5) * 1000)
    resumed = talk.tap("resume", "", 1000)
    assert "rep 3" in said(resumed)
    shown = [p["l"] for p in screen(resumed)[1]["ph"] if p["k"] == "reps"]
    assert shown[0] == "Left side", shown


def test_the_manifest_declares_apl_for_the_viewports_the_documents_are_laid_out_for():
    manifest = json.loads((ROOT / "skill.json").read_text())["manifest"]
    apl = [i for i in manifest["apis"]["custom"]["interfaces"] if i["type"] == "ALEXA_PRESENTATION_APL"]
    assert len(apl) == 1, "without it Alexa never tells the skill a device has a screen"
    viewports = apl[0]["supportedViewports"]

    def covered(mode: str, shape: str, width: int, height: int) -> bool:
        return any(v["mode"] == mode and v["shape"] == shape and v["minWidth"] <= width <= v["maxWidth"]
                   and v["minHeight"] <= height <= v["maxHeight"] for v in viewports)

    for mode, shape, width, height in [("HUB", "ROUND", 480, 480), ("HUB", "RECTANGLE", 960, 480),
                                       ("HUB", "RECTANGLE", 1024, 600), ("HUB", "RECTANGLE", 1280, 800),
                                       ("TV", "RECTANGLE", 960, 540)]:
        assert covered(mode, shape, width, height), (mode, shape, width, height)


def test_the_finish_leaves_a_card_in_the_app_with_the_time_what_was_done_and_what_changed(skill, store):
    from tests.support.envelopes import Conversation
    from tests.support.workouts import area_slot

    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent", area=area_slot("LOWER_BACK"))
    talk.say("ReadyIntent")
    talk.say("AMAZON.NextIntent")
    talk.say("SwapIntent")
    while waits(reply := talk.say("AMAZON.NextIntent")):
        pass
    card = reply["response"]["card"]
    assert card["title"].startswith("Workout done:") and "of work" in card["content"]
    assert "Done:" in card["content"] and "Changed today:" in card["content"] and " for " in card["content"]


def test_the_overview_marks_what_was_swapped(skill, store):
    from runner_strength.speech.phrases import load_locale
    from runner_strength.training.catalog import load_catalog
    from runner_strength.training.cursor import Cursor
    from runner_strength.training.record import RunnerRecord
    from runner_strength.voice.screens import models
    from tests.support.envelopes import Conversation
    from tests.support.workouts import area_slot

    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent", area=area_slot("LOWER_BACK"))
    talk.say("SwapIntent")
    saved = next(iter(store.items.values()))
    cursor = Cursor.from_dict(saved["workout"])
    data = models.overview_screen(load_locale("en-US"), load_catalog(), RunnerRecord.from_dict(saved), cursor,
                                  "2026-11-25")
    assert cursor.swapped and any("in place of" in item["s"] for item in data["items"])


@pytest.mark.parametrize("system", [{"device": None}, {"device": {"deviceId": "d"}},
                                    {"device": {"supportedInterfaces": None}}])
def test_a_device_that_reports_no_interfaces_gets_the_voice_reply(skill, system):
    import json as json_module

    from ask_sdk_model import RequestEnvelope

    from tests.support.envelopes import envelope, launch, said

    body = envelope(launch())
    body["context"]["System"].update(system)
    env = skill.serializer.deserialize(payload=json_module.dumps(body), obj_type=RequestEnvelope)
    reply = skill.serializer.serialize(skill.invoke(request_envelope=env, context=None))
    assert "Sorry" not in said(reply) and not reply["response"].get("directives")
