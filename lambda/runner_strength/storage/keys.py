"""Whose record a request is about: the recognised household member if there is one, else the account."""

from __future__ import annotations

from ask_sdk_model import RequestEnvelope


def runner_key(request_envelope: RequestEnvelope) -> str:
    system = request_envelope.context.system if request_envelope.context else None
    if system is None:
        raise ValueError("the request carries no context.System, so it names no runner")
    person = getattr(system, "person", None)
    if person is not None and person.person_id:
        return f"person:{person.person_id}"
    if system.user is None or not system.user.user_id:
        raise ValueError("the request names no user")
    return f"user:{system.user.user_id}"
