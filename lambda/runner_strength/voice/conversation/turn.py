"""One turn of the conversation: the runner's record, the session's state, the voice, the clock and the pending
question, and the one way a reply is sent.

record_io's request interceptor makes a Turn for every request (reading the store once per session) and its
response interceptors write the record and the session back. Handlers read and change `turn.record` and call
`turn.reply`; what the reply said is kept in `turn.said` for whoever adds to the response after the handler
(the screens, outside the kernel).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_locale, is_request_type
from ask_sdk_model import RequestEnvelope, Response
from ask_sdk_model.ui import SimpleCard

from ...speech.phrases import Voice, best_locale, load_locale
from ...speech.ssml import Ssml
from ...storage.contract import RunnerStore, as_runner
from ...training.catalog import Catalog
from ...training.cursor import Cursor
from ...training.days import UTC_ZONE, local_day
from ...training.record import Preferences, RunnerRecord
from .device_settings import Lookup, SettingsApi
from .session import ACCOUNT, SessionState

_TURN = "turn"


@dataclass(frozen=True)
class Services:
    """What the handlers need from outside, injected when the skill is built: the catalog, the store, the wall
    clock, seeds for every random choice, the timer and sleep the store's retries are paced by, and the device's
    settings (its time zone: device_settings.py)."""

    catalog: Catalog
    store: RunnerStore
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    seed: Callable[[], int] = lambda: random.SystemRandom().randrange(2**32)
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    settings: Lookup = field(default_factory=SettingsApi)


@dataclass(frozen=True)
class Said:
    """What a turn's reply said: its speech (with its timeline), or the SSML of a response said again."""

    ssml: Ssml | None
    end: bool
    replayed: str | None = None
    replayed_block: bool = False


