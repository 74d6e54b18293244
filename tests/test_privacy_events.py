"""Nothing leaked: household members are found and deleted in every order of events, on every store; a deletion
Alexa asked for that failed is not acknowledged (HTTP 503, a Lambda error) so Alexa delivers it again; a
successful one is; SQLite's write-ahead log holds no deleted record afterwards."""

from __future__ import annotations

import importlib
import json
import logging
import sqlite3

import pytest
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope

from runner_strength.hosting.app import create_app
from runner_strength.hosting.config import Config
from runner_strength.storage.contract import DeletionFailed
from runner_strength.storage.memory import MemoryStore
from runner_strength.storage.sqlite import SQLiteStore
from runner_strength.voice.areas.privacy import SkillDisabled
from tests.support.envelopes import SKILL_ID, USER_ID, Conversation, ended, envelope, request_for
from tests.support.skills import make_skill
from tests.support.stores import plant, stored_keys

ANNA, BEN, CARL = "amzn1.ask.person.ANNA", "amzn1.ask.person.BEN", "amzn1.ask.person.CARL"
NEIGHBOUR = "amzn1.ask.account.NEIGHBOUR"


def disabled_event(status: str = "NOT_PERSISTED") -> dict:
    """AlexaSkillEvent.SkillDisabled as Alexa sends it: no session."""
    body = envelope({"type": "AlexaSkillEvent.SkillDisabled", "eventCreationTime": "2026-11-25T07:00:00Z",
                     "eventPublishingTime": "2026-11-25T07:00:01Z",
                     "body": {"userInformationPersistenceStatus": status}})
    del body["session"]
    return body


def keep_something(skill, person: str | None = None, user: str = USER_ID) -> None:
    """A runner changes a setting: their record is saved."""
    Conversation(skill, user_id=user, person_id=person).say("SetLevelIntent", level={
        "name": "level", "value": "hard", "confirmationStatus": "NONE", "resolutions": {"resolutionsPerAuthority": [
            {"authority": "a", "status": {"code": "ER_SUCCESS_MATCH"}, "values": [{"value": {"name": "hard",
                                                                                           "id": "ADVANCED"}}]}]}})


def forget_by_voice(skill, person: str | None = None) -> None:
    talk = Conversation(skill, person_id=person)
    talk.say("ForgetMeIntent")
    assert ended(talk.say("AMAZON.YesIntent"))


def disable(skill) -> dict:
    env = skill.serializer.deserialize(payload=json.dumps(disabled_event()), obj_type=RequestEnvelope)
    return skill.serializer.serialize(skill.invoke(request_envelope=env, context=None))


def nothing_left(store, *people: str | None) -> bool:
    return all(store.get_attributes(request_for(USER_ID, person)) == {} for person in people)


ORDERS = {
    # Before: the account holder's "forget my data" deleted the member list, orphaning both members.
    "members, account, account forgets by voice, disable": ["anna", "ben", "account", "forget", "disable"],
    "account forgets, then a member's first save, disable": ["account", "forget", "anna", "disable"],
    "members only, disable": ["anna", "ben", "disable"],
    "member, account saves again and again, disable": ["anna", "account", "account", "account", "disable"],
    "a member forgets by voice, saves again, disable": ["anna", "forget-anna", "anna", "disable"],
}


@pytest.mark.parametrize("order", ORDERS)
def test_disabling_the_skill_deletes_every_household_member_in_any_order(any_store, clock, order):
    skill = make_skill(any_store, clock)
    for step in ORDERS[order]:
        {"anna": lambda: keep_something(skill, ANNA), "ben": lambda: keep_something(skill, BEN),
         "account": lambda: keep_something(skill), "forget": lambda: forget_by_voice(skill),
         "forget-anna": lambda: forget_by_voice(skill, ANNA), "disable": lambda: disable(skill)}[step]()
    assert nothing_left(any_store, None, ANNA, BEN)


def test_disabling_the_skill_leaves_no_item_of_the_account_and_takes_no_other_accounts(any_store, clock):
    """Every item of the account goes, whatever each voice did: kept a record, forgot it, or had one keyed as before
    keys named the account. A voice of the same personId on another account keeps its record. Before, that voice
    shared Anna's record, and lost it with her account."""
    skill = make_skill(any_store, clock)
    keep_something(skill, ANNA, user=NEIGHBOUR)
    for person in (ANNA, BEN, CARL, None):
        keep_something(skill, person)
    forget_by_voice(skill, BEN)
    plant(any_store, f"person:{CARL}", {"preferences": {"level": "beginner"}})
    disable(skill)
    assert {key for key in stored_keys(any_store) if USER_ID in key or key.startswith("person:amzn1.ask.person")} \
        == set()
    assert stored_keys(any_store) <= {f"user:{NEIGHBOUR}", f"person:{NEIGHBOUR}:{ANNA}"}
    assert any_store.get_attributes(request_for(NEIGHBOUR, ANNA))["preferences"]["level"] == "advanced"


def test_the_account_holder_forgetting_deletes_the_members_data_too(any_store, clock):
    """PRODUCT.md: "forget my data" deletes everything, household members included."""
    skill = make_skill(any_store, clock)
    keep_something(skill, ANNA)
    keep_something(skill)
    forget_by_voice(skill)
    assert nothing_left(any_store, None) and nothing_left(any_store, ANNA)


# Acknowledging the event ---------------------------------------------------------------------------------------


class FailingDeletes(MemoryStore):
    def forget_account(self, request_envelope) -> None:
        raise PersistenceException("store is down")


