"""What every genuine Alexa request carries, checked the same way by the web service and the Lambda entry before
the skill sees it: anything else is refused, with a reason for the log that never quotes the request (which
carries the runner's userId and apiAccessToken)."""

from __future__ import annotations

import json

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

_CONVERSATION = ("LaunchRequest", "IntentRequest", "SessionEndedRequest")


class NotAlexa(ValueError):
    """Not a request from Alexa for this skill; the message says why."""


def payload_problem(payload: object) -> str | None:
    """What a parsed body lacks to be read as a request envelope at all (an API Gateway or scheduled event, a
    list, nothing), if anything."""
    if not isinstance(payload, dict) or not isinstance(payload.get("request"), dict) \
            or not isinstance(payload.get("context"), dict):
        return "not an Alexa request envelope"
    return None


def envelope_problem(envelope: RequestEnvelope) -> str | None:
    """What an envelope lacks that every genuine Alexa request of its type carries, if anything."""
    system = envelope.context.system if envelope.context else None
    if envelope.request is None or system is None:
        return "envelope lacks request or context.System"
    if system.application is None or not system.application.application_id:
        return "envelope names no application"
    if system.user is None or not system.user.user_id:
        return "envelope names no user"
    kind = envelope.request.object_type
    session = envelope.session
    if kind in _CONVERSATION and (session is None or not session.session_id):
        return f"{kind} without a session"
    # Alexa names the same skill in both places; a session that names another is not one of this skill's.
    if session is not None and session.application is not None \
            and session.application.application_id != system.application.application_id:
        return "the session and the context name different applications"
    if kind == "IntentRequest" and (envelope.request.intent is None or not envelope.request.intent.name):
        return "IntentRequest without an intent name"
    return None


def read_envelope(skill: CustomSkill, payload: object, text: str | None = None) -> RequestEnvelope:
    """The request envelope in `payload` (parsed JSON; `text` is its JSON, when the caller has it), checked as
    above and, when the skill has an ID, for this skill; NotAlexa saying why not."""
    problem = payload_problem(payload)
    if problem:
        raise NotAlexa(problem)
    try:
        envelope = skill.serializer.deserialize(payload=text or json.dumps(payload), obj_type=RequestEnvelope)
    except Exception as err:  # the SDK raises several types; their messages can quote the envelope
        raise NotAlexa(f"envelope cannot be read ({type(err).__name__})") from None
    problem = envelope_problem(envelope)
    if problem:
        raise NotAlexa(problem)
    if skill.skill_id is not None and envelope.context.system.application.application_id != skill.skill_id:
        raise NotAlexa("a request for another skill")
    return envelope
