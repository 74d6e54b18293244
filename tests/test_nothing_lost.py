"""Nothing lost: two devices on one account, storage blips injected between the skill and DynamoDB (dynalite behind
tests/support/faults.py), lost replies, conflicts, forgetting on one device while the other talks, and damaged
session attributes. Each test injects the fault it is about."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import replace

import pytest

from benchmarks.soak import soak, two_devices
from runner_strength.speech.phrases import load_locale
from runner_strength.storage.dynamodb import MAX_ATTEMPTS, DynamoStore, client_config
from runner_strength.storage.memory import MemoryStore
from runner_strength.storage.sqlite import SQLiteStore
from runner_strength.training.cursor import Cursor
from runner_strength.training.record import RunnerRecord, Session
from runner_strength.voice.conversation.record_io import CONFLICT_BACKOFF_S, SAVE_BUDGET_S, save_record
from tests.support.clock import Timer
from tests.support.envelopes import (
    USER_ID,
    Conversation,
    ended,
    heard,
    request_for,
    said,
    session_ended,
    session_record,
    slot,
    unpacked,
)
from tests.support.faults import fault_proxy
from tests.support.servers import dynamodb_client
from tests.support.skills import make_skill

PRODUCTION = client_config()
RUNNER = request_for(USER_ID)
WRITES = {"UpdateItem", "PutItem"}


@pytest.fixture
def proxied(dynamo_table):
    """A DynamoDB store as production configures its client, reached through the fault proxy; and a direct one."""
    endpoint, table = dynamo_table
    with fault_proxy(endpoint) as proxy:
        yield (DynamoStore(table, client=dynamodb_client(proxy.endpoint, config=PRODUCTION)), proxy,
               DynamoStore(table, client=dynamodb_client(endpoint)))


def stored_entry(store, talk_before: dict) -> dict | None:
    """The history entry, as stored, of the workout the session was in."""
    workout_id = session_record(talk_before)["workout_id"]
    return next((e for e in store.get_attributes(RUNNER).get("history", []) if e["id"] == workout_id), None)


def claims_saved(reply: dict) -> bool:
    return any(variant.split("{")[0] in said(reply) for variant in load_locale("en-US").phrases["stop.saved"])


def sets_done(talk: Conversation) -> int:
    """The sets of the workout the session is in that count as done, as the record it carries has them."""
    return Cursor.from_dict(session_record(talk.session)["workout"]).sets_done


def into_a_workout(talk: Conversation, sets: int) -> int:
    """Build a full circuit, say ready (the warm-up and the first set), and say next (a delivery: as many sets as
    fit in a response) until at least `sets` sets are done; how many are."""
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    while sets_done(talk) < sets:
        talk.say("AMAZON.NextIntent")
        assert talk.session is not None, f"the workout ended before {sets} sets"
    return sets_done(talk)


def nexts_to_finish(clock, **slots) -> int:
    """How many "next" after "ready" the circuit built with `slots` takes to finish, found by doing it first on a
    memory store: a skill whose seeds start at the same number picks the same circuit, on any store."""
    talk = Conversation(make_skill(MemoryStore(), clock))
    talk.say("BuildCircuitIntent", **slots)
    talk.say("ReadyIntent")
    return next(n for n in range(1, 30) if heard_done(talk.say("AMAZON.NextIntent")))


def silence(talk: Conversation) -> dict:
    """The runner says nothing after a response that keeps the session open: Alexa ends the session."""
    assert talk.session is not None
    return talk.send(session_ended("EXCEEDED_MAX_REPROMPTS"))


# 1. Two devices ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["memory", "sqlite", "dynamodb"])
def test_two_devices_alternating_workouts_record_every_finished_workout_once(kind, tmp_path, dynamo_table):
    """Before: half the finished workouts recorded on every store (7 of 14 with ten workouts a device; 16 of 20
    and 18 of 20 lost as filed); after: all, once."""
    if kind == "memory":
        shared = MemoryStore()
        stores = lambda: shared  # noqa: E731
    elif kind == "sqlite":
        stores = lambda: SQLiteStore(tmp_path / "runners.sqlite3")  # noqa: E731
    else:
        endpoint, table = dynamo_table
        stores = lambda: DynamoStore(table, client=dynamodb_client(endpoint))  # noqa: E731
    tally = two_devices(stores, 4, lambda: stores().get_attributes(RUNNER))
    assert tally.finished == 6  # one of each device's four workouts is stopped part-way
    assert tally.stopped == 2, "each stop, cutting into a delivery, was told it was saved"
    assert tally.uncounted >= 2, "the set each stop cut into (and any after it in that delivery) does not count"
    assert tally.recorded == tally.finished, "every finished workout in the history, once"
    assert tally.stored == tally.told, "every set the runner was told was saved is stored"
    assert tally.overstored == 0, "and none the stop cut into, nor any after it"
    record = RunnerRecord.from_dict(stores().get_attributes(RUNNER))
    assert record.workouts_finished == tally.finished


def test_soak_with_a_third_of_storage_calls_throttled_loses_nothing(dynalite_endpoint):
    """Before (five workouts a device): 50% of finished workouts recorded, 95% of sets told saved stored;
    after: 100% and 100%."""
    figures = soak(workouts=2, throttle=0.3, seed=3, endpoint=dynalite_endpoint)
    assert figures["throttled"] > 0
    assert figures["finished_recorded"] == 1.0 and figures["sets_stored"] == 1.0, figures
    assert figures["sets_overstored"] == 0, figures


# 2. A failed save, then stop ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["throttle", "error500", "drop", "delay:2"])
def test_a_failed_save_then_stop_saves_at_the_stop_and_says_what_failed(proxied, clock, fault):
    """Before: the stop 0.1 s after one throttled save said "Saved ... 2 of 6" with 1 of 6 stored."""
    store, proxy, direct = proxied
    talk = Conversation(make_skill(store, clock))
    saved = into_a_workout(talk, 1)  # the warm-up and the first set, stored
    proxy.inject(fault, times=MAX_ATTEMPTS, ops=WRITES)  # both of the client's attempts fail
    talk.say("AMAZON.NextIntent")  # the next delivery's sets: its save fails
    assert proxy.injected[fault] == MAX_ATTEMPTS
    before, done = talk.session, sets_done(talk)
    assert stored_entry(direct, before)["done"] == saved < done, "the store missed the last delivery"
    clock.advance(seconds=0.1)
    stop = talk.say("AMAZON.StopIntent")
    assert heard(stop, "storage.unsaved") or "couldn't save your progress" in said(stop)
    assert "can't reach your saved settings" not in said(stop), "a failed save is not a failed read"
    assert ended(stop) and claims_saved(stop)
    told = int(re.search(r"(\d+) of \d+ sets", said(stop)).group(1))
    assert stored_entry(direct, before)["done"] == told == done


def test_a_stop_whose_save_keeps_failing_is_not_called_saved_and_answers_in_time(proxied, clock):
    store, proxy, direct = proxied
    talk = Conversation(make_skill(store, clock))
    saved = into_a_workout(talk, 1)
    proxy.inject("throttle", times=1000, ops=WRITES)
    talk.say("AMAZON.NextIntent")  # its save fails: the store holds the first delivery's sets only
    before = talk.session
    assert sets_done(talk) > saved
    started = time.monotonic()
    stop = talk.say("AMAZON.StopIntent")
    took = time.monotonic() - started
    proxy.clear()
    assert ended(stop) and not claims_saved(stop) and heard(stop, "stop.unsaved")
    assert took < 7.0, f"answered in {took:.1f} s: Alexa waits 8"
    assert stored_entry(direct, before)["done"] == saved, "the last save that worked is what is stored"


# 3. A write whose reply is lost ------------------------------------------------------------------------------


def test_a_finished_workout_whose_save_reply_is_lost_counts_once(proxied, clock):
    """Before: workouts_finished 2 after one workout."""
    store, proxy, direct = proxied
    nexts = nexts_to_finish(clock)
    talk = Conversation(make_skill(store, clock))
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    for _ in range(nexts - 1):
        talk.say("AMAZON.NextIntent")
    assert RunnerRecord.from_dict(direct.get_attributes(RUNNER)).workouts_finished == 0
    proxy.inject("lose_reply", ops=WRITES)  # the write lands; the client retries, and conflicts with it
    last = talk.say("AMAZON.NextIntent")  # the last sets and the summary: the workout is done
    assert proxy.injected["lose_reply"] == 1 and heard_done(last) and not ended(last), "open a moment for a remark"
    assert [s.finished for s in RunnerRecord.from_dict(direct.get_attributes(RUNNER)).history] == [True]
    proxy.inject("lose_reply", ops=WRITES)
    silence(talk)  # none: the session ends, and the workout is closed, counted as finished
    assert proxy.injected["lose_reply"] == 2
    record = RunnerRecord.from_dict(direct.get_attributes(RUNNER))
    assert record.workouts_finished == 1 and record.workout is None
    assert [s.finished for s in record.history] == [True]


def test_a_save_whose_reply_was_lost_on_both_attempts_is_recognised_at_the_next_save(proxied, clock):
    """The finish's save lands but neither attempt hears so; the session goes on (remember the rounds?), and the
    answer's save (which also closes the workout, counting it finished) finds that write stored. Before:
    workouts_finished 2."""
    store, proxy, direct = proxied
    # A core circuit of one round, so the finish asks whether to remember the rounds.
    one_round = {"area": slot("area", "core", "LOWER_BACK"), "rounds": slot("rounds", "1")}
    nexts = nexts_to_finish(clock, **one_round)
    talk = Conversation(make_skill(store, clock))
    talk.say("BuildCircuitIntent", **one_round)
    talk.say("ReadyIntent")
    for _ in range(nexts - 1):
        talk.say("AMAZON.NextIntent")
    proxy.inject("lose_reply", times=1, ops=WRITES)
    proxy.inject("drop", times=1, ops=WRITES)  # landed, then the retry never got there
    finish = talk.say("AMAZON.NextIntent")
    assert heard_done(finish) and not ended(finish), "the finish asks about remembering the rounds"
    assert talk.session["question"]["name"] == "keep_request"
    assert [s.finished for s in RunnerRecord.from_dict(direct.get_attributes(RUNNER)).history] == [True], \
        "the write landed"
    clock.advance(seconds=30)
    talk.say("AMAZON.YesIntent")
    record = RunnerRecord.from_dict(direct.get_attributes(RUNNER))
    assert record.preferences.rounds == 1, "the answer was saved"
    assert record.workouts_finished == 1 and len(record.history) == 1


def heard_done(reply: dict) -> bool:
    """Whether the reply ends a workout with its summary ("That's the last one. 10 of 10 sets done. ...")."""
    text = said(reply)
    return "sets" in text and any(v.split("{")[0] in text for v in load_locale("en-US").phrases["workout.done"])


# 4. Conflicts ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["sqlite", "dynamodb"])
def test_four_writers_at_once_all_save_within_the_turn_budget(kind, tmp_path, dynamo_table):
    """Before: 7 of 40 saves gave up after 4 conflicts."""
    if kind == "sqlite":
        stores = [SQLiteStore(tmp_path / "runners.sqlite3") for _ in range(4)]
    else:
        endpoint, table = dynamo_table
        stores = [DynamoStore(table, client=dynamodb_client(endpoint)) for _ in range(4)]
    stores[0].save_attributes(RUNNER, RunnerRecord().to_dict())
    failures: list[BaseException] = []

    def device(number: int) -> None:
        store = stores[number]
        for update in range(10):
            record = RunnerRecord.from_dict(store.get_attributes(RUNNER))
            entry = Session(id=f"d{number}-{update}", day="2026-11-25", areas=(), picks=(), done=1, total=2)
            changed = replace(record, history=(*record.history, entry), workouts_finished=record.workouts_finished + 1)
            try:
                save_record(store, RUNNER, changed, record.summary())
            except BaseException as err:
                failures.append(err)

    threads = [threading.Thread(target=device, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [], f"{len(failures)} of 40 saves failed"
    assert RunnerRecord.from_dict(stores[0].get_attributes(RUNNER)).workouts_finished == 40


# 5. Forgotten on one device, still talking on the other ------------------------------------------------------


@pytest.mark.parametrize("kind", ["memory", "dynamodb"])
def test_forget_my_data_on_one_device_stays_forgotten_and_the_other_starts_fresh(kind, clock, dynamo_table):
    """Before: the second device's next turn re-created the item."""
    if kind == "memory":
        shared = MemoryStore()
        stores = lambda: shared  # noqa: E731
    else:
        endpoint, table = dynamo_table
        stores = lambda: DynamoStore(table, client=dynamodb_client(endpoint))  # noqa: E731
    kitchen, bedroom = Conversation(make_skill(stores(), clock)), Conversation(make_skill(stores(), clock, 500))
    into_a_workout(kitchen, 3)
    done = into_a_workout(bedroom, 1)
    kitchen.say("ForgetMeIntent")
    assert ended(kitchen.say("AMAZON.YesIntent"))
    assert stores().get_attributes(RUNNER) == {}
    bedroom.say("AMAZON.NextIntent")  # a delivery's sets done: its save finds the record gone
    assert done > 0 and session_record(bedroom.session)["workout"] is None, "this session starts afresh"
    assert stores().get_attributes(RUNNER) == {}, "not written back"
    assert heard(bedroom.say("HowManyLeftIntent"), "storage.forgotten")
    assert stores().get_attributes(RUNNER) == {}
    assert "therapist" in said(Conversation(make_skill(stores(), clock, 900)).launch()), "a new runner again"


