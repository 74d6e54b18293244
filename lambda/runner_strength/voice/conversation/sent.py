"""How big the response Alexa receives is: measured once a turn, on the response as it will be sent.

Alexa refuses a response over 24 KB. What it receives is the envelope the SDK wraps around the handler's response:
its version, the user agent, and the session attributes as record_io.WriteSession left them (the record packed),
as JSON. Lambda's runtime writes that JSON with `json.dumps`' defaults; the web service (Flask) writes it more
compactly, so measuring it as Lambda writes it holds for both.

`MeasureResponse` measures it once, after the session is written (nothing later changes the session), into
`Turn.sent_bytes`; whatever adds to the response after that (a screen) adds its own bytes there (`adding`), so the
size is never estimated from another shape nor measured twice; `CheckSize` reads it last.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.utils import RESPONSE_FORMAT_VERSION
from ask_sdk_model import Response, ResponseEnvelope
from ask_sdk_model.directive import Directive
from ask_sdk_runtime.utils import UserAgentManager

from .turn import Turn

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 24 * 1024  # Alexa's limit on a whole response
# A response this close to the limit is logged, so that growth is seen before anything is refused.
CLOSE_BYTES = 2048
_SERIALIZER = DefaultSerializer()
# What a response's first directive brings besides itself: the key and the list, after the response's other keys.
_FIRST_DIRECTIVE = len(json.dumps({"shouldEndSession": False, "directives": []})) \
    - len(json.dumps({"shouldEndSession": False}))
_NEXT_DIRECTIVE = len(json.dumps([0, 0])) - len(json.dumps([0])) - len(json.dumps(0))  # the separator


def json_bytes(value: Any) -> int:
    """The size of an SDK model object or plain data, as the SDK serialises it and Lambda writes it."""
    return len(json.dumps(value, default=_one_level).encode())


def _one_level(value: Any) -> Any:
    """What the SDK's serializer makes of a value JSON cannot write, one level deep: `json.dumps` goes on into the
    plain data below in C, where the serializer would walk every item of a screen's document in Python."""
    if isinstance(value, Enum | datetime | date | Decimal):
        return _SERIALIZER.serialize(value)
    names = getattr(value, "attribute_map", {})
    return {names.get(attr, attr): getattr(value, attr) for attr in value.deserialized_types
            if getattr(value, attr) is not None}


def response_bytes(handler_input: HandlerInput, response: Response) -> int:
    """The size of the response as Alexa will receive it: the SDK's envelope around `response`, with the session
    attributes as they stand now."""
    session = handler_input.attributes_manager.session_attributes \
        if handler_input.request_envelope.session is not None else None
    return json_bytes(ResponseEnvelope(response=response, version=RESPONSE_FORMAT_VERSION,
                                       session_attributes=session, user_agent=UserAgentManager.get_user_agent()))


def adding(response: Response, directive: Directive) -> int:
    """How much adding `directive` to `response` adds to the response as sent."""
    return json_bytes(directive) + (_NEXT_DIRECTIVE if response.directives else _FIRST_DIRECTIVE)


class MeasureResponse(AbstractResponseInterceptor):
    """Measures the response as it will be sent, once the session is written: `Turn.sent_bytes`."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        if turn is not None and response is not None:
            turn.sent_bytes = response_bytes(handler_input, response)


class CheckSize(AbstractResponseInterceptor):
    """Logs a response Alexa would refuse, or one close to that; the tests make sure none is."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        size = turn.sent_bytes if turn is not None else None
        if size is None:
            return  # an event: no conversation, nothing measured
        if size > MAX_RESPONSE_BYTES:
            log.error("the response is %d bytes, over Alexa's %d", size, MAX_RESPONSE_BYTES)
        elif size > MAX_RESPONSE_BYTES - CLOSE_BYTES:
            log.warning("the response is %d bytes, close to Alexa's %d", size, MAX_RESPONSE_BYTES)
