"""The web service: POST / takes an Alexa request body, GET /healthz answers 200.

Whatever a caller sends, the answer is a well-formed Alexa response or a 400, never a 500; the one 5xx is a 503
when deleting a disabled account's data failed, so that Alexa delivers the event again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge

from ..storage import open_store
from ..storage.contract import DeletionFailed
from ..voice.skill import build_skill
from .config import Config, ConfigError, is_loopback
from .envelope import NotAlexa, read_envelope
from .verify import Rejected, RequestVerifier, SharedChains, SigningKeys

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 256 * 1024


def check_serving(config: Config) -> None:
    """Refuse to serve in a way that would accept forged requests."""
    if config.verify and not config.skill_id:
        raise ConfigError("set SKILL_ID: a verified endpoint must refuse requests for other skills")
    if not config.verify and not is_loopback(config.host):
        raise ConfigError(f"ALEXA_VERIFY=off is only allowed on a loopback address, not HOST={config.host}")


def bad_request(reason: str) -> tuple[Response, int]:
    """A plain 400: the reason goes to the log, never to the caller, so that a forger learns nothing of which check
    failed or what budget ran out."""
    log.warning("400: %s", reason)
    return jsonify(error="bad request"), 400


def read_json(body: bytes) -> tuple[str, object]:
    """The body as text and as parsed JSON, or ValueError saying why it is neither. Alexa sends UTF-8 JSON
    without a byte-order mark; anything else is refused here rather than half-read later."""
    if body.startswith(b"\xef\xbb\xbf"):
        raise ValueError("body starts with a byte-order mark")
    try:
        text = body.decode("utf-8")
        # ValueError covers malformed JSON and integers over Python's 4,300-digit limit.
        return text, json.loads(text)
    except (ValueError, RecursionError) as err:  # RecursionError: nesting deeper than the parser's stack
        raise ValueError("body is not JSON") from err


def handle_alexa(skill: CustomSkill, body: bytes, headers: Mapping[str, str] | None = None,
                 verifier: RequestVerifier | None = None) -> tuple[Response, int]:
    """Verify (when on), read and answer one Alexa request. Anything wrong with it is a 400.

    Nothing from the body reaches the log: a refusal names its reason, never the envelope (which carries the
    runner's userId and apiAccessToken)."""
    try:
        if verifier:
            verifier.check_signature(headers or {}, body)
        text, payload = read_json(body)
        if verifier:
            verifier.check_timestamp(payload)
    except Rejected as err:
        return bad_request(f"not verified: {err}")
    except ValueError as err:
        return bad_request(str(err))
    try:
        envelope = read_envelope(skill, payload, text)
    except NotAlexa as err:
        return bad_request(str(err))
    if verifier:
        verifier.remember_runner(envelope.context.system.user.user_id)
    try:
        response = skill.invoke(request_envelope=envelope, context=None)
    except DeletionFailed:
        # Not acknowledged, so that Alexa delivers the event again; the handler logged why.
        log.error("503: a deletion Alexa asked for failed; refused so that it is redelivered")
        return jsonify(error="deletion failed; deliver again"), 503
    except AskSdkException as err:  # the SDK's own refusals
        return bad_request(str(err))
    except Exception:
        log.exception("request could not be handled")
        return bad_request("request could not be handled")
    return jsonify(skill.serializer.serialize(response)), 200


def read_body() -> bytes:
    """The request body, at most MAX_BODY_BYTES; a 413 if longer, a 400 if its framing is broken."""
    try:
        body = request.get_data(cache=False)
    except HTTPException:
        raise
    except Exception as err:  # the server's framing errors (e.g. a malformed chunk) surface on read
        raise BadRequest(f"body cannot be read ({type(err).__name__})") from err
    if len(body) > MAX_BODY_BYTES:
        raise RequestEntityTooLarge(f"body is over {MAX_BODY_BYTES} bytes")
    return body


def create_app(config: Config | None = None, skill: CustomSkill | None = None,
               verifier: RequestVerifier | None = None) -> Flask:
    """The web service. Verification follows `config.verify`; tests pass their own trust roots in `verifier`.
    Raises ConfigError, or PersistenceException if the store cannot be used."""
    config = config or Config.from_env()
    check_serving(config)
    if skill is None:
        store = open_store(config.store)
        # A store that can prove itself usable (SQLite) does so now: a broken file fails the start, instead of
        # the service answering health checks while every turn runs on defaults. Done before gunicorn forks.
        check = getattr(store, "check_at_start", None)
        if check is not None:
            check()
        skill = build_skill(store, skill_id=config.skill_id)
    if config.verify:
        # The shared folder is made now, before gunicorn forks its workers, so that they all find it.
        verifier = verifier or RequestVerifier(SigningKeys(shared=SharedChains.at(config.cert_cache)))
    else:
        verifier = None
        log.warning("!!! ALEXA REQUEST VERIFICATION IS OFF: local use only (bound to %s) !!!", config.host)
    app = Flask(__name__)
    # One byte over the limit, so that a body without a length (chunked) is read far enough to tell that it is
    # too long, instead of being cut at the limit and processed; read_body refuses it.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES + 1

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.post("/")
    def alexa() -> tuple[Response, int]:
        return handle_alexa(skill, read_body(), request.headers, verifier)

    @app.errorhandler(404)
    @app.errorhandler(405)
    def http_error(err) -> tuple[Response, int]:
        return jsonify(error=err.description), err.code

    @app.errorhandler(400)
    @app.errorhandler(413)
    def refused(err) -> tuple[Response, int]:
        # Anything wrong with what the caller sent is a 400, oversize bodies included.
        return bad_request(err.description)

    return app
