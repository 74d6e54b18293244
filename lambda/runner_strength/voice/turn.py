"""One turn of the conversation: the runner's record, the voice, and how a reply is sent.

The request interceptor makes a Turn for every request (reading the store once per session); the response
interceptor writes the record back to the session and to the store when it changed. Handlers only read and
change `turn.record` and call `turn.reply`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_locale
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from ..speech.phrases import Voice, best_locale, load_locale
from ..speech.ssml import Ssml, plain_text
from ..training.catalog import Catalog
from ..training.cursor import Cursor
from ..training.record import RunnerRecord

log = logging.getLogger(__name__)

# Session attribute names.
RECORD = "record"
SAVED = "saved"
RECENT = "recent_lines"
PENDING = "pending"
LAST = "last"
STORAGE_TROUBLE = "storage_trouble"

# What a yes or no answers.
ASKED_START = "start"
ASKED_RESUME = "resume"
ASKED_REDO = "redo"

LAST_BLOCK = "block"
_TURN = "turn"


@dataclass(frozen=True)
class Services:
    """What the handlers need from outside, injected when the skill is built."""

    catalog: Catalog
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    seed: Callable[[], int] = lambda: random.SystemRandom().randrange(2**32)


def fingerprint(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


class Turn:
    def __init__(self, handler_input: HandlerInput, services: Services) -> None:
        self.input = handler_input
        self.services = services
        self.catalog = services.catalog
        self.session = handler_input.attributes_manager.session_attributes
        self.record = RunnerRecord.from_dict(self.session.get(RECORD))
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

    def set_workout(self, cursor: Cursor | None) -> None:
        self.record = self.record.with_workout(cursor, self.now().isoformat())

    def now(self) -> datetime:
        return self.services.clock()

    @property
    def pending(self) -> str | None:
        return self.session.get(PENDING)

    def line(self, key: str, **params: object) -> str:
        return self.voice.line(key, **params)

    # Replies ----------------------------------------------------------------------------------------------

    def reply(self, speech: Ssml | str, prompt: str | None = None, reprompt: str | None = None, *,
              ask: str | None = None, end: bool = False, card: tuple[str, str] | None = None,
              block: bool = False) -> Response:
        """Speak, then either hand the turn back (a prompt, and a reprompt that defaults to it) or end.

        `ask` records what a yes or no will answer; `block` marks a workout block, which "repeat" redoes
        from the cursor instead of replaying stored speech.
        """
        ssml = speech if isinstance(speech, Ssml) else Ssml().say(speech)
        if self.session.get(STORAGE_TROUBLE) == "tell":
            # Said once a session, however often the store fails.
            ssml = Ssml().say(self.line("storage.trouble")).extend(ssml)
            self.session[STORAGE_TROUBLE] = "told"
        if prompt:
            ssml.say(prompt)
        builder = self.input.response_builder.speak(ssml.to_ssml())
        self.session[PENDING] = ask
        if end:
            builder.set_should_end_session(True)
        else:
            builder.ask(Ssml().say(reprompt or prompt or self.line("reprompt.any")).to_ssml())
        if card:
            builder.set_card(SimpleCard(title=card[0], content=card[1]))
        if block:
            self.session[LAST] = LAST_BLOCK
        else:
            self.session[LAST] = {"speech": plain_text(ssml.to_ssml()), "reprompt": reprompt or prompt, "ask": ask}
        return builder.response


class LoadRecord(AbstractRequestInterceptor):
    """Reads the runner's record from the store once per session; a storage failure falls back to defaults."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.request_envelope.session is None:
            return  # an event outside any conversation: no turn to set up
        session = handler_input.attributes_manager.session_attributes
        if RECORD not in session:
            try:
                stored = handler_input.attributes_manager.persistent_attributes
                session[RECORD] = RunnerRecord.from_dict(stored).to_dict()
                session[SAVED] = fingerprint(session[RECORD])
            except Exception:
                log.exception("could not read the runner's record; carrying on with defaults")
                session[RECORD] = RunnerRecord().to_dict()
                session[STORAGE_TROUBLE] = "tell"
        handler_input.attributes_manager.request_attributes[_TURN] = Turn(handler_input, self.services)


class SaveRecord(AbstractResponseInterceptor):
    """Writes the record back to the session, and to the store when it changed since the last save."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        if turn is None:
            return
        data = turn.record.to_dict()
        session = handler_input.attributes_manager.session_attributes
        session[RECORD] = data
        if session.get(SAVED) == fingerprint(data):
            return
        try:
            handler_input.attributes_manager.persistent_attributes = data
            handler_input.attributes_manager.save_persistent_attributes()
            session[SAVED] = fingerprint(data)
        except Exception:
            # Kept in the session; the next change retries the save.
            log.exception("could not save the runner's record; will retry at the next change")
            if session.get(STORAGE_TROUBLE) is None:
                session[STORAGE_TROUBLE] = "tell"


def finish_workout(turn: Turn) -> None:
    """The workout is over: remember its picks for variety and clear the place."""
    cursor = turn.workout
    assert cursor is not None
    turn.record = replace(
        turn.record,
        last_picks=cursor.circuit.warmup + cursor.circuit.exercises,
        workouts_finished=turn.record.workouts_finished + 1,
    )
    turn.set_workout(None)
