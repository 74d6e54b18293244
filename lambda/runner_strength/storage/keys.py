"""Whose record a request is about: the recognised household member if there is one, else the account.

A member's key names the account too (`person:<userId>:<personId>`): a personId is only ever read within the
account it came with, so no request of one account reaches another account's records, whatever personId it names."""

from __future__ import annotations

import copy
from collections.abc import Iterable

from ask_sdk_model import RequestEnvelope
from ask_sdk_model.person import Person


def _system(request_envelope: RequestEnvelope):
    system = request_envelope.context.system if request_envelope.context else None
    if system is None or system.user is None or not system.user.user_id:
        raise ValueError("the request names no user")
    return system


def account_key(request_envelope: RequestEnvelope) -> str:
    return f"user:{_system(request_envelope).user.user_id}"


def person_id(request_envelope: RequestEnvelope) -> str | None:
    """The personId of the voice Alexa recognised in this request (Skill Personalization), or None."""
    person = getattr(_system(request_envelope), "person", None)
    return person.person_id if person is not None and person.person_id else None


def member_key(request_envelope: RequestEnvelope, person: str) -> str:
    return f"person:{_system(request_envelope).user.user_id}:{person}"


def runner_key(request_envelope: RequestEnvelope) -> str:
    """A recognised voice has its own record; household members are listed on the account's item so that
    disabling the skill can delete them all."""
    person = person_id(request_envelope)
    return member_key(request_envelope, person) if person else account_key(request_envelope)


def household_keys(request_envelope: RequestEnvelope, members: Iterable[str]) -> list[str]:
    """The keys of the listed household members' records, for deleting them with the account's. With each, the key a
    member had before keys named the account (`person:<personId>`): none was written as shipped, since Alexa sent no
    personId without the manifest's permission, but a skill given it in the console could have written some."""
    return [key for person in members for key in (member_key(request_envelope, person), f"person:{person}")]


def as_runner(request_envelope: RequestEnvelope, person: str | None) -> RequestEnvelope:
    """The request as if `person` were the voice recognised (None: no voice, the account's own record), for reading
    and writing the record of a runner other than the one this request names. The request itself is not changed."""
    system = copy.copy(_system(request_envelope))
    system.person = Person(person_id=person) if person else None
    context = copy.copy(request_envelope.context)
    context.system = system
    runner = copy.copy(request_envelope)
    runner.context = context
    return runner