class Turn:
    def __init__(self, handler_input: HandlerInput, services: Services, record: RunnerRecord, state: SessionState,
                 answers: Mapping[str, frozenset[str]], started: float) -> None:
        self.input = handler_input
        self.services = services
        self.catalog = services.catalog
        self.answers = answers  # by registered question: the intents that answer it
        self.state = state
        self.record = record
        self.started = started  # services.monotonic() as the turn began: the store's retries keep to a budget
        self.forgotten = False  # set when the runner's data was deleted this turn: nothing to save
        self.finished_workout: Cursor | None = None  # the workout finished this turn, for its summary screen
        # The question being answered this turn, taken off the session by the answer handler.
        self.answering: dict[str, Any] | None = None
        self.said: Said | None = None
        # Where this request cut into the delivery still playing (interruption.CutIn), or None.
        self.cut: dict[str, Any] | None = None
        # This turn said a workout's last response: it is closed once heard out, not now (replies.wrap_up).
        self.closes_later = False
        # The store this turn (record_io.py): it failed already; the record as settled (its fingerprint, and
        # whether it is stored); the handler has told the runner their progress could not be saved.
        self.store_failed = False
        self.settled: tuple[str, bool] | None = None
        self.told_unsaved = False
        # The size of the response as Alexa will receive it (sent.py), once measured.
        self.sent_bytes: int | None = None
        locale = best_locale(get_locale(handler_input))
        self.voice = Voice(load_locale(locale), random.Random(services.seed()), state.recent)

    def attach(self) -> Turn:
        self.input.attributes_manager.request_attributes[_TURN] = self
        return self

    @classmethod
    def of(cls, handler_input: HandlerInput) -> Turn:
        return handler_input.attributes_manager.request_attributes[_TURN]

    @classmethod
    def maybe(cls, handler_input: HandlerInput) -> Turn | None:
        return handler_input.attributes_manager.request_attributes.get(_TURN)

    # State ------------------------------------------------------------------------------------------------

    @property
    def person(self) -> str | None:
        """The personId of the household member whose record this session carries; None for the account's own."""
        runner = self.state.runner
        return None if runner in (None, ACCOUNT) else runner

    def runner_request(self) -> RequestEnvelope:
        """This request as addressed to the session's runner, whoever spoke it: what the store reads, saves and
        deletes by."""
        return as_runner(self.input.request_envelope, self.person)

    @property
    def workout(self) -> Cursor | None:
        return self.record.workout

    @property
    def summary_heard(self) -> bool:
        """Whether the runner has heard how the workout went: its last response said it (replies.wrap_up), and no
        request cut that response short."""
        return self.record.workout_id is not None and self.state.summed_up == self.record.workout_id

    @property
    def in_workout(self) -> bool:
        """A workout is under way: begun, and not over (its last response heard, it waits only to be closed)."""
        return self.workout is not None and self.workout.started and not self.workout.finished

    def set_workout(self, cursor: Cursor | None, workout_id: str | None = None, heard_in: float = 0.0) -> None:
        """The workout moved on; `heard_in`: seconds until the runner will have heard this reply to its end (the
        workout's time of change is then, so a break is measured from when the speaking stopped)."""
        when = self.now() + timedelta(seconds=heard_in)
        self.record = self.record.with_workout(cursor, when.isoformat(), self.day_at(when), workout_id)

    def finish_workout(self, cursor: Cursor) -> None:
        """The workout is over: its history entry is final and the place is cleared."""
        self.set_workout(cursor)
        self.finished_workout = cursor
        self.record = self.record.finished()

    def update_preferences(self, **changes: object) -> Preferences:
        """Change what is remembered about the runner; "undo that" puts back what these fields were."""
        before = self.record.preferences.to_dict()
        self.state.undo = {name: before[name] for name in changes}
        prefs = replace(self.record.preferences, **changes)
        self.record = replace(self.record, preferences=prefs)
        return prefs

    def undo_preferences(self) -> tuple[str, ...]:
        """Put back the fields the last change touched; the names of those fields (none if nothing to undo)."""
        undo, self.state.undo = self.state.undo, None
        if not undo:
            return ()
        prefs = Preferences.from_dict({**self.record.preferences.to_dict(), **undo})
        self.record = replace(self.record, preferences=prefs)
        return tuple(undo)

    @property
    def today(self) -> str:
        """The runner's date now (ISO): every day the skill talks about is counted from this one."""
        return self.day_at(self.now())

    def day_at(self, moment: datetime) -> str:
        """The runner's date at `moment`: the date on their clock, in the zone this session decided
        (device_settings.decide)."""
        return local_day(moment, self.state.time_zone or UTC_ZONE)

    def now(self) -> datetime:
        return self.services.clock()

    @property
    def question(self) -> dict[str, Any] | None:
        """The question left pending by the last reply: name, about, and its prompt and reprompt."""
        return self.state.question

    @property
    def pending(self) -> str | None:
        return self.question["name"] if self.question else None

    @property
    def about(self) -> dict[str, Any]:
        """What the question being answered (or else the pending one) is about."""
        asked = self.answering or self.question
        return (asked or {}).get("about") or {}

    def line(self, key: str, **params: object) -> str:
        return self.voice.line(key, **params)

    def notice_once(self, key: str) -> None:
        """Say this line at the start of the next reply, once a session however often it comes up."""
        self.state.notices.setdefault(key, False)

    # Replies ----------------------------------------------------------------------------------------------

    def reply(self, speech: Ssml | str, prompt: str | None = None, reprompt: str | None = None, *,
              ask: str | None = None, about: dict | None = None, end: bool = False,
              card: tuple[str, str] | None = None) -> Response:
        """Speak, then either hand the turn back (a prompt, and a reprompt that defaults to it) or end.

        `ask` names the registered question a yes or no will answer (any question pending before is
        dropped unless asked again) and `about` what it concerns.
        """
        if ask is not None and ask not in self.answers:
            raise KeyError(f"question {ask!r} is not registered by any area")
        ssml = self._with_notices(Ssml.of(speech))
        if prompt:
            ssml.say(prompt)
        builder = self.input.response_builder.speak(ssml.to_ssml())
        reprompt = reprompt or prompt
        self.state.question = {"name": ask, "about": about, "prompt": prompt, "reprompt": reprompt} if ask else None
        if end:
            builder.set_should_end_session(True)
        else:
            builder.ask(Ssml().say(reprompt or self.line("reprompt.any")).to_ssml())
        if card:
            builder.set_card(SimpleCard(title=card[0], content=card[1]))
        self.said = Said(ssml, end)
        return builder.response

    def opening(self, lead: Ssml | str = "") -> Ssml:
        """What a reply says first: the lines said once a session (storage trouble), then `lead`. A reply whose
        timeline matters (a delivery) starts from this, so that its marks are where the runner hears them."""
        return self._with_notices(Ssml.of(lead))

    def _with_notices(self, ssml: Ssml) -> Ssml:
        """Lines to say once a session (storage trouble) go first, however often the store fails."""
        unsaid = [key for key, said in self.state.notices.items() if not said]
        if not unsaid:
            return ssml
        lead = Ssml()
        for key in unsaid:
            lead.say(self.line(key))
            self.state.notices[key] = True
        return lead.extend(ssml)


def intent_of(handler_input: HandlerInput) -> str | None:
    if not is_request_type("IntentRequest")(handler_input):
        return None
    return get_intent_name(handler_input)


class IntentHandler(AbstractRequestHandler):
    """A handler for the intents its subclass names, unless the pending question takes that intent as an
    answer (then questions.AnswerPending has it): which handler gets a request never depends on the order
    handlers were registered in."""

    intents: tuple[str, ...] = ()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        intent = intent_of(handler_input)
        if intent is None or intent not in self.intents:
            return False
        turn = Turn.maybe(handler_input)
        answers = turn.answers.get(turn.pending or "", frozenset()) if turn else frozenset()
        return intent not in answers