# 13. Session attributes --------------------------------------------------------------------------------------


def test_oversized_session_attributes_are_dropped_for_the_stored_record(skill, store):
    """Before: a crafted session gave 33 KB to 351 KB responses (Alexa's limit is 24 KB)."""
    talk = Conversation(skill)
    into_a_workout(talk, 3)
    bloated = unpacked(talk.session)
    bloated["record"] = {**bloated["record"], "history": [
        {"id": f"w{i}", "day": "2026-11-01", "areas": ["HAMSTRINGS"] * 40, "picks": ["x" * 200], "done": 1,
         "total": 1} for i in range(300)]}
    bloated["junk"] = "y" * 200_000
    talk.session = bloated
    reply = talk.say("HowManyLeftIntent")
    size = len(json.dumps(reply).encode())
    assert size < 24 * 1024, f"{size} bytes"
    assert "junk" not in reply["sessionAttributes"]
    assert [e["id"] for e in session_record(reply["sessionAttributes"])["history"]] == \
        [e["id"] for e in store.get_attributes(RUNNER)["history"]]


@pytest.mark.parametrize("damage", [
    {"streak": {"days": "many"}}, {"workouts_finished": "lots"}, {"history": 7}, "not a record",
    # A damaged part is not dropped from the session's copy (which a stored record would survive): the copy is.
    {"streak": {"days": 1, "best": 1, "last_day": -3}}, {"history": [{"day": "2026-11-25"}]},
    lambda record: {**record, "workout": {**record["workout"], "circuit": {**record["workout"]["circuit"],
                                                                           "warmup": "high_knees"}}},
    lambda record: {**record, "workout": {**record["workout"], "position": 999}},
])
def test_a_damaged_record_in_the_session_is_dropped_for_the_stored_one(skill, store, damage):
    talk = Conversation(skill)
    into_a_workout(talk, 3)
    before = store.get_attributes(RUNNER)
    position = before["workout"]["position"]
    assert position > 0
    plain = unpacked(talk.session)
    damaged = damage if isinstance(damage, str) else damage(plain["record"]) if callable(damage) else \
        {**plain["record"], **damage}
    talk.session = {**plain, "record": damaged}
    reply = talk.say("HowManyLeftIntent")
    assert not ended(reply) and "went wrong" not in said(reply)
    record = session_record(reply["sessionAttributes"])
    assert RunnerRecord.from_dict(record).workout.position == position, "the stored record, read back whole"
    stored = store.get_attributes(RUNNER)
    assert stored == before, "nothing of the damaged one was saved"
    stored.pop("save_token")
    stored.pop("generation")
    assert record == stored, "nothing of the damaged one is left"


