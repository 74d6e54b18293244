"""Changing the workout by voice, through virtual-alexa → the served endpoint → DynamoDB (dynalite), with
the remembered choices showing up in the next session."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.storage.dynamodb import DynamoStore
from runner_strength.training.catalog import load_catalog
from tests.support.envelopes import SKILL_ID, request_for
from tests.support.servers import DUMMY_ENV, dynamodb_client
from tests.support.virtual_alexa import CheckedAlexa
from tools.endpoint import served

pytestmark = pytest.mark.e2e
CATALOG = load_catalog()
NAMES = {t.name: i for i, t in load_locale("en-US").exercises.items()}
_users = itertools.count()


@pytest.fixture
def setup(dynamo_table, tmp_path):
    endpoint, table = dynamo_table
    env = {**DUMMY_ENV, "SKILL_STORE": f"dynamodb:{table}", "AWS_ENDPOINT_URL_DYNAMODB": endpoint,
           "SKILL_ID": SKILL_ID}
    with served(env, tmp_path / "server.log") as url:
        yield url, DynamoStore(table, client=dynamodb_client(endpoint))


@pytest.fixture
def alexa(setup):
    runner = CheckedAlexa(setup[0], f"amzn1.ask.account.ADJUST{next(_users)}", SKILL_ID)
    yield runner
    runner.close()


def stored(setup, alexa) -> dict:
    """The runner's item, read straight from DynamoDB."""
    return setup[1].get_attributes(request_for(user=alexa.user_id))


def areas_in(speech: str) -> list[str]:
    return re.findall(r"for your ([a-z -]+?)\.", speech)


def exercise_in(speech: str) -> str:
    match = re.search(r"Exercise \d+ of \d+, round \d+ of \d+: ([^,]+),", speech)
    assert match, speech
    return NAMES[match[1]]


def up_next(speech: str) -> str:
    match = re.search(r"(?:Next up:|Coming up:|Next is|starts with|rest, then|seconds before) ([^.]+)\.", speech)
    assert match, speech
    return NAMES[match[1]]


def to_the_end(alexa: CheckedAlexa) -> list[str]:
    speeches = []
    for _ in range(60):
        reply = alexa.utter("next")
        speeches.append(reply.speech)
        if reply.ended:
            return speeches
    raise AssertionError("the workout did not end")


def test_no_lower_back_today_mid_workout(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a full circuit")
    alexa.utter("ready")
    alexa.utter("next")
    reply = alexa.utter("no core today")
    assert reply.intent == "RemoveAreaIntent" and "lower back" in reply.speech
    rest = to_the_end(alexa)
    assert all("lower back" not in areas_in(s) for s in rest)
    assert re.search(r"\d+ of \d+ sets", rest[-1])


def test_just_hamstrings_from_here(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a full circuit")
    alexa.utter("ready")
    alexa.utter("next")
    reply = alexa.utter("just hammies from here")
    assert reply.intent == "FocusAreaIntent" and "hamstrings" in reply.speech
    assert {a for s in to_the_end(alexa) for a in areas_in(s)} == {"hamstrings"}


def test_add_glutes_to_a_hamstring_focus(alexa):
    alexa.utter("open runner strength")
    alexa.utter("a hamstrings circuit")
    alexa.utter("ready")
    reply = alexa.utter("add glutes")
    assert reply.intent == "AddAreaIntent" and "glute medius" in reply.speech
    assert {a for s in to_the_end(alexa) for a in areas_in(s)} == {"hamstrings", "glute medius"}


def test_give_me_something_else(alexa):
    alexa.utter("open runner strength")
    alexa.utter("a core circuit")
    warmup = alexa.utter("ready").speech
    before = up_next(warmup)
    reply = alexa.utter("give me something else")
    assert reply.intent == "SwapIntent"
    after = exercise_in(alexa.utter("next").speech)
    assert after != before and CATALOG[after].area == CATALOG[before].area == "LOWER_BACK"


def test_make_it_harder_then_easier_is_remembered_in_storage(setup, alexa):
    alexa.utter("open runner strength")
    alexa.utter("a glute circuit")
    alexa.utter("ready")
    done = exercise_in(alexa.utter("next").speech)  # "make it harder" is about the set just done
    reply = alexa.utter("make it harder")
    assert reply.intent == "HarderIntent"
    prefs = stored(setup, alexa)["preferences"]
    assert prefs["variants"].get(done) or prefs["dose_steps"].get(done) == 1
    assert alexa.utter("make it easier").intent == "EasierIntent"


def test_this_hurts_then_gentler_then_avoid_and_the_next_session_leaves_it_out(setup, alexa):
    alexa.utter("open runner strength")
    alexa.utter("a balance workout")
    alexa.utter("ready")
    first = alexa.utter("next").speech
    painful = exercise_in(first)
    reply = alexa.utter("my knee hurts")
    assert reply.intent == "PainIntent"
    assert "doesn't count" in reply.speech and "physical or sports therapist" in reply.speech
    assert "instead?" in reply.speech or "leave out lower-body stability" in reply.speech
    answer = alexa.utter("yes")
    assert "Should I leave" in answer.speech and not answer.ended
    assert "leave" in alexa.utter("yes").speech
    assert painful in stored(setup, alexa)["preferences"]["avoid"]
    assert not re.search(r"\bknee\b|KNEE|bodyPart", json.dumps(stored(setup, alexa))), "the body part is not stored"
    alexa.utter("stop")
    for _ in range(3):
        alexa.utter("open runner strength")
        alexa.utter("no")
        intro = alexa.utter("a balance workout").speech
        assert load_locale("en-US").exercises[painful].name not in intro
        alexa.utter("stop")


def test_never_give_me_and_always_include_show_up_next_session(alexa):
    alexa.utter("open runner strength")
    assert alexa.utter("never give me clamshells").intent == "NeverExerciseIntent"
    assert alexa.utter("always include glutes").intent == "AlwaysAreaIntent"
    alexa.utter("stop")
    alexa.utter("open runner strength")
    intro = alexa.utter("a hamstrings circuit").speech
    assert "hamstrings and glute medius" in intro or "glute medius and hamstrings" in intro
    assert "clamshell" not in intro


def test_i_dont_have_a_band_swaps_and_asks_first(setup, alexa):
    alexa.utter("open runner strength")
    alexa.utter("i have a band")
    banded = None
    for _ in range(15):
        reply = alexa.utter("a glute circuit with one round")
        names = [NAMES[n] for n in NAMES if n in reply.speech and CATALOG[NAMES[n]].area == "GLUTE_MEDIUS"]
        banded = next((e for e in names if CATALOG[e].equipment == "resistance_band"), None)
        if banded:
            break
    assert banded, "a band exercise came up"
    speech = alexa.utter("ready").speech
    while up_next(speech) != banded:
        speech = alexa.utter("next").speech
    reply = alexa.utter("i don't have a band")
    assert reply.intent == "LackEquipmentIntent"
    assert "need a resistance band" in reply.speech or "needs a resistance band" in reply.speech
    assert load_locale("en-US").exercises[banded].name.lower() in reply.speech.lower()
    assert "equipment list?" in reply.speech
    assert "resistance_band" in stored(setup, alexa)["preferences"]["equipment"]
    alexa.utter("yes")
    assert "resistance_band" not in stored(setup, alexa)["preferences"]["equipment"]
    assert CATALOG[exercise_in(alexa.utter("next").speech)].equipment != "resistance_band"
