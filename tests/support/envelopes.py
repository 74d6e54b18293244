"""Request envelopes shaped like Alexa's, a conversation that carries the session between turns as Alexa
does, and what a reply said. For handler tests and benchmarks that call the skill in-process."""

from __future__ import annotations

import base64
import itertools
import json
import re
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from runner_strength import device
from runner_strength.speech.phrases import load_locale
from runner_strength.speech.ssml import plain_text

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
USER_ID = "amzn1.ask.account.TESTRUNNER"
DEVICE_ID = "amzn1.ask.device.TEST"
# Where requests send the skill for the device's settings, unless told: Alexa's, which in-process tests never ask (their
# skill is given the device's answer: tests/support/skills.py); the benchmarks point it at a stand-in on loopback.
API_ENDPOINT = "https://api.amazonalexa.com"
_ids = itertools.count()


def envelope(request: dict[str, Any], *, session: dict[str, Any] | None = None, new: bool = True,
             user_id: str = USER_ID, locale: str = "en-US", person_id: str | None = None,
             application_id: str = SKILL_ID, device_id: str = DEVICE_ID,
             api_endpoint: str | None = None) -> dict[str, Any]:
    system: dict[str, Any] = {
        "application": {"applicationId": application_id},
        "user": {"userId": user_id},
        "device": {"deviceId": device_id, "supportedInterfaces": {}},
        "apiEndpoint": api_endpoint or API_ENDPOINT,
        "apiAccessToken": "token",
    }
    if person_id:
        system["person"] = {"personId": person_id}
    request = {
        "requestId": f"amzn1.echo-api.request.{next(_ids)}",
        "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locale": locale,
        **request,
    }
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": {"applicationId": application_id},
            "user": {"userId": user_id},
            "attributes": session or {},
        },
        "context": {"System": system},
        "request": request,
    }


def launch() -> dict[str, Any]:
    return {"type": "LaunchRequest"}


def slot(name: str, value: str | None, resolved_id: str | None = None, *, matched: bool | None = None) -> dict:
    """A slot as Alexa sends it; custom slots carry entity resolution (matched unless told otherwise)."""
    data: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        data["value"] = value
    if matched is not None or resolved_id is not None:
        status = "ER_SUCCESS_MATCH" if resolved_id else "ER_SUCCESS_NO_MATCH"
        authority: dict[str, Any] = {"authority": "amzn1.er-authority.echo-sdk.test.Type", "status": {"code": status}}
        if resolved_id:
            authority["values"] = [{"value": {"name": value, "id": resolved_id}}]
        data["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return data


def intent(name: str, **slots: dict[str, Any]) -> dict[str, Any]:
    return {"type": "IntentRequest", "dialogState": "COMPLETED",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots}}


def session_ended(reason: str = "USER_INITIATED") -> dict[str, Any]:
    return {"type": "SessionEndedRequest", "reason": reason}


def request_for(user: str = "amzn1.ask.account.A", person: str | None = None) -> RequestEnvelope:
    """A launch as the SDK hands it to a store: whose record it is about is all that matters there."""
    body = envelope(launch(), user_id=user, person_id=person)
    return DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)


# The device's clock, as tools/alexa.js keeps it: a response starts playing about a second after its request is
# stamped; the runner answers after it has played; "Alexa, pause" part-way stops it at the wake word, about
# 1.2 s before that request is stamped.
SPEECH_STARTS = device.SPEECH_STARTS_SECONDS
BARGE_IN = device.BARGE_IN_SECONDS
RUNNER_TURN = device.RUNNER_TURN_SECONDS
_BREAK = re.compile(r'<break time="([\d.]+)(ms|s)"/>')


def played_seconds(reply: dict[str, Any]) -> float:
    """How long a response plays: its breaks, and its words at Alexa's usual 155 a minute."""
    ssml = speech(reply)
    silence = sum(float(amount) / (1000 if unit == "ms" else 1) for amount, unit in _BREAK.findall(ssml))
    return silence + len(plain_text(ssml).split()) * 60 / 155


