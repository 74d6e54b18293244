"""The AWS Lambda entry. Configuration is read and the skill built during init, and one warm-up turn runs
through a throwaway skill on an in-memory store, so the first runner's turn does not pay for the SDK's lazy
imports and first-use work. Nothing here touches the network or the runner store."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from ..storage import open_store
from ..storage.contract import DeletionFailed
from ..storage.memory import MemoryStore
from ..voice.skill import build_skill
from .config import Config, ConfigError
from .envelope import NotAlexa, read_envelope

log = logging.getLogger(__name__)

# Lambda's only writable place; a real deployment sets SKILL_STORE to its DynamoDB table.
LAMBDA_DEFAULT_STORE = "sqlite:/tmp/runner-strength.sqlite3"
_skill: CustomSkill | None = None


def skill() -> CustomSkill:
    global _skill
    if _skill is None:
        config = Config.from_env(default_store=LAMBDA_DEFAULT_STORE)
        _skill = build_skill(open_store(config.store), skill_id=config.skill_id)
    return _skill


def handle(event: Any, context: Any) -> dict[str, Any]:
    """Answer one Alexa request. Anything else is refused by raising, so that Lambda reports an error rather than
    the skill answering it: an event that is not an Alexa request for this skill raises NotAlexa, and every event
    raises ConfigError while SKILL_ID is unset (whether the function's trigger names a skill, the code cannot
    tell).
    """
    current = skill()
    if current.skill_id is None:
        log.error("refused: SKILL_ID is not set, so no request can be checked as this skill's")
        raise ConfigError("set SKILL_ID: the Lambda entry answers only requests for its own skill")
    try:
        envelope = read_envelope(current, event)
    except NotAlexa as err:
        log.warning("refused: %s", err)  # the reason only: the event can carry a userId and a token
        raise
    try:
        response = current.invoke(request_envelope=envelope, context=context)
    except DeletionFailed:
        # A Lambda error, not a normal return, so that Alexa delivers the event again; the handler logged why.
        log.error("a deletion Alexa asked for failed; raising so that it is redelivered")
        raise
    return current.serializer.serialize(response)


def warm_up() -> None:
    """Run one launch and one circuit request through a throwaway skill; never raises."""
    try:
        skill()
        scratch = build_skill(MemoryStore())
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        system = {"application": {"applicationId": "warm-up"}, "user": {"userId": "warm-up"}}
        for request in ({"type": "LaunchRequest"},
                        {"type": "IntentRequest", "intent": {"name": "BuildCircuitIntent", "slots": {}}}):
            event = {"version": "1.0", "context": {"System": system},
                     "session": {"new": True, "sessionId": "warm-up", "application": system["application"],
                                 "user": system["user"], "attributes": {}},
                     "request": {"requestId": "warm-up", "timestamp": stamp, "locale": "en-US", **request}}
            envelope = scratch.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
            scratch.serializer.serialize(scratch.invoke(request_envelope=envelope, context=None))
    except Exception:
        log.exception("warm-up failed; the first turn will do the work instead")
