"""Changing the workout by voice, through virtual-alexa → the served endpoint → DynamoDB (dynalite), with
the remembered choices showing up in the next session."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from runner_strength.speech.phrases import load_locale
from runner_strength.storage.dynamodb import DynamoStore
from runner_strength.training.catalog import AREAS, load_catalog
from runner_strength.training.record import RunnerRecord
from tests.support.envelopes import SKILL_ID, request_for
from tests.support.servers import DUMMY_ENV, dynamodb_client
from tests.support.virtual_alexa import CheckedAlexa, Reply, heard, named
from tools.endpoint import served

pytestmark = pytest.mark.e2e
CATALOG = load_catalog()
EN = load_locale("en-US")
NAMES_OF = {i: t.name for i, t in EN.exercises.items()}
WORK = ("reps", "hold")
GO = re.compile("|".join(re.escape(go) for go in EN.phrases["go"]))  # a set's "Go!" (after "Right side." when per side)
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


def sets_in(reply: Reply) -> list[int]:
    """The sets (their steps) a delivery counts, in order: every set whose work it speaks."""
    cursor = reply.workout
    return list(dict.fromkeys(step for kind, _, _, step in reply.marks
                              if kind in WORK and cursor.steps[step].is_set))


def areas_named(speeches: list[str]) -> set[str]:
    """The areas of every exercise the speeches name."""
    return {CATALOG[e].area for speech in speeches for e in named(speech)}


def to_the_end(alexa: CheckedAlexa) -> list[Reply]:
    """"Go" at every hand-back, through to the response with the workout's summary."""
    replies = []
    for _ in range(20):
        reply = alexa.utter("go")
        replies.append(reply)
        if not reply.waits:
            assert reply.attributes.get("summed_up") and re.search(r"\d+ of \d+ sets", reply.speech), reply.speech
            return replies
    raise AssertionError("the workout did not end")