def test_a_successful_deletion_on_disable_answers_200_over_http_and_returns_from_lambda(clock, monkeypatch):
    store = MemoryStore()
    skill = make_skill(store, clock)
    keep_something(skill)
    app = create_app(Config(verify=False, skill_id=SKILL_ID), skill=skill)
    reply = app.test_client().post("/", data=json.dumps(disabled_event()))
    assert reply.status_code == 200 and "outputSpeech" not in reply.get_json()["response"]
    assert store.items == {}
    keep_something(skill)
    entry = importlib.import_module("runner_strength.hosting.lambda_entry")
    monkeypatch.setattr(entry, "_skill", skill)
    assert "outputSpeech" not in entry.handle(disabled_event(), None)["response"]
    assert store.items == {}


def test_a_failed_deletion_on_disable_is_a_503_and_a_lambda_error_and_is_logged(clock, monkeypatch, caplog):
    skill = make_skill(FailingDeletes(), clock)
    app = create_app(Config(verify=False, skill_id=SKILL_ID), skill=skill)
    with caplog.at_level(logging.ERROR):
        reply = app.test_client().post("/", data=json.dumps(disabled_event()))
    assert reply.status_code == 503
    assert "deleting the account's data failed" in caplog.text
    entry = importlib.import_module("runner_strength.hosting.lambda_entry")
    monkeypatch.setattr(entry, "_skill", skill)
    with pytest.raises(PersistenceException):
        entry.handle(disabled_event(), None)


def test_a_failed_deletion_on_disable_is_logged_and_raised_by_the_handler(clock, caplog):
    skill = make_skill(FailingDeletes(), clock)
    handler = SkillDisabled(FailingDeletes())
    env = skill.serializer.deserialize(payload=json.dumps(disabled_event()), obj_type=RequestEnvelope)
    with caplog.at_level(logging.ERROR), pytest.raises(DeletionFailed):
        handler.handle(HandlerInput(request_envelope=env))
    assert "to be redelivered" in caplog.text


# SQLite's write-ahead log ---------------------------------------------------------------------------------------


def test_sqlite_keeps_no_deleted_record_in_its_write_ahead_log(tmp_path, clock):
    path = tmp_path / "runners.sqlite3"
    store = SQLiteStore(path)
    skill = make_skill(store, clock)
    store.check_at_start()
    # Another worker's open connection keeps the log from being folded in when this one closes.
    other = sqlite3.connect(path)
    try:
        other.execute("SELECT count(*) FROM runners").fetchone()
        keep_something(skill)
        wal = path.with_name(path.name + "-wal")
        assert b"advanced" in wal.read_bytes(), "the save went to the log first"
        forget_by_voice(skill)
        assert not wal.exists() or wal.stat().st_size == 0, "the log was checkpointed and emptied"
        assert b"advanced" not in path.read_bytes(), "overwritten, not just freed"
        assert other.execute("SELECT count(*) FROM runners").fetchone() == (0,)
    finally:
        other.close()


def _secure_delete_off_by_default(monkeypatch) -> None:
    """Every new connection as a SQLite built without SQLITE_SECURE_DELETE makes it (Python's own builds and many
    distributions'): freed pages keep what was in them unless the connection turns secure_delete on."""
    connect = sqlite3.connect

    def built_without(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.execute("PRAGMA secure_delete = OFF")
        return connection

    monkeypatch.setattr(sqlite3, "connect", built_without)


def test_after_forget_my_data_no_copy_of_the_runner_is_left_in_the_sqlite_file(tmp_path, clock, monkeypatch):
    """Before: the copies a save replaced were freed, not overwritten; after "forget my data" one of them still held
    the runner's userId in the file's free space (with 20 other runners about)."""
    _secure_delete_off_by_default(monkeypatch)
    path = tmp_path / "runners.sqlite3"
    store = SQLiteStore(path)
    store.check_at_start()
    others = [request_for(f"amzn1.ask.account.OTHER{n:04d}") for n in range(20)]
    for other in others:
        store.save_attributes(other, {"level": "beginner", "history": ["a workout"] * 2})
    skill = make_skill(store, clock)
    talk = Conversation(skill)
    talk.launch()
    talk.say("BuildCircuitIntent")
    talk.say("ReadyIntent")
    for _ in range(3):
        talk.say("AMAZON.NextIntent")  # a save at every block: each replaces the last copy
    talk.say("AMAZON.StopIntent")
    for other in others:  # they train too: their records grow, and pages are rearranged
        store.save_attributes(other, {"level": "beginner", "history": ["a workout"] * 4, "version": 1})
    assert path.read_bytes().count(USER_ID.encode()) >= 2, "the runner's row and its key's index entry"
    forget_by_voice(skill)
    assert store.get_attributes(request_for(USER_ID)) == {}
    left = {file.name: file.read_bytes().count(USER_ID.encode()) for file in tmp_path.iterdir()}
    assert not any(left.values()), left


class _WithoutSecureDelete:
    """A connection of a SQLite on which secure_delete cannot be turned on."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, *args):
        if "secure_delete" in sql:
            return self._connection.execute("SELECT 0")
        return self._connection.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._connection, name)


def test_a_sqlite_that_cannot_overwrite_deleted_data_is_refused_at_start(tmp_path, monkeypatch):
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kwargs: _WithoutSecureDelete(connect(*args, **kwargs)))
    with pytest.raises(PersistenceException, match="secure_delete"):
        SQLiteStore(tmp_path / "runners.sqlite3").check_at_start()