@pytest.mark.parametrize("where", ["session", "store"])
def test_a_workout_naming_an_exercise_this_version_does_not_have_is_dropped_not_apologised_for(skill, store, where):
    """A workout saved by a version with another catalog (or damaged) cannot be coached: it is left, the rest of
    the record kept. Before: 'Sorry' at every turn that summed it up."""
    talk = Conversation(skill)
    into_a_workout(talk, 3)
    finished = store.get_attributes(RUNNER)["history"]
    plain = unpacked(talk.session)
    unknown = {**plain["record"]["workout"], "circuit": {**plain["record"]["workout"]["circuit"],
                                                           "warmup": ["moon_walk"]}}
    if where == "session":
        talk.session = {**plain, "record": {**plain["record"], "workout": unknown}}
    else:
        talk.say("AMAZON.StopIntent")
        stored = store.get_attributes(RUNNER)
        store.save_attributes(RUNNER, {**stored, "workout": {**stored["workout"], "circuit": unknown["circuit"]}})
        talk.launch()
    for intent in ("HowManyLeftIntent", "FinishWorkoutIntent"):
        reply = talk.say(intent)
        assert "went wrong" not in said(reply) and "tripped" not in said(reply), said(reply)
    assert store.get_attributes(RUNNER)["history"][:len(finished)] == finished