def test_no_lower_back_today_mid_workout(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a full circuit")
    alexa.utter("ready")
    reply = alexa.utter("no core today")
    assert reply.intent == "RemoveAreaIntent" and "lower back" in reply.speech and reply.waits
    rest = [reply, *to_the_end(alexa)]
    assert "LOWER_BACK" not in areas_named([r.speech for r in rest])
    assert areas_named([r.speech for r in rest]) == set(AREAS) - {"LOWER_BACK"}, "the other four go on"


def test_just_hamstrings_from_here(alexa):
    alexa.utter("open runner strength")
    alexa.utter("give me a full circuit")
    alexa.utter("ready")
    reply = alexa.utter("just hammies from here")
    assert reply.intent == "FocusAreaIntent" and "hamstrings" in reply.speech
    assert areas_named([r.speech for r in [reply, *to_the_end(alexa)]]) == {"HAMSTRINGS"}


def test_add_glutes_to_a_hamstring_focus(alexa):
    alexa.utter("open runner strength")
    alexa.utter("a hamstrings circuit")
    first = alexa.utter("ready")
    assert areas_named([re.split(r"First(?: up)?: ", first.speech)[-1]]) == {"HAMSTRINGS"}, "after the warm-up"
    reply = alexa.utter("add glutes")
    assert reply.intent == "AddAreaIntent" and "glute medius" in reply.speech
    assert areas_named([r.speech for r in [reply, *to_the_end(alexa)]]) == {"HAMSTRINGS", "GLUTE_MEDIUS"}


def test_give_me_something_else_at_a_hand_back_and_in_a_rest(alexa):
    alexa.utter("open runner strength")
    alexa.utter("a core circuit")
    first = alexa.utter("ready")
    before = named(first.speech)[-1]  # the one the closing rest leads into
    # At a hand-back: the one coming up is swapped, named, and set up for.
    reply = alexa.utter("give me something else")
    assert reply.intent == "SwapIntent"
    after = reply.workout.steps[sets_in(reply)[0]].exercise
    assert after != before and CATALOG[after].area == CATALOG[before].area == "LOWER_BACK"
    assert heard(reply, "adjust.swapped", old=NAMES_OF[before], new=NAMES_OF[after]), reply.speech[:200]
    assert EN.exercises[after].setup in reply.speech
    # Said in a rest part-way through a response: the one that rest leads into.
    _, start, _, step = next(m for m in reply.marks if m[0] == "rest" and m[3] > sets_in(reply)[0])
    resting_for = reply.workout.steps[step].exercise
    cut = alexa.utter("give me something else", barge=start + 5)
    assert cut.intent == "SwapIntent"
    instead = cut.workout.steps[step].exercise
    assert instead != resting_for and CATALOG[instead].area == "LOWER_BACK"
    assert heard(cut, "adjust.swapped", old=NAMES_OF[resting_for], new=NAMES_OF[instead]), cut.speech[:200]
    assert cut.workout.steps[sets_in(cut)[0]].exercise == instead


def test_make_it_harder_in_a_set_then_easier_is_remembered_in_storage(setup, alexa):
    alexa.utter("open runner strength")
    alexa.utter("a glute circuit")
    alexa.utter("ready")
    go = alexa.utter("go")
    # "Make it harder" half-way through a set is about that set.
    _, start, seconds, step = next(m for m in go.marks if m[0] in WORK)
    doing = go.workout.steps[step].exercise
    reply = alexa.utter("make it harder", barge=start + seconds / 2)
    assert reply.intent == "HarderIntent" and NAMES_OF[doing].lower() in reply.speech.lower(), reply.speech
    prefs = stored(setup, alexa)["preferences"]
    assert prefs["variants"].get(doing) or prefs["dose_steps"].get(doing) == 1
    kept = alexa.utter("yes")
    assert heard(kept, "keep.change_kept") and kept.waits
    # "Make it easier" at the next hand-back is about the set just done.
    just_done = kept.workout.steps[sets_in(kept)[-1]].exercise
    easier = alexa.utter("make it easier")
    assert easier.intent == "EasierIntent" and NAMES_OF[just_done].lower() in easier.speech.lower(), \
        easier.speech


def test_this_hurts_then_gentler_then_avoid_and_the_next_session_leaves_it_out(setup, alexa):
    alexa.utter("open runner strength")
    alexa.utter("a balance workout")
    first = alexa.utter("ready")
    # "My knee hurts" ten seconds into the first set: that set stops, does not count, and is never done again.
    _, start, _, step = next(m for m in first.marks if m[0] in WORK and first.workout.steps[m[3]].is_set)
    painful = first.workout.steps[step].exercise
    reply = alexa.utter("my knee hurts", barge=start + 10)
    assert reply.intent == "PainIntent"
    assert heard(reply, "pain.stop", name=NAMES_OF[painful]) and "physical or sports therapist" in reply.speech
    assert "instead?" in reply.speech or "leave out lower-body stability" in reply.speech
    assert reply.workout.sets_done == 0
    answer = alexa.utter("yes")  # something gentler, or (when there is none) no lower-body stability today
    assert "Should I leave" in answer.speech and not answer.ended
    avoided = alexa.utter("yes")
    assert heard(avoided, "pain.avoided", name=NAMES_OF[painful])
    assert painful in stored(setup, alexa)["preferences"]["avoid"]
    record = stored(setup, alexa)
    assert [s["part"] for s in record["sore"]] == ["knee"], "the sore part is kept, for the next session to ask"
    assert not re.search(r"KNEE|bodyPart", json.dumps(record)), "nothing more about the pain is stored"
    later = to_the_end(alexa) if avoided.waits else []
    assert painful not in {e for r in later for e in named(r.speech)}, "never put back into the move that hurt"
    for _ in range(3):
        alexa.utter("open runner strength")
        intro = alexa.utter("a balance workout").speech
        assert load_locale("en-US").exercises[painful].name not in intro
        alexa.utter("stop")
    if later:
        # What replaced it is set up before its first "Go!", as any exercise is.
        gentler = answer.workout.steps[step].exercise
        assert gentler != painful
        heard_before_go = " ".join([answer.speech, avoided.speech, GO.split(later[0].speech)[0]])
        assert EN.exercises[gentler].setup in heard_before_go, heard_before_go


def test_this_hurts_mid_set_then_next_goes_on_without_it_and_with_nothing_left_stops_honestly(setup, alexa):
    """Issue 21: "this hurts" in the middle of a set, then "next" (meaning move on), went back into the move that
    hurt. Through virtual-alexa: it never comes back; pain in the last set, with the gentler one not taken, stops the
    workout without praise, in the history as stopped for pain."""
    alexa.utter("open runner strength")
    alexa.utter("a hamstrings circuit")
    first = alexa.utter("ready")
    _, start, seconds, step = next(m for m in first.marks if m[0] in WORK and first.workout.steps[m[3]].is_set)
    painful = first.workout.steps[step].exercise
    hurt = alexa.utter("this hurts", barge=start + seconds / 2)
    assert hurt.intent == "PainIntent" and heard(hurt, "pain.stop", name=NAMES_OF[painful])
    spoken, reply = [], alexa.utter("next")
    while True:
        spoken += [reply.workout.steps[s].exercise for s in sets_in(reply)] if reply.workout else []
        if not reply.waits:
            break
        reply = alexa.utter("go")
    assert spoken and painful not in spoken, (painful, spoken)
    assert re.search(r"\d+ of \d+ sets", reply.speech), reply.speech
    # Pain in the very last set, and no to the gentler one: nothing left, so it stops there, honestly.
    last = max(sets_in(reply))
    _, start, seconds, _ = next(m for m in reply.marks if m[0] in WORK and m[3] == last)
    alexa.utter("ouch that hurts", barge=start + seconds / 2)
    stopped = alexa.utter("no")
    assert "Let's stop here for today." in stopped.speech and "Great work" not in stopped.speech, stopped.speech
    history = stored(setup, alexa)["history"][-1]
    assert history["ended_for"] == "pain" and not history.get("early")


def spoken_sets(first: Reply, alexa: CheckedAlexa, answer: str = "go") -> list[str]:
    """The exercises whose sets are spoken from `first` on, saying `answer` then "go" at every hand-back."""
    spoken, reply = [], first
    for _ in range(25):
        spoken += [reply.workout.steps[s].exercise for s in sets_in(reply)] if reply.workout else []
        if not reply.waits:
            return spoken
        reply = alexa.utter(answer if reply is first else "go")
    raise AssertionError("the workout did not end")


def loading(exercises: list[str], part: str) -> list[str]:
    return [e for e in exercises if part in CATALOG[e].loads]


def test_my_knee_hurts_before_a_circuit_builds_one_that_spares_it_and_no_set_loads_the_knee(setup, alexa):
    alexa.utter("open runner strength")
    alexa.utter("a full body workout")
    reply = alexa.utter("my knee hurts")
    assert reply.intent == "PainIntent" and "physical or sports therapist" in reply.speech
    assert heard(reply, "note.sore_spared", parts="knee"), reply.speech
    planned = (*reply.workout.circuit.warmup, *reply.workout.circuit.exercises)
    assert planned and not loading(list(planned), "knee")
    spoken = spoken_sets(alexa.utter("ready"), alexa)
    assert spoken and not loading(spoken, "knee"), spoken


def mid_first_set(alexa: CheckedAlexa, circuit: str, phrase: str) -> tuple[str, Reply]:
    """A new circuit asked for as `circuit`, "ready", and `phrase` said half-way into its first set's work: that set's
    exercise, and the reply."""
    alexa.utter("open runner strength")
    alexa.utter(circuit)
    first = alexa.utter("ready")
    _, start, seconds, step = next(m for m in first.marks if m[0] in WORK and first.workout.steps[m[3]].is_set)
    return first.workout.steps[step].exercise, alexa.utter(phrase, barge=start + seconds / 2)


def test_a_knee_named_mid_set_takes_what_loads_it_out_of_the_rest_of_the_workout(setup, alexa):
    _, reply = mid_first_set(alexa, "a full body workout", "my knee hurts")
    assert reply.intent == "PainIntent" and heard(reply, "pain.safety")
    assert "knee" in reply.speech
    spoken = spoken_sets(alexa.utter("no"), alexa, "no")
    assert spoken and not loading(spoken, "knee"), spoken


def knee_said_at(alexa: CheckedAlexa, point: str) -> Reply:
    """A full circuit, and "my knee hurts" said at `point`: after the warm-up (in the set-up count), during a rest, at a
    round's end, or at a hand-back after "give me something else"."""
    alexa.utter("open runner strength")
    alexa.utter("a full body workout")
    reply = alexa.utter("ready")
    if point == "after the warm-up":
        start = next(m[1] for m in reply.marks if m[0] == "setup")
        return alexa.utter("my knee hurts", barge=start + 2)
    if point == "in a rest":
        start = next(m[1] for m in reply.marks if m[0] == "rest")
        return alexa.utter("my knee hurts", barge=start + 5)
    if point == "at a round's end":
        # At the hand-back between the rounds if there is one, else in the rest that leads into round two.
        for _ in range(12):
            cursor = reply.workout
            assert cursor is not None, "the workout ended before round two"
            ahead = cursor.next_step
            if reply.waits and ahead is not None and ahead.is_set and ahead.round == 2 and ahead.index == 0:
                return alexa.utter("my knee hurts")
            into_two = next((m for m in reply.marks if m[0] == "rest" and cursor.steps[m[3]].is_set
                             and (cursor.steps[m[3]].round, cursor.steps[m[3]].index) == (2, 0)), None)
            if into_two is not None:
                return alexa.utter("my knee hurts", barge=into_two[1] + 3)
            reply = alexa.utter("go")
        raise AssertionError("never reached the end of round one")
    alexa.utter("give me something else")
    return alexa.utter("my knee hurts")


@pytest.mark.parametrize("point", ["after the warm-up", "in a rest", "at a round's end", "after a swap"])
def test_my_knee_hurts_from_every_point_keeps_every_set_after_it_off_the_knee(setup, alexa, point):
    reply = knee_said_at(alexa, point)
    assert reply.intent == "PainIntent" and heard(reply, "pain.safety"), reply.speech
    spoken = spoken_sets(alexa.utter("no"), alexa, "no")
    assert spoken and not loading(spoken, "knee"), (point, spoken)
    assert [s["part"] for s in stored(setup, alexa)["sore"]] == ["knee"]


def test_a_pop_mid_set_ends_the_workout_with_a_plain_suggestion_to_get_it_looked_at(setup, alexa):
    alexa.utter("open runner strength")
    alexa.utter("a full body workout")
    first = alexa.utter("ready")
    second = alexa.utter("go") if first.waits else first
    _, start, seconds, _ = next(m for m in second.marks if m[0] in WORK and second.workout.steps[m[3]].is_set)
    reply = alexa.utter("i felt a pop in my knee", barge=start + seconds / 2)
    assert heard(reply, "pain.red_flag", what="A pop") and reply.ended, reply.speech
    assert "doctor or physical therapist" in reply.speech and "Great" not in reply.speech
    record = stored(setup, alexa)
    assert record["history"][-1]["ended_for"] == "pain" and record["workout"] is None


def test_a_cramp_mid_set_is_stretched_out_then_the_workout_carries_on(setup, alexa):
    cramped, reply = mid_first_set(alexa, "a full body workout", "my calf is cramping up")
    assert heard(reply, "pain.cramp") and reply.waits, reply.speech
    assert cramped in spoken_sets(alexa.utter("go"), alexa), "the set cut by the cramp is done once it eases"


# What the issue found falling through: each now reaches the safety path (a cramp, its own).
FELL_THROUGH = ["i think i pulled something", "my hamstring is tight and it hurts", "that was painful",
                "something doesn't feel right in my knee", "ouch that hurt my back", "i felt a pop in my knee",
                "i've got a cramp", "my calf is cramping up"]


def test_every_way_the_issue_found_falling_through_now_reaches_the_safety_path_at_a_hand_back(alexa):
    for phrase in FELL_THROUGH:
        alexa.utter("open runner strength")
        alexa.utter("a full body workout")
        handed_back = alexa.utter("ready")
        assert handed_back.waits
        reply = alexa.utter(phrase)
        assert reply.intent == "PainIntent", (phrase, reply.intent)
        key = "pain.cramp" if "cramp" in phrase else "pain.red_flag" if "pop" in phrase else "pain.safety"
        assert (key == "pain.red_flag" and "looked at" in reply.speech) or heard(reply, key), (phrase, reply.speech)
        if not reply.ended:
            alexa.utter("stop")


def test_the_next_day_the_launch_asks_about_the_knee_and_still_sore_keeps_it_spared(setup, alexa):
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    record = RunnerRecord(welcomed=True).feeling_sore("knee", yesterday)
    setup[1].save_attributes(request_for(user=alexa.user_id), record.to_dict())
    asked = alexa.utter("open runner strength")
    assert heard(asked, "sore.check", part="knee"), asked.speech
    still = alexa.utter("yes")
    assert heard(still, "sore.still", part="knee"), still.speech
    built = alexa.utter("a full body workout")
    assert not loading(list(built.workout.circuit.exercises), "knee")
    assert stored(setup, alexa)["sore"][0]["times"] == 2


def test_something_gentler_answers_the_pain_offer(setup, alexa):
    _, offer = mid_first_set(alexa, "a hamstrings circuit", "this hurts")
    gentler = offer.attributes["question"]["about"]["gentler"]
    answer = alexa.utter("something gentler")
    assert answer.intent in ("EasierIntent", "SwapIntent"), answer.intent
    if gentler is None:  # nothing gentler left in the area: the offer was to leave it out, and that is taken
        assert heard(answer, "pain.skipped", area="hamstrings"), answer.speech
    else:
        assert heard(answer, "pain.swapped", new=NAMES_OF[gentler]), answer.speech


def test_never_give_me_and_always_include_show_up_next_session(alexa):
    alexa.utter("open runner strength")
    assert alexa.utter("never give me clamshells").intent == "NeverExerciseIntent"
    assert alexa.utter("always include glutes").intent == "AlwaysAreaIntent"
    alexa.utter("stop")
    alexa.utter("open runner strength")
    intro = alexa.utter("a hamstrings circuit").speech
    assert "hamstrings and glute medius" in intro or "glute medius and hamstrings" in intro
    assert "clamshell" not in intro


def test_i_dont_have_a_band_said_as_it_is_set_up_for_swaps_it_and_asks_first(setup, alexa):
    alexa.utter("open runner strength")
    alexa.utter("i have a band")
    banded = None
    for _ in range(15):
        reply = alexa.utter("a glute circuit with one round")
        banded = next((e for e in named(reply.speech) if CATALOG[e].equipment == "resistance_band"), None)
        if banded:
            break
    assert banded, "a band exercise came up"
    # On through the workout to the rest (or the count to get set) before the band exercise.
    delivery = alexa.utter("ready")
    heard_so_far = [delivery.speech]
    while not any(kind in ("rest", "setup") and delivery.workout.steps[step].exercise == banded
                  for kind, _, _, step in delivery.marks):
        assert delivery.waits, "the band exercise came up"
        delivery = alexa.utter("go")
        heard_so_far.append(delivery.speech)
    _, start, _, step = next(m for m in delivery.marks
                             if m[0] in ("rest", "setup") and delivery.workout.steps[m[3]].exercise == banded)
    reply = alexa.utter("i don't have a band", barge=start + 5)
    assert reply.intent == "LackEquipmentIntent"
    assert "need a resistance band" in reply.speech or "needs a resistance band" in reply.speech
    assert NAMES_OF[banded].lower() in reply.speech.lower()
    assert "equipment list?" in reply.speech
    instead = reply.workout.steps[step].exercise
    assert instead != banded and step not in reply.workout.done, "swapped, not done"
    assert "resistance_band" in stored(setup, alexa)["preferences"]["equipment"]
    dropped = alexa.utter("yes")
    assert heard(dropped, "kit.dropped", equipment="a resistance band")
    assert "resistance_band" not in stored(setup, alexa)["preferences"]["equipment"]
    rest = [dropped, *to_the_end(alexa)] if dropped.waits else [dropped]
    assert all(CATALOG[e].equipment != "resistance_band" for r in rest for e in named(r.speech))
    # What replaced it is done in its place, and set up before its first "Go!", as any exercise is.
    goes = next(r for r in rest if step in sets_in(r))
    assert goes.workout.steps[step].exercise == instead
    heard_so_far += [reply.speech] + [r.speech for r in rest[:rest.index(goes)]] + [GO.split(goes.speech)[0]]
    assert EN.exercises[instead].setup in " ".join(heard_so_far), heard_so_far[-3:]


def test_race_eve_kit_and_consistency_as_a_runner_says_them(setup, alexa):
    """Issue 22 end to end: the eve of a race has no leg work, two pieces of kit in one breath are both kept, no kit
    clears them, and the streak is counted in weeks."""
    alexa.utter("open runner strength")
    kit = alexa.utter("i have dumbbells and a band")
    assert kit.intent == "HaveEquipmentIntent" and "dumbbells and a resistance band" in kit.speech, kit.speech
    assert stored(setup, alexa)["preferences"]["equipment"] == ["dumbbells", "resistance_band"]
    assert alexa.utter("just bodyweight").intent == "NoEquipmentIntent"
    assert stored(setup, alexa)["preferences"]["equipment"] == []
    race = alexa.utter("i have a race tomorrow")
    built = alexa.utter("yes") if race.attributes.get("question", {}).get("name") != "ready" else race
    areas = set(built.workout.circuit.areas)
    assert areas <= {"LOWER_BACK", "REAR_DELTS"}, (areas, built.speech)
    assert "nothing for the legs today" in built.speech, built.speech
    streak = alexa.utter("what's my streak")
    assert streak.intent == "StreakIntent" and "this week" in streak.speech, streak.speech