@dataclass
class Conversation:
    """Talks to the skill in-process the way Alexa would: session attributes come back on the next turn
    until a response ends the session, and each request is stamped by a device clock that lets the runner
    hear a response out before answering (or cut into it: `barge=` seconds into the last response)."""

    skill: CustomSkill
    user_id: str = USER_ID
    person_id: str | None = None
    device_id: str = DEVICE_ID
    api_endpoint: str | None = None  # where the skill asks the device's settings (tools/settings_api.py on loopback)
    session: dict[str, Any] | None = None
    turns: list[dict[str, Any]] = field(default_factory=list)
    device_time: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    last_stamp: datetime | None = None

    def stamp(self, barge: float | None) -> str:
        at = self.device_time
        if barge is not None and self.last_stamp is not None:
            at = self.last_stamp + timedelta(seconds=SPEECH_STARTS + barge + BARGE_IN)
        at = at.replace(microsecond=0)
        self.last_stamp = at
        return at.strftime("%Y-%m-%dT%H:%M:%SZ")

    def device(self, body: dict[str, Any]) -> dict[str, Any]:
        """The envelope as this device sends it (a plain Echo: no screen)."""
        return body

    def send(self, request: dict[str, Any], barge: float | None = None) -> dict[str, Any]:
        request = {"timestamp": self.stamp(barge), **request}
        body = self.device(envelope(request, session=self.session, new=self.session is None, user_id=self.user_id,
                                    person_id=self.person_id, device_id=self.device_id,
                                    api_endpoint=self.api_endpoint))
        env = self.skill.serializer.deserialize(payload=json.dumps(body), obj_type=RequestEnvelope)
        reply = self.skill.serializer.serialize(self.skill.invoke(request_envelope=env, context=None))
        over = reply["response"].get("shouldEndSession", True) is not False or request["type"] == "SessionEndedRequest"
        self.session = None if over else (reply.get("sessionAttributes") or {})
        self.turns.append(reply)
        assert self.last_stamp is not None
        # A tenth over the words-per-minute guess, so a runner who answers never seems to cut in.
        played = played_seconds(reply) * 1.1
        self.device_time = self.last_stamp + timedelta(seconds=SPEECH_STARTS + played + RUNNER_TURN)
        return reply

    def launch(self) -> dict[str, Any]:
        self.session = None
        return self.send(launch())

    def say(self, name: str, barge: float | None = None, **slots: dict[str, Any]) -> dict[str, Any]:
        return self.send(intent(name, **slots), barge=barge)

    def silence(self) -> dict[str, Any]:
        """The runner says nothing: Alexa listens, plays the reprompt if there is one, listens again, then ends
        the session."""
        return self.send(session_ended("EXCEEDED_MAX_REPROMPTS"))


def unpacked(session: dict[str, Any] | None) -> dict[str, Any]:
    """Session attributes with the runner's record and merge base unpacked (they travel deflated as
    `record_z`), as plain `record` and `base`, which the skill also accepts back."""
    session = dict(session or {})
    if "record_z" in session:
        packed = json.loads(zlib.decompress(base64.b64decode(session.pop("record_z"))))
        session["record"], session["base"] = packed["record"], packed["base"]
    return session


def session_record(session: dict[str, Any] | None) -> dict[str, Any]:
    """The runner's record as the session carries it."""
    return unpacked(session)["record"]


def speech(reply: dict[str, Any]) -> str:
    output = reply["response"].get("outputSpeech") or {}
    return output.get("ssml") or output.get("text") or ""


def said(reply: dict[str, Any]) -> str:
    """What the runner heard, as plain text."""
    return plain_text(speech(reply))


def reprompt(reply: dict[str, Any]) -> str:
    return plain_text(((reply["response"].get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", ""))


def ended(reply: dict[str, Any]) -> bool:
    return reply["response"].get("shouldEndSession") is True


def waits(reply: dict[str, Any]) -> bool:
    """Whether the reply waits for the runner to go on: the session stays open and it is not a workout's last
    response (which keeps the session open a moment, for a remark about its last sets: `summed_up` is set)."""
    return reply["response"].get("shouldEndSession") is False \
        and not (reply.get("sessionAttributes") or {}).get("summed_up")


def heard(reply: dict[str, Any], key: str, **params: object) -> bool:
    """Whether the runner heard one of the variants of the en-US line `key`, filled in with `params`."""
    text = said(reply)
    return any(variant.format(**params) in text for variant in load_locale("en-US").phrases[key])
