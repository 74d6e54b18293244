"""When the runner's record is read and written: once per session in, at most once per turn out.

The record is parsed once a turn (from the store on a session's first turn, else from the session) and
serialised once (at the end of the turn, into the session and, when it changed, the store). Saves are
conditional on the version read; on a conflict the stored record is re-read and this turn's changes merged
in. When the store fails the workout carries on from defaults and the session, the runner hears one line
about it, and the save is retried at a later turn after a back-off.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from functools import cache

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope, Response

from ...storage.contract import RunnerStore, VersionConflict
from ...training.record import RunnerRecord, fingerprint, merge
from .questions import Question
from .turn import Services, Turn

log = logging.getLogger(__name__)

# Session attributes.
RECORD = "record"  # the record as of the end of the last turn
SAVED = "saved"  # fingerprint of what the store holds, as far as this session knows
BASE = "base"  # summary of the record as last read or saved, for a three-way merge
UNREAD = "unread"  # the store could not be read: the record was built from defaults
RETRY_AT = "store_retry_at"
STORE_FAILED = "store_failed"  # request attribute: the store failed this turn already

SAVE_ATTEMPTS = 4
# After a storage failure, turns in the next few seconds skip the store (saving at a later boundary),
# so an outage costs the runner one wait, not one per turn.
STORE_BACKOFF = timedelta(seconds=20)
TROUBLE = "storage.trouble"


@cache
def _empty() -> tuple[str, dict]:
    """The fingerprint and summary of a new runner's record."""
    record = RunnerRecord()
    data = record.to_dict()
    return fingerprint(data), record.summary(data)


class LoadRecord(AbstractRequestInterceptor):
    """Makes the Turn: the record from the session, or on a session's first turn from the store."""

    def __init__(self, services: Services, questions: Mapping[str, Question]) -> None:
        self.services = services
        self.questions = questions

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.request_envelope.session is None:
            return  # an event outside any conversation: no turn to set up
        session = handler_input.attributes_manager.session_attributes
        failed = False
        if RECORD in session:
            record = RunnerRecord.from_dict(session[RECORD])
        else:
            try:
                data = self.services.store.get_attributes(handler_input.request_envelope)
                record = RunnerRecord.from_dict(data)
            except Exception:
                log.exception("could not read the runner's record; carrying on with defaults")
                failed, data, record = True, {}, RunnerRecord()
                session[UNREAD] = True
                session[RETRY_AT] = (self.services.clock() + STORE_BACKOFF).isoformat()
                handler_input.attributes_manager.request_attributes[STORE_FAILED] = True
            if data:
                # Fingerprints of the data as read; a record stored by an older schema is written back once.
                session[SAVED], session[BASE] = fingerprint(data), record.summary(data)
            else:
                session[SAVED], session[BASE] = _empty()
        turn = Turn(handler_input, self.services, record, self.questions).attach()
        if failed:
            turn.notice_once(TROUBLE)


def save_record(store: RunnerStore, envelope: RequestEnvelope, record: RunnerRecord, base: dict,
                attempts: int = SAVE_ATTEMPTS, data: dict | None = None) -> tuple[dict, dict]:
    """Save with optimistic locking: on a conflict re-read, merge this turn's changes in, and retry.

    Returns the record's data as stored (with its new version) and its summary, the base for the next save.
    `data` is record.to_dict() when the caller has it already."""
    data = data or record.to_dict()
    for _ in range(attempts):
        try:
            store.save_attributes(envelope, data)
        except VersionConflict:
            theirs = RunnerRecord.from_dict(store.get_attributes(envelope))
            record, base = merge(base, record, theirs), theirs.summary()
            data = record.to_dict()
            continue
        saved = replace(record, version=record.version + 1)
        saved_data = {**data, "version": saved.version}
        return saved_data, saved.summary(saved_data)
    raise VersionConflict(f"still conflicting after {attempts} attempts")


class SaveRecord(AbstractResponseInterceptor):
    """Writes the record back to the session, and to the store when it changed since the last save."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        if turn is None:
            return
        session = turn.session
        data = turn.record.to_dict()
        session[RECORD] = data
        if turn.forgotten or session.get(SAVED) == fingerprint(data):
            return
        if handler_input.attributes_manager.request_attributes.get(STORE_FAILED):
            return  # the store failed once this turn already: do not make the runner wait twice
        if session.get(RETRY_AT, "") > self.services.clock().isoformat():
            return
        try:
            if session.get(UNREAD):
                # Never overwrite what is stored with a record built from defaults: merge it in first.
                session[BASE] = _empty()[1]
            data, base = save_record(self.services.store, handler_input.request_envelope, turn.record,
                                     session[BASE], data=data)
        except Exception:
            log.exception("could not save the runner's record; will retry at a later change")
            turn.notice_once(TROUBLE)
            session[RETRY_AT] = (self.services.clock() + STORE_BACKOFF).isoformat()
            return
        session.pop(UNREAD, None)
        session.pop(RETRY_AT, None)
        session[RECORD] = data
        session[BASE] = base
        session[SAVED] = fingerprint(data)


def forget_runner(turn: Turn) -> bool:
    """Delete this runner's record, and make sure this session does not write it back. False if the store
    could not do it."""
    try:
        turn.services.store.delete_attributes(turn.input.request_envelope)
    except Exception:
        log.exception("could not delete the runner's record")
        return False
    turn.record = RunnerRecord()
    turn.forgotten = True
    for key in (BASE, SAVED):
        turn.session.pop(key, None)
    return True
