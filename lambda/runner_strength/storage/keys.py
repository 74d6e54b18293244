"""Whose record a request is about: the recognised household member if there is one, else the account."""

from __future__ import annotations

from ask_sdk_model import RequestEnvelope


def _system(request_envelope: RequestEnvelope):
    system = request_envelope.context.system if request_envelope.context else None
    if system is None or system.user is None or not system.user.user_id:
        raise ValueError("the request names no user")
    return system


def account_key(request_envelope: RequestEnvelope) -> str:
    return f"user:{_system(request_envelope).user.user_id}"


def person_id(request_envelope: RequestEnvelope) -> str | None:
    person = getattr(_system(request_envelope), "person", None)
    return person.person_id if person is not None and person.person_id else None


def runner_key(request_envelope: RequestEnvelope) -> str:
    """A recognised voice has its own record; household members are listed on the account's item so that
    disabling the skill can delete them all."""
    person = person_id(request_envelope)
    return f"person:{person}" if person else account_key(request_envelope)
