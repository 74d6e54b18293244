"""One turn of the conversation: the runner's record, the voice, and how a reply is sent.

The request interceptor makes a Turn for every request (reading the store once per session); the response
interceptor writes the record back to the session and to the store when it changed. Handlers only read and
change `turn.record` and call `turn.reply`.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from ask_sdk_core.dispatch_components import (
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale, is_intent_name
from ask_sdk_model import RequestEnvelope, Response
from ask_sdk_model.ui import SimpleCard

from ..speech.phrases import Voice, best_locale, load_locale
from ..speech.ssml import Ssml, plain_text
from ..storage import RunnerStore, VersionConflict
from ..training.catalog import Catalog
from ..training.cursor import Cursor
from ..training.record import RunnerRecord, fingerprint, merge

log = logging.getLogger(__name__)

# Session attribute names.
RECORD = "record"
SAVED = "saved"
BASE = "base"
UNREAD = "unread"
STORE_FAILED = "store_failed"
RETRY_AT = "store_retry_at"
SAVE_ATTEMPTS = 4
# After a storage failure, turns in the next few seconds skip the store (saving at a later boundary),
# so an outage costs the runner one wait, not one per turn.
STORE_BACKOFF = timedelta(seconds=20)
RECENT = "recent_lines"
PENDING = "pending"
ABOUT = "pending_about"
LAST = "last"
STORAGE_TROUBLE = "storage_trouble"

# What a yes or no answers.
ASKED_START = "start"
ASKED_RESUME = "resume"
ASKED_REDO = "redo"
ASKED_FORGET = "forget"
ASKED_PAIN = "pain"  # swap in something gentler (yes) or skip the area (no)?
ASKED_AVOID = "avoid"  # leave this exercise out of future workouts?
ASKED_DROP_KIT = "drop_kit"  # take this equipment off the runner's list?

LAST_BLOCK = "block"
_TURN = "turn"


@dataclass(frozen=True)
class Services:
    """What the handlers need from outside, injected when the skill is built."""

    catalog: Catalog
    store: RunnerStore
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    seed: Callable[[], int] = lambda: random.SystemRandom().randrange(2**32)


class Turn:
    def __init__(self, handler_input: HandlerInput, services: Services) -> None:
        self.input = handler_input
        self.services = services
        self.catalog = services.catalog
        self.session = handler_input.attributes_manager.session_attributes
        self.record = RunnerRecord.from_dict(self.session.get(RECORD))
        self.forgotten = False  # set when the runner's data was deleted this turn: nothing to save
        locale = best_locale(get_locale(handler_input))
        self.voice = Voice(load_locale(locale), random.Random(services.seed()), self.session.setdefault(RECENT, {}))

    @classmethod
    def of(cls, handler_input: HandlerInput) -> Turn:
        return handler_input.attributes_manager.request_attributes[_TURN]

    @classmethod
    def maybe(cls, handler_input: HandlerInput) -> Turn | None:
        return handler_input.attributes_manager.request_attributes.get(_TURN)

    # State ------------------------------------------------------------------------------------------------

    @property
    def workout(self) -> Cursor | None:
        return self.record.workout

    def set_workout(self, cursor: Cursor | None, workout_id: str | None = None) -> None:
        self.record = self.record.with_workout(cursor, self.now().isoformat(), workout_id)

    @property
    def today(self) -> str:
        return self.now().date().isoformat()

    def now(self) -> datetime:
        return self.services.clock()

    @property
    def pending(self) -> str | None:
        return self.session.get(PENDING)

    @property
    def about(self) -> dict:
        return self.session.get(ABOUT) or {}

    def line(self, key: str, **params: object) -> str:
        return self.voice.line(key, **params)

    # Replies ----------------------------------------------------------------------------------------------

    def reply(self, speech: Ssml | str, prompt: str | None = None, reprompt: str | None = None, *,
              ask: str | None = None, about: dict | None = None, end: bool = False,
              card: tuple[str, str] | None = None, block: bool = False) -> Response:
        """Speak, then either hand the turn back (a prompt, and a reprompt that defaults to it) or end.

        `ask` records what a yes or no will answer and `about` what the question concerns; `block` marks a
        workout block, which "repeat" redoes from the cursor instead of replaying stored speech.
        """
        ssml = speech if isinstance(speech, Ssml) else Ssml().say(speech)
        if self.session.get(STORAGE_TROUBLE) == "tell":
            # Said once a session, however often the store fails.
            ssml = Ssml().say(self.line("storage.trouble")).extend(ssml)
            self.session[STORAGE_TROUBLE] = "told"
        if prompt:
            ssml.say(prompt)
        spoken = ssml.to_ssml()
        builder = self.input.response_builder.speak(spoken)
        self.session[PENDING] = ask
        self.session[ABOUT] = about if ask else None
        if end:
            builder.set_should_end_session(True)
        else:
            builder.ask(Ssml().say(reprompt or prompt or self.line("reprompt.any")).to_ssml())
        if card:
            builder.set_card(SimpleCard(title=card[0], content=card[1]))
        if block:
            self.session[LAST] = LAST_BLOCK
        else:
            self.session[LAST] = {"speech": plain_text(spoken), "reprompt": reprompt or prompt, "ask": ask,
                                  "about": self.session[ABOUT]}
        return builder.response


class IntentHandler(AbstractRequestHandler):
    """A handler for the one intent its subclass names."""

    intent = ""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)


class LoadRecord(AbstractRequestInterceptor):
    """Reads the runner's record from the store once per session. If the store cannot be reached the
    workout carries on from defaults and the session, and the stored record is merged in when it can be."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.request_envelope.session is None:
            return  # an event outside any conversation: no turn to set up
        session = handler_input.attributes_manager.session_attributes
        if RECORD not in session:
            record = RunnerRecord()
            try:
                record = RunnerRecord.from_dict(self.services.store.get_attributes(handler_input.request_envelope))
            except Exception:
                log.exception("could not read the runner's record; carrying on with defaults")
                session[STORAGE_TROUBLE] = "tell"
                session[UNREAD] = True
                session[RETRY_AT] = (self.services.clock() + STORE_BACKOFF).isoformat()
                handler_input.attributes_manager.request_attributes[STORE_FAILED] = True
            session[RECORD] = record.to_dict()
            session[BASE] = record.summary()
            session[SAVED] = fingerprint(session[RECORD])
        handler_input.attributes_manager.request_attributes[_TURN] = Turn(handler_input, self.services)


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
        session = handler_input.attributes_manager.session_attributes
        data = turn.record.to_dict()
        session[RECORD] = data
        if turn.forgotten:
            return
        changed = fingerprint(data)
        if session.get(SAVED) == changed:
            return
        if handler_input.attributes_manager.request_attributes.get(STORE_FAILED):
            return  # the store failed once this turn already: do not make the runner wait twice
        if session.get(RETRY_AT, "") > self.services.clock().isoformat():
            return
        try:
            if session.get(UNREAD):
                # Never overwrite what is stored with a record built from defaults: merge it in first.
                session[BASE] = RunnerRecord().summary()
            data, base = save_record(self.services.store, handler_input.request_envelope, turn.record,
                                     session[BASE], data=data)
        except Exception:
            log.exception("could not save the runner's record; will retry at a later change")
            if session.get(STORAGE_TROUBLE) is None:
                session[STORAGE_TROUBLE] = "tell"
            session[RETRY_AT] = (self.services.clock() + STORE_BACKOFF).isoformat()
            return
        session.pop(UNREAD, None)
        session.pop(RETRY_AT, None)
        session[RECORD] = data
        session[BASE] = base
        session[SAVED] = fingerprint(data)


def finish_workout(turn: Turn, cursor: Cursor) -> None:
    """The workout is over: its history entry is final and the place is cleared."""
    turn.set_workout(cursor)
    turn.record = turn.record.finished()
