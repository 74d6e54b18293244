"""The web service, served for real on a loopback port: health, Alexa requests, and bad input."""

from __future__ import annotations

import copy
import json
import os
import random
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.support.envelopes import SKILL_ID, envelope, intent, launch, slot
from tests.support.fuzz import mutate
from tests.support.limits import check_response
from tools.endpoint import ROOT, served


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    env = {"SKILL_STORE": f"sqlite:{folder / 'runners.sqlite3'}", "SKILL_ID": SKILL_ID}
    with served(env, folder / "server.log") as base:
        yield base, folder / "server.log"


@pytest.fixture
def url(server):
    return server[0]


def post(url: str, body: object, content_type: str = "application/json") -> tuple[int, dict]:
    if isinstance(body, str):
        data = body.encode()
    elif isinstance(body, bytes):
        data = body
    else:
        data = json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def test_health_answers_200(url):
    with urllib.request.urlopen(url + "healthz", timeout=5) as reply:
        assert reply.status == 200 and json.loads(reply.read()) == {"status": "ok"}


def test_an_alexa_request_gets_an_alexa_response(url):
    status, body = post(url, envelope(launch()))
    assert status == 200
    assert body["version"] == "1.0" and body["response"]["outputSpeech"]["type"] == "SSML"
    check_response(body)


def test_a_conversation_carries_its_session(url):
    _, built = post(url, envelope(intent("BuildCircuitIntent", area=slot("area", "core", "LOWER_BACK")),
                                  user_id="amzn1.ask.account.WEB"))
    status, ready = post(url, envelope(intent("ReadyIntent"), session=built["sessionAttributes"], new=False,
                                       user_id="amzn1.ask.account.WEB"))
    assert status == 200 and "warm" in ready["response"]["outputSpeech"]["ssml"].lower()


@pytest.mark.parametrize("body", [
    b"", b"not json", b"\xff\xfe\x00", "[]", "123", "null", '"text"', "{}", '{"request": {}}',
    '{"version": "1.0", "request": {"type": "LaunchRequest"}}',
    '{"version": "1.0", "context": {}, "request": {"type": "LaunchRequest"}}',
    '{"version": "1.0", "context": {"System": 5}, "request": {"type": "LaunchRequest"}}',
])
def test_malformed_bodies_get_400(url, body):
    status, answer = post(url, body)
    assert status == 400 and answer["error"]


def test_a_request_for_another_skill_gets_400(url):
    status, _ = post(url, envelope(launch(), application_id="amzn1.ask.skill.someone-else"))
    assert status == 400


def test_an_oversize_body_gets_400(url):
    status, _ = post(url, b"{" + b" " * 400_000 + b"}")
    assert status == 400


def test_other_methods_and_paths_are_not_500(url):
    for method, path in (("GET", ""), ("PUT", ""), ("GET", "nowhere"), ("DELETE", "healthz")):
        req = urllib.request.Request(url + path, method=method)
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=5)
        assert err.value.code in (404, 405)


def test_mutated_envelopes_never_get_500_and_every_200_is_a_well_formed_response(server):
    url, log = server
    rng = random.Random(7)
    bases = [envelope(launch()), envelope(intent("BuildCircuitIntent", area=slot("area", "glutes", "GLUTE_MEDIUS"),
                                                minutes=slot("minutes", "20")))]
    statuses = []
    for _ in range(300):
        body = mutate(copy.deepcopy(rng.choice(bases)), rng)
        status, answer = post(url, body)
        statuses.append(status)
        assert status in (200, 400), body
        if status == 200:
            assert answer["version"] == "1.0" and "response" in answer
            check_response(answer)
    assert statuses.count(200) and statuses.count(400)
    assert "Traceback" not in log.read_text(), "every refusal was a clean 400, every 200 a clean turn"


def serve_once(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "runner_strength.hosting"], capture_output=True, text=True,
                          timeout=20, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "lambda"), **env})


def test_the_server_will_not_verify_without_knowing_its_skill_id():
    result = serve_once({"ALEXA_VERIFY": "on", "SKILL_ID": ""})
    assert result.returncode == 2 and "SKILL_ID" in result.stderr


def test_served_with_verification_on_an_unsigned_request_gets_400(tmp_path):
    env = {"ALEXA_VERIFY": "on", "SKILL_ID": SKILL_ID, "SKILL_STORE": f"sqlite:{tmp_path / 'r.sqlite3'}",
           "ALEXA_CERT_CACHE": str(tmp_path / "certificates")}
    with served(env, tmp_path / "server.log") as base:
        status, _ = post(base, envelope(launch()))
        with urllib.request.urlopen(base + "healthz", timeout=5) as reply:
            assert reply.status == 200
    assert status == 400
    assert "not verified: no SignatureCertChainUrl header" in (tmp_path / "server.log").read_text()


def test_verification_off_is_refused_on_a_public_address():
    result = serve_once({"ALEXA_VERIFY": "off", "HOST": "0.0.0.0"})
    assert result.returncode == 2 and "loopback" in result.stderr


def test_a_bad_store_setting_is_refused_with_a_clear_message():
    result = serve_once({"ALEXA_VERIFY": "off", "SKILL_STORE": "postgres:x"})
    assert result.returncode == 2 and "SKILL_STORE" in result.stderr
