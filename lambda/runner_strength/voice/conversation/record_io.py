"""When the runner's record is read and written: once per session in, at most once per turn out.

The record is parsed once a turn (from the store on a session's first turn, else from the session, unless what
the session carries back is damaged or oversized: then it is dropped and the stored record read instead) and
serialised once (at the end of the turn, into the session and, when it changed, the store).

Saves are conditional on the version read; on a conflict the stored record is re-read, this turn's changes
merged in, and the save retried with jittered back-off until the turn's time budget is spent. Every write carries
a token, so a write whose reply was lost is recognised when it is read back, not merged in a second time. A
record that vanished from the store since it was read was forgotten (on another device, or by disabling the
skill): it is never written back, and this session starts afresh.

Whose record a session carries is settled as it is read: the voice Alexa recognised then (a household member), or
else the account. Later turns keep to it whoever speaks, or whether a voice is recognised at all, so one runner's
workout is never saved into another's record. A voice recognised on an account for the first time, with nothing of its
own stored, starts from the account's record (its settings, history, place and what to leave out), and hears so
once: the runner who used the account before their voice was known loses nothing.

When the store fails the workout carries on from defaults and the session, the runner hears one line saying
what failed, and later turns skip the store for a back-off, except the turn that ends the session: it always
tries, and if its save fails the runner is not told it was saved.

The session's state (session.py) is parsed here once a turn, with the record, and written back once at the end.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import RequestEnvelope, Response
from ask_sdk_model.ui import SsmlOutputSpeech

from ...speech.ssml import Ssml
from ...storage.contract import RunnerStore, VersionConflict, as_runner, person_id
from ...training.catalog import Catalog
from ...training.record import RunnerRecord, fingerprint, merge
from .device_settings import decide
from .questions import askable
from .session import ACCOUNT, FORGOTTEN, OWN_RECORD, TROUBLE, UNSAVED, SessionState
from .turn import Services, Turn

log = logging.getLogger(__name__)

# Keys in the stored data beside the record: the save that wrote it, and the record's generation, made when it is
# first written, so that a record deleted and written afresh is told apart from the one a session read. The
# generation the session read rides in its merge base.
SAVE_TOKEN = "save_token"
GENERATION = "generation"
MAX_UNCONFIRMED = 4
# No save attempt starts later than this into a turn: one DynamoDB attempt can take about 2.5 s (two tries of a
# 0.75 s read timeout, with a wait between), so the turn answers within Alexa's 8 s with a margin.
SAVE_BUDGET_S = 4.5
CONFLICT_BACKOFF_S = (0.02, 0.4)  # first and largest jittered wait between conflicting saves
# After a storage failure, turns in the next few seconds skip the store (saving at a later boundary, and always
# at the session's end), so an outage costs the runner one wait, not one per turn.
STORE_BACKOFF = timedelta(seconds=20)
# What a session may carry back, compact JSON: a runner with a full 50-workout history in the middle of a workout
# carries about 20.7 KB (the record 18.5 KB, its merge base 2.8 KB); more than this is not ours, and would push
# the response past Alexa's 24 KB.
MAX_SESSION_BYTES = 22 * 1024


class Forgotten(Exception):
    """The record was deleted since this session read it: it must not be written back."""


@cache
def _empty() -> tuple[str, dict]:
    """The fingerprint and summary of a new runner's record."""
    record = RunnerRecord()
    data = record.to_dict()
    return fingerprint(data), record.summary(data)


def _session_state(attributes: dict | None) -> SessionState:
    """The session's state; all of it dropped when the attributes are too big to be ours."""
    try:
        size = len(json.dumps(attributes or {}, separators=(",", ":")).encode())
    except (TypeError, ValueError):
        size = MAX_SESSION_BYTES + 1
    if size > MAX_SESSION_BYTES:
        log.warning("session attributes of %d bytes dropped: over %d", size, MAX_SESSION_BYTES)
        return SessionState()
    return SessionState.parse(attributes)


