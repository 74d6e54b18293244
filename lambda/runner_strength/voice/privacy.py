"""The runner's data: "forget my data" by voice, and deletion when the skill is disabled."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from ..training.record import RunnerRecord
from .start import carry_on
from .turn import ASKED_FORGET, BASE, SAVED, IntentHandler, Services, Turn

log = logging.getLogger(__name__)


class ForgetMe(IntentHandler):
    intent = "ForgetMeIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return turn.reply(turn.line("forget.confirm"), reprompt=turn.line("forget.reprompt"), ask=ASKED_FORGET)


def forget(turn: Turn) -> Response:
    """After a yes: delete this runner's record, and make sure this session does not write it back."""
    try:
        turn.services.store.delete_attributes(turn.input.request_envelope)
    except Exception:
        log.exception("could not delete the runner's record")
        return carry_on(turn, turn.line("forget.failed"))
    turn.record = RunnerRecord()
    turn.forgotten = True
    for key in (BASE, SAVED):
        turn.session.pop(key, None)
    return turn.reply(turn.line("forget.done"), end=True)


def persistence_status(request: object) -> str | None:
    """userInformationPersistenceStatus; ask-sdk-model leaves this event's body as a plain dict."""
    body = getattr(request, "body", None)
    if isinstance(body, dict):
        return body.get("userInformationPersistenceStatus")
    status = getattr(body, "user_information_persistence_status", None)
    return str(getattr(status, "value", status)) if status else None


class SkillDisabled(AbstractRequestHandler):
    """Amazon says the runner disabled the skill; unless their data is to be kept, delete all of it,
    household members included."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        if persistence_status(handler_input.request_envelope.request) == "NOT_PERSISTED":
            self.services.store.forget_account(handler_input.request_envelope)
            log.info("skill disabled: the account's data was deleted")
        else:
            log.info("skill disabled: the runner's data is kept")
        return handler_input.response_builder.response