def test_a_runner_with_a_full_history_keeps_their_session_and_is_read_once(skill, store):
    talk = Conversation(skill)  # a workout like the limits test's: glutes and hamstrings, one round
    talk.say("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"),
             secondArea=slot("secondArea", "hammies", "HAMSTRINGS"), rounds=slot("rounds", "1"))
    talk.say("ReadyIntent")
    assert any(heard_done(talk.say("AMAZON.NextIntent")) for _ in range(10))
    silence(talk)
    data = store.get_attributes(RUNNER)
    entry = data["history"][0]
    assert entry["finished"]
    data["history"] = [{**entry, "id": f"2026110{i % 10}-{i:06d}", "day": f"2026-10-{1 + i % 28:02d}"}
                       for i in range(50)]
    store.save_attributes(RUNNER, data)
    reads = store.reads
    talk = Conversation(skill)
    into_a_workout(talk, 3)
    assert len(session_record(talk.session)["history"]) >= 50, "a full record rides in the session"
    assert len(json.dumps(talk.session, separators=(",", ":"))) < 10_000, "packed, it is a fraction of its size"
    assert store.reads == reads + 1, "the session's record was kept, not dropped and re-read"


def test_a_session_that_times_out_saves_within_the_back_off(skill, store):
    """The reprompt went unanswered: Alexa's SessionEndedRequest is the session's last chance to save. Before: 1 of
    2 sets stored."""
    talk = Conversation(skill)
    saved = into_a_workout(talk, 1)
    store.broken = True
    talk.say("AMAZON.NextIntent")  # a delivery's sets done; its save fails
    store.broken = False  # back at once: still within the 20 s back-off
    workout_id, done = session_record(talk.session)["workout_id"], sets_done(talk)

    def stored() -> int:
        return next(e for e in store.get_attributes(RUNNER)["history"] if e["id"] == workout_id)["done"]

    assert stored() == saved < done
    talk.send(session_ended("EXCEEDED_MAX_REPROMPTS"))
    assert stored() == done