def _from_session(state: SessionState) -> RunnerRecord | None:
    """The record the session carried back; None when it carries none, or (having dropped it) when it is
    damaged."""
    if state.record is None:
        return None
    try:
        base = state.base
        if state.saved is None or base is None \
                or not {"fields", "preferences", "history", "workouts_finished"} <= base.keys():
            raise TypeError("not a record with its merge base")
        if state.runner is None:
            raise TypeError("not said whose record it is")
        # Strictly: a damaged part is not dropped from the session's copy (and the rest saved over the stored one
        # without it); the copy is.
        return RunnerRecord.from_dict(state.record, strict=True)
    except Exception as err:  # anything at all wrong with it: the stored record is the truth
        log.warning("damaged record in the session dropped for the stored one: %s", err)
        state.record = state.base = state.saved = state.retry_at = state.runner = None
        state.unread, state.unconfirmed = False, []
        return None


def _coachable(record: RunnerRecord, catalog: Catalog) -> RunnerRecord:
    """The record without its unfinished workout when that names an exercise this version's catalog does not have
    (a damaged session, or a workout saved by a version with another catalog): it cannot be coached. The rest of
    the record stays."""
    cursor = record.workout
    if cursor is None:
        return record
    named = {*cursor.circuit.warmup, *cursor.circuit.exercises, *cursor.swapped.values(),
             *(step.exercise for step in cursor.steps if step.is_set)}
    if all(isinstance(exercise, str) and exercise in catalog for exercise in named):
        return record
    log.warning("an unfinished workout naming exercises this version does not know dropped")
    return replace(record, workout=None, workout_id=None, workout_updated=None)


class LoadRecord(AbstractRequestInterceptor):
    """Makes the Turn: the session's state, and the record from the session, or on a session's first turn from
    the store."""

    def __init__(self, services: Services, answers: Mapping[str, frozenset[str]],
                 needs: Mapping[str, frozenset[str]] | None = None) -> None:
        self.services = services
        self.answers = answers
        self.needs = needs or {}

    def process(self, handler_input: HandlerInput) -> None:
        started = self.services.monotonic()
        if handler_input.request_envelope.session is None:
            return  # an event outside any conversation: no turn to set up
        state = _session_state(handler_input.attributes_manager.session_attributes)
        if state.question is not None and not askable(state.question, self.answers, self.services.catalog,
                                                           self.needs):
            log.warning("session attribute 'question' dropped: not a question this version asks, or about what it "
                        "does not know")
            state.question = None
        record = _from_session(state)
        envelope, failed, inherited = handler_input.request_envelope, False, False
        speaking = _speaking(envelope)
        if record is not None and state.runner != (speaking or ACCOUNT):
            log.info("a turn in another voice, or with none recognised, kept to the record the session began with")
        if record is None:
            state.runner = speaking or ACCOUNT
            try:
                data, inherited = _stored(self.services.store, envelope, speaking)
                data.pop(SAVE_TOKEN, None)
                generation = data.pop(GENERATION, None)
                record = RunnerRecord.from_dict(data)
            except Exception:
                log.exception("could not read the runner's record; carrying on with defaults")
                failed, data, record, generation = True, {}, RunnerRecord(), None
                state.unread = True
                state.retry_at = (self.services.clock() + STORE_BACKOFF).isoformat()
            if inherited:
                # Nothing is stored for this voice yet: the first save writes all of it, merged (should another
                # device of theirs save first) against what was copied, so that nothing is counted twice.
                record = replace(record, version=0)
                state.saved, base = _empty()[0], record.summary(data)
                generation = None
            elif data:
                # Fingerprints of the data as read; a record stored by an older schema is written back once.
                state.saved, base = fingerprint(data), record.summary(data)
            else:
                state.saved, base = _empty()
            state.base = {**base, GENERATION: generation}
        record = _coachable(record, self.services.catalog)
        record = decide(state, record, handler_input.request_envelope, self.services.settings,
                        get_locale(handler_input))
        turn = Turn(handler_input, self.services, record, state, self.answers, started).attach()
        if failed:
            turn.store_failed = True
            turn.notice_once(TROUBLE)
        if inherited:
            turn.notice_once(OWN_RECORD)


def _speaking(envelope: RequestEnvelope) -> str | None:
    """The voice Alexa recognised in this request, if any (a request naming no user has none: the store refuses it)."""
    try:
        return person_id(envelope)
    except ValueError:
        return None


