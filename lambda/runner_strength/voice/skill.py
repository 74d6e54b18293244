"""Assembles the skill: each area's handlers and questions, the kernel's interceptors that load and save the
runner's record once and keep the last response, the screens' interceptors at the edges, and the exception
handler as the last word.

Routing is stated here and does not depend on the order handlers are registered in: every intent belongs to
exactly one handler (the assembly refuses two), except that the pending question's registered answers take
their intents first (questions.AnswerPending; every IntentHandler declines them). Intents no handler knows
are treated as not understood; request types nobody claims get an empty answer. The store is injected.

Around the handlers, in this order:
- before: the record and the session's state are loaded into the Turn (record_io.LoadRecord), a tap on a screen
  becomes the intent its words make (screens.touch.TapAsIntent), so every handler sees a spoken intent, and the
  request is placed on the timeline of the delivery it cut into (interruption.CutIn: `Turn.cut`);
- after: a workout whose last response was heard out is closed (interruption.CloseFinished), the record is saved
  (record_io.SaveRecord), the response kept for "repeat" (replies.KeepLast), the
  session's state written (record_io.WriteSession), the response measured as it will be sent
  (sent.MeasureResponse), the screen added for what the turn said when it fits (screens.ShowScreen) and the size
  checked (sent.CheckSize).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from ..storage.contract import RunnerStore
from ..training.catalog import load_catalog
from .areas import adjust, exercise, guide, help_exit, pain, preferences, privacy, progress, progression, running, start
from .conversation.interruption import CloseFinished, CutIn
from .conversation.questions import AnswerPending, Question, answer_intents, answer_needs, registry
from .conversation.record_io import LoadRecord, SaveRecord, WriteSession
from .conversation.replies import KeepLast
from .conversation.sent import MAX_RESPONSE_BYTES, CheckSize, MeasureResponse
from .conversation.turn import IntentHandler, Services
from .screens import ShowScreen
from .screens.touch import TapAsIntent, UnknownTap

__all__ = ["MAX_RESPONSE_BYTES", "Services", "build_skill", "questions", "routes"]

AREAS = (start, guide, adjust, exercise, pain, preferences, progress, progression, running, privacy, help_exit)
# Request types with a handler of their own; anything else gets an empty answer.
CLAIMED_REQUESTS = ("LaunchRequest", "IntentRequest", "SessionEndedRequest", "AlexaSkillEvent.SkillDisabled",
                    "Alexa.Presentation.APL.UserEvent")


def routes(store: RunnerStore) -> list[AbstractRequestHandler]:
    """Every request handler: the pending question's answers, each area's handlers, then the catch-alls."""
    handlers: list[AbstractRequestHandler] = [AnswerPending(questions())]
    for area in AREAS:
        handlers += area.handlers(store) if area is privacy else area.HANDLERS
    owners = Counter(i for h in handlers if isinstance(h, IntentHandler) for i in h.intents)
    doubled = sorted(i for i, n in owners.items() if n > 1)
    if doubled:
        raise ValueError(f"intents claimed by more than one handler: {', '.join(doubled)}")
    return [*handlers, help_exit.UnknownIntent(owners), UnknownTap(), help_exit.OtherRequest(CLAIMED_REQUESTS)]


def questions() -> dict[str, Question]:
    """Every question the areas ask, by name, with the answers they registered."""
    return registry(q for area in AREAS for q in area.QUESTIONS)


def build_skill(store: RunnerStore, services: Services | None = None,
                skill_id: str | None = None) -> CustomSkill:
    """The skill on `store`; `services` (catalog, clock, seeds) default to the real ones."""
    services = replace(services, store=store) if services else Services(catalog=load_catalog(), store=store)
    builder = CustomSkillBuilder()
    builder.skill_id = skill_id
    for handler in routes(store):
        builder.add_request_handler(handler)
    asked = questions()
    builder.add_global_request_interceptor(LoadRecord(services, answer_intents(asked), answer_needs(asked)))
    builder.add_global_request_interceptor(TapAsIntent())
    builder.add_global_request_interceptor(CutIn())
    for interceptor in (CloseFinished(), SaveRecord(), KeepLast(), WriteSession(), MeasureResponse(), ShowScreen(),
                        CheckSize()):
        builder.add_global_response_interceptor(interceptor)
    builder.add_exception_handler(help_exit.Apologise())
    return builder.create()
