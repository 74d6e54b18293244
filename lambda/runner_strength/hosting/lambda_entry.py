"""The AWS Lambda entry: the skill is built on the first invocation, never at import time."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from ..storage import open_store
from ..voice.skill import build_skill
from .config import Config

# Lambda's only writable place; a real deployment sets SKILL_STORE to its DynamoDB table.
LAMBDA_DEFAULT_STORE = "sqlite:/tmp/runner-strength.sqlite3"
_skill: CustomSkill | None = None


def skill() -> CustomSkill:
    global _skill
    if _skill is None:
        config = Config.from_env(default_store=LAMBDA_DEFAULT_STORE)
        _skill = build_skill(open_store(config.store), skill_id=config.skill_id)
    return _skill


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    current = skill()
    envelope = current.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    response = current.invoke(request_envelope=envelope, context=context)
    return current.serializer.serialize(response)