def _stored(store: RunnerStore, envelope: RequestEnvelope, person: str | None) -> tuple[dict, bool]:
    """The runner's stored data, and whether it is the account's instead: for a voice with nothing of its own stored
    that was never listed on the account (a voice that said "forget my data" stays listed, and starts afresh)."""
    data = store.get_attributes(as_runner(envelope, person))
    if data or person is None or person in store.household(envelope):
        return data, False
    shared = store.get_attributes(as_runner(envelope, None))
    return shared, bool(shared)


def save_record(store: RunnerStore, envelope: RequestEnvelope, record: RunnerRecord, base: dict,
                attempts: int | None = None, data: dict | None = None, *, deadline: float | None = None,
                token: str | None = None, unconfirmed: Sequence[str] = (), persist: bool = False,
                monotonic: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
                ) -> tuple[dict, dict]:
    """Save with optimistic locking: on a conflict re-read, merge this turn's changes in, and retry after a
    jittered wait, until `deadline` (on the `monotonic` clock; a turn's budget by default) or `attempts`.

    The write carries `token`; `unconfirmed` are the tokens of earlier saves that failed without saying whether
    they landed. Finding one of them stored means that write landed: it is ours, not another device's.
    Returns the record's data as stored (with its new version) and its summary, the base for the next save.
    `data` is record.to_dict() when the caller has it already. `persist`: the store's own errors are retried
    too, until the deadline (the session's last turn has no later turn to save at). Raises VersionConflict when
    out of time, Forgotten when the record was deleted (or deleted and written afresh: the generation in `base`
    is not the stored one) since it was read, and the store's own errors."""
    deadline = monotonic() + SAVE_BUDGET_S if deadline is None else deadline
    token = token or uuid.uuid4().hex
    # The generation read, or a new one for a record written for the first time; None when neither is known (a
    # record stored before generations, or a caller that does not say).
    generation = base.get(GENERATION)
    writing = generation or (uuid.uuid4().hex if record.version == 0 else None)
    data = data or record.to_dict()
    tries = 0
    while True:
        tries += 1
        try:
            # The same token on every attempt: finding it stored after a failed attempt means that one landed.
            extra = {SAVE_TOKEN: token, GENERATION: writing} if writing else {SAVE_TOKEN: token}
            store.save_attributes(envelope, {**data, **extra})
            return _saved(record, data, record.version + 1, writing)
        except VersionConflict:
            stored = store.get_attributes(envelope)
            if not stored and record.version > 0:
                raise Forgotten("the record was deleted since it was read") from None
            landed, stored_generation = stored.pop(SAVE_TOKEN, None), stored.pop(GENERATION, None)
            theirs = RunnerRecord.from_dict(stored)
            if landed == token:  # this very write landed; the store's reply was lost
                return _saved(record, data, theirs.version, writing)
            if generation and stored_generation and stored_generation != generation:
                raise Forgotten("the record was deleted and written afresh since it was read") from None
            if stored_generation:
                writing = generation = stored_generation
            if landed in unconfirmed:  # an earlier write of ours landed: what is stored is our own older state
                record = replace(record, version=theirs.version)
            else:
                record, base = merge(base, record, theirs), {**theirs.summary(), GENERATION: generation}
            data = record.to_dict()
        except Exception:
            if not persist or monotonic() + CONFLICT_BACKOFF_S[1] > deadline:
                raise
            log.warning("a save failed; trying again within the turn", exc_info=True)
        wait = random.uniform(0, min(CONFLICT_BACKOFF_S[1], CONFLICT_BACKOFF_S[0] * 2 ** tries))
        if (attempts is not None and tries >= attempts) or monotonic() + wait > deadline:
            raise VersionConflict(f"still conflicting after {tries} attempts")
        sleep(wait)


def _saved(record: RunnerRecord, data: dict, version: int, generation: str | None) -> tuple[dict, dict]:
    saved = replace(record, version=version)
    saved_data = {**data, "version": version}
    return saved_data, {**saved.summary(saved_data), GENERATION: generation}


def ends_session(handler_input: HandlerInput, response: Response | None) -> bool:
    """Whether this is the session's last turn: the reply does not keep it open, or Alexa ended it."""
    request = handler_input.request_envelope.request
    return response is None or response.should_end_session is not False \
        or getattr(request, "object_type", None) == "SessionEndedRequest"