def test_a_record_forgotten_and_begun_afresh_is_not_merged_with_a_session_from_before(skill, store, clock):
    """The other device's session outlived the deletion and a new record: its old workout stays out of it."""
    kitchen, bedroom = Conversation(skill), Conversation(make_skill(store, clock, 500))
    into_a_workout(kitchen, 3)
    into_a_workout(bedroom, 1)
    old_workout = session_record(bedroom.session)["workout_id"]
    kitchen.say("ForgetMeIntent")
    kitchen.say("AMAZON.YesIntent")
    into_a_workout(kitchen := Conversation(skill), 1)  # a fresh start on the kitchen Echo, saved at every turn
    while not heard_done(kitchen.turns[-1]) and len(kitchen.turns) < 10:
        kitchen.say("AMAZON.NextIntent")  # to its end
    silence(kitchen)
    new = store.get_attributes(RUNNER)
    assert new["history"][-1]["finished"]
    assert new["version"] >= session_record(bedroom.session)["version"], "versions alone cannot tell them apart"
    bedroom.say("AMAZON.NextIntent")
    assert old_workout not in [e["id"] for e in store.get_attributes(RUNNER)["history"]]
    assert heard(bedroom.say("HowManyLeftIntent"), "storage.forgotten")


def test_a_first_turn_with_oversized_session_attributes_and_no_record_answers_small(skill):
    talk = Conversation(skill)
    talk.session = {"junk": "y" * 200_000}  # a new session carrying attributes it never had
    reply = talk.say("BuildCircuitIntent")
    assert len(json.dumps(reply).encode()) < 24 * 1024 and "junk" not in reply["sessionAttributes"]


