"""The runner's data: "forget my data" by voice, and deletion when the skill is disabled.

"Forget my data" said in a session that carries a recognised household member's record deletes theirs alone, and
says the account's shared record (the one used when no voice is recognised, which others use too) stays. Said in the
account's session, it deletes everything, household members included (PRODUCT.md: nothing is lost, and "forget my
data" deletes everything), as disabling the skill does; the question says so when the account has voices."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from ...storage.contract import DeletionFailed, RunnerStore
from ..conversation.questions import NO, YES, Question
from ..conversation.record_io import forget_runner
from ..conversation.replies import after_aside
from ..conversation.turn import IntentHandler, Turn

log = logging.getLogger(__name__)
FORGET = "forget"  # delete everything about this runner?


class ForgetMe(IntentHandler):
    intents = ("ForgetMeIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        confirm = turn.line("forget.confirm_person" if turn.person else
                            "forget.confirm_household" if voices(turn) else "forget.confirm")
        return turn.reply(confirm, reprompt=turn.line("forget.reprompt"), ask=FORGET)


def voices(turn: Turn) -> bool:
    """Whether the account has voices with records of their own (False when the store cannot say)."""
    try:
        return bool(turn.services.store.household(turn.input.request_envelope))
    except Exception:
        log.warning("could not list the account's voices")
        return False


def forget(turn: Turn) -> Response:
    person = turn.person
    if not forget_runner(turn, household=person is None):
        return after_aside(turn, turn.line("forget.failed"))
    return turn.reply(turn.line("forget.done_person" if person else "forget.done"), end=True)


def keep(turn: Turn) -> Response:
    return after_aside(turn, turn.line("forget.kept"))


def persistence_status(request: object) -> str | None:
    """userInformationPersistenceStatus; ask-sdk-model leaves this event's body as a plain dict."""
    body = getattr(request, "body", None)
    if isinstance(body, dict):
        return body.get("userInformationPersistenceStatus")
    status = getattr(body, "user_information_persistence_status", None)
    return str(getattr(status, "value", status)) if status else None


class SkillDisabled(AbstractRequestHandler):
    """Amazon says the runner disabled the skill; unless their data is to be kept, delete all of it,
    household members included. A failed deletion raises DeletionFailed, which the exception handler leaves
    alone, so the request fails (HTTP 5xx, a Lambda error) and Alexa delivers the event again."""

    def __init__(self, store: RunnerStore) -> None:
        self.store = store

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        if persistence_status(handler_input.request_envelope.request) == "NOT_PERSISTED":
            try:
                self.store.forget_account(handler_input.request_envelope)
            except Exception as err:
                log.error("skill disabled: deleting the account's data failed, to be redelivered: %s", err)
                raise DeletionFailed("deleting a disabled account's data failed") from err
            log.info("skill disabled: the account's data was deleted")
        else:
            log.info("skill disabled: the runner's data is kept")
        return handler_input.response_builder.response


def handlers(store: RunnerStore) -> tuple[AbstractRequestHandler, ...]:
    return ForgetMe(), SkillDisabled(store)


QUESTIONS = (Question(FORGET, {YES: forget, NO: keep}),)