def settle(turn: Turn, *, last: bool = True) -> bool:
    """Save the turn's record now if it changed; whether what the runner has done is stored. `last`: the session
    ends with this turn, so the store is tried even within a back-off. Settling the same record twice in a turn
    tries the store once."""
    state = turn.state
    data = turn.record.to_dict()
    if turn.settled and turn.settled[0] == fingerprint(data):
        return turn.settled[1]  # this very record was settled this turn: the session holds it as stored
    state.record = data
    if turn.forgotten or state.saved == fingerprint(data):
        return True
    if not last and (turn.store_failed or backing_off(state, turn.now())):
        return False  # within the back-off: do not make the runner wait again; a later turn saves
    ok = _save(turn, data, last)
    turn.settled = (fingerprint(data), ok)
    return ok


def backing_off(state: SessionState, now: datetime) -> bool:
    """Whether the store is not to be tried yet, after a failure. A back-off ending further ahead than this version
    ever sets one was not set by it (another version, or a clock that jumped): it is over."""
    if state.retry_at is None:
        return False
    return now < datetime.fromisoformat(state.retry_at) <= now + STORE_BACKOFF


def save_now(turn: Turn) -> bool:
    """Save now, before telling the runner their progress is saved; whether it is. When it is not, the caller
    says so in its own words, and the response is left as it is."""
    saved = settle(turn)
    if not saved:
        turn.told_unsaved = True
    return saved


def _save(turn: Turn, data: dict, last: bool) -> bool:
    state, services = turn.state, turn.services
    token = uuid.uuid4().hex
    try:
        # Never overwrite what is stored with a record built from defaults: merge it in first.
        base = _empty()[1] if state.unread else state.base
        data, base = save_record(services.store, turn.runner_request(), turn.record, base or _empty()[1],
                                 data=data, deadline=turn.started + SAVE_BUDGET_S, token=token,
                                 unconfirmed=state.unconfirmed, persist=last, monotonic=services.monotonic,
                                 sleep=services.sleep)
    except Forgotten:
        log.info("the runner's record was deleted elsewhere during this session: starting afresh")
        turn.record = RunnerRecord()
        state.saved, base = _empty()
        state.base = {**base, GENERATION: None}
        state.record = turn.record.to_dict()
        state.unread, state.retry_at, state.unconfirmed = False, None, []
        turn.notice_once(FORGOTTEN)
        return False
    except Exception:
        log.exception("could not save the runner's record; will retry at a later change")
        # The write may have landed with its reply lost: remember it, so reading it back is not a conflict.
        state.unconfirmed = [*state.unconfirmed, token][-MAX_UNCONFIRMED:]
        state.retry_at = (turn.now() + STORE_BACKOFF).isoformat()
        turn.notice_once(UNSAVED)
        return False
    state.unread, state.retry_at, state.unconfirmed = False, None, []
    state.record, state.base, state.saved = data, base, fingerprint(data)
    return True


class SaveRecord(AbstractResponseInterceptor):
    """Writes the record back to the session, and to the store when it changed since the last save. The turn
    that ends the session always tries; if that save fails, the runner hears so instead of what was said."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        if turn is None:
            return
        last = ends_session(handler_input, response)
        if settle(turn, last=last) or not last or turn.told_unsaved:
            return
        if response is not None and response.output_speech is not None:
            forgotten = turn.state.notices.get(FORGOTTEN) is False
            line = turn.line("storage.forgotten") if forgotten else turn.line("stop.unsaved")
            response.output_speech = SsmlOutputSpeech(ssml=Ssml().say(line).to_ssml())


class WriteSession(AbstractResponseInterceptor):
    """Sends the session's state back with the response, once, after everything else has changed it."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        if turn is not None:
            write_session(turn)


def write_session(turn: Turn) -> None:
    """The session's state into the response's session attributes (also after a failed turn: the exception
    handler calls this, since response interceptors do not run then)."""
    turn.input.attributes_manager.session_attributes = turn.state.to_attributes()


def forget_runner(turn: Turn, household: bool = False) -> bool:
    """Delete this runner's record (with `household`, the account's and every recognised voice's on it), and make
    sure this session does not write it back. False if the store could not do it."""
    try:
        if household:
            turn.services.store.forget_account(turn.input.request_envelope)
        else:
            turn.services.store.delete_attributes(turn.runner_request())
    except Exception:
        log.exception("could not delete the runner's record")
        return False
    turn.record = RunnerRecord()
    turn.forgotten = True
    turn.state.base = turn.state.saved = None
    return True