def core_circuit_then_the_store_goes_down(clock, timer: Timer | None = None) -> Conversation:
    """A core circuit built and warmed up for, then every storage call fails."""
    store = MemoryStore()
    talk = Conversation(make_skill(store, clock, timer=timer))
    talk.launch()
    talk.say("BuildCircuitIntent", area=slot("area", "core", "LOWER_BACK"))
    talk.say("ReadyIntent")
    store.broken = True
    return talk


def test_a_workout_finished_while_the_store_is_down_keeps_its_summary_and_says_it_was_not_saved(clock):
    talk = core_circuit_then_the_store_goes_down(clock)
    while not heard_done(reply := talk.say("AMAZON.NextIntent")) and len(talk.turns) < 20:
        pass
    assert heard(reply, "workout.done", done=6, total=6) and heard(reply, "stop.unsaved")
    assert not claims_saved(reply)


def test_a_stop_while_the_store_is_down_names_the_place_and_says_it_was_not_saved(clock):
    timer = Timer()
    talk = core_circuit_then_the_store_goes_down(clock, timer)
    talk.say("AMAZON.NextIntent")  # sets done that the store never got
    before = timer.now
    stop = talk.say("AMAZON.StopIntent")
    assert ended(stop) and heard(stop, "stop.unsaved") and not claims_saved(stop)
    # The last turn kept trying for its whole budget, on the skill's own timer (so the test takes no real time),
    # and no attempt started past it.
    assert SAVE_BUDGET_S - CONFLICT_BACKOFF_S[1] <= timer.now - before <= SAVE_BUDGET_S


@pytest.mark.parametrize("packed", ["not base64!", "bm90IGRlZmxhdGVk", 7])
def test_an_unreadable_packed_record_is_dropped_for_the_stored_one(skill, store, packed):
    talk = Conversation(skill)
    into_a_workout(talk, 3)
    position = store.get_attributes(RUNNER)["workout"]["position"]
    talk.session = {**talk.session, "record_z": packed}
    reply = talk.say("HowManyLeftIntent")
    assert not ended(reply) and "went wrong" not in said(reply)
    assert RunnerRecord.from_dict(session_record(reply["sessionAttributes"])).workout.position == position
