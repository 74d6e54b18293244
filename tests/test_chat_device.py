"""`make chat` follows an Echo once the skill's session has ended (issue 10, item 7).

After shouldEndSession (true, or left out on a device without a screen), `/end` or a failed call, speech goes to
Alexa, not the skill: only "open runner strength" (a LaunchRequest) or "ask runner strength to/for X" (X in a new
session) reaches the skill again, and anything else gets a line from the chat tool and is not sent.

The chat client (tools/alexa.js in chat mode, as `make chat` runs it) is driven with piped input against the served
endpoint through a recording proxy, so the tests see exactly which requests reached the skill; the last test runs
tools/chat.py itself.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runner_strength.speech.phrases import load_locale
from tests.support.virtual_alexa import devices_in_utc
from tools.endpoint import ROOT, served

pytestmark = pytest.mark.e2e

SKILL_ID = "amzn1.ask.skill.runner-strength-chat-device-test"
NO_SESSION = "(no skill session is open: Alexa would answer this herself."
_users = itertools.count()
EN = load_locale("en-US")


class RecordingProxy(ThreadingHTTPServer):
    """Forwards each POST to the skill endpoint and keeps (request, response) bodies; can drop
    shouldEndSession from responses, as a skill that leaves it out would."""

    daemon_threads = True

    def __init__(self, target: str):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.target = target
        self.exchanges: list[tuple[dict, dict]] = []
        self.drop_should_end_session = False
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def requests(self) -> list[dict]:
        with self.lock:
            return [request for request, _ in self.exchanges]


class _ProxyHandler(BaseHTTPRequestHandler):
    server: RecordingProxy

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        forward = urllib.request.Request(self.server.target, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(forward, timeout=30) as reply:
                status, answer = reply.status, reply.read()
        except urllib.error.HTTPError as err:
            status, answer = err.code, err.read()
        if status == 200:
            response = json.loads(answer)
            if self.server.drop_should_end_session:
                response.get("response", {}).pop("shouldEndSession", None)
                answer = json.dumps(response).encode()
            with self.server.lock:
                self.server.exchanges.append((json.loads(body), response))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chat-device")
    env = {"SKILL_STORE": f"sqlite:{folder / 'runners.sqlite3'}", "SKILL_ID": SKILL_ID}
    with served(env, folder / "server.log") as url:
        server = RecordingProxy(url)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            server.shutdown()
            server.server_close()


def chat(proxy: RecordingProxy, *lines: str, drop_should_end_session: bool = False):
    """Pipes `lines` into the chat client as a new runner; returns (turns, requests): each turn is (what was
    typed, what chat printed for it), and requests are the envelopes that reached the skill."""
    with proxy.lock:
        proxy.exchanges.clear()
        proxy.drop_should_end_session = drop_should_end_session
    result = subprocess.run(
        ["node", str(ROOT / "tools" / "alexa.js"), "--url", proxy.url,
         "--model", str(ROOT / "interaction_model" / "en-US.json"), "--application-id", SKILL_ID,
         "--user-id", f"amzn1.ask.account.CHATDEVICE{next(_users)}", "--api-endpoint", devices_in_utc().url],
        input="".join(f"{line}\n" for line in lines), text=True, capture_output=True, timeout=120,
        env={"PATH": os.environ["PATH"]}, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return turns(result.stdout), proxy.requests()


def turns(out: str) -> list[tuple[str, str]]:
    said: list[tuple[str, list[str]]] = []
    for line in out.splitlines():
        if line.startswith("you> "):
            said.append((line[len("you> "):], []))
        elif said:
            said[-1][1].append(line)
    return [(typed, "\n".join(printed)) for typed, printed in said]


def kind(request: dict) -> str:
    """"LaunchRequest", "SessionEndedRequest" or the intent name."""
    body = request["request"]
    return body["intent"]["name"] if body["type"] == "IntentRequest" else body["type"]


def session(request: dict) -> tuple[str, bool]:
    return request["session"]["sessionId"], request["session"]["new"]


def test_after_stop_a_typed_next_is_not_sent_and_gets_the_device_line(proxy):
    said, requests = chat(proxy, "open runner strength", "give me a core circuit", "ready", "stop", "next",
                          "exit", "/end")
    assert [kind(r) for r in requests] == ["LaunchRequest", "BuildCircuitIntent", "ReadyIntent",
                                           "AMAZON.StopIntent"]
    assert "(session ended)" in said[3][1]
    for typed, printed in said[4:6]:
        assert NO_SESSION in printed and "alexa>" not in printed, typed
        assert 'Say "open runner strength", or "ask runner strength to …"' in printed
    assert said[6][1] == "  (error: there is no open session to end)"


def test_nothing_reaches_the_skill_before_it_is_invoked(proxy):
    said, requests = chat(proxy, "next", "give me a core circuit")
    assert requests == []
    assert all(NO_SESSION in printed for _, printed in said)


def test_open_runner_strength_after_the_session_ended_starts_a_new_session_and_carries_straight_on(proxy):
    said, requests = chat(proxy, "open runner strength", "give me a core circuit", "ready", "stop", "next",
                          "open runner strength", "go")
    assert [kind(r) for r in requests] == ["LaunchRequest", "BuildCircuitIntent", "ReadyIntent", "AMAZON.StopIntent",
                                           "LaunchRequest", "ReadyIntent"]
    first, _ = session(requests[0])
    assert all(session(r) == (first, False) for r in requests[1:4])
    reopened, new = session(requests[4])
    assert new and reopened != first
    assert session(requests[5]) == (reopened, False)

    assert "(session ended)" in said[3][1] and NO_SESSION in said[4][1]
    place = re.search(r"(?:pick up at|saved at) (.+?) in round \d+\.", " ".join(said[3][1].split()))
    assert place, said[3][1]
    # Back a moment later: no question to answer, straight into the set the runner stopped before, set up and
    # counted, and on from there with "go".
    back = " ".join(said[5][1].split())
    assert "alexa>" in said[5][1] and NO_SESSION not in said[5][1] and "(session ended)" not in said[5][1]
    assert any(back.startswith(f"alexa> {v}") for v in EN.phrases["welcome.carry_on"]), back[:120]
    assert place[1].lower() in back.split("Go!")[0].lower() and "pick up there?" not in back and "Say yes" not in back
    assert "Go!" in said[6][1] and "(session ended)" not in said[6][1]


def test_a_one_shot_after_the_session_ended_starts_a_new_session_with_that_request(proxy):
    said, requests = chat(proxy, "open runner strength", "stop", "ask runner strength for a core circuit", "ready")
    assert [kind(r) for r in requests] == ["LaunchRequest", "AMAZON.StopIntent", "BuildCircuitIntent",
                                           "ReadyIntent"]
    one_shot, new = session(requests[2])
    assert new and one_shot != session(requests[0])[0]
    assert session(requests[3]) == (one_shot, False)
    printed = said[2][1]
    assert NO_SESSION not in printed and "sent as AMAZON.FallbackIntent" not in printed
    assert "circuit" in printed.lower() and "(session ended)" not in printed
    assert "warm" in said[3][1].lower()


def test_slash_commands_with_no_session_open(proxy):
    said, requests = chat(proxy, "/end", "/intend BuildCircuitIntent", "ready", "/end EXCEEDED_MAX_REPROMPTS",
                          "next", "/launch", "/help")
    assert said[0][1] == "  (error: there is no open session to end)"
    assert [kind(r) for r in requests] == ["BuildCircuitIntent", "ReadyIntent", "SessionEndedRequest",
                                           "LaunchRequest"]
    intended, new = session(requests[0])
    assert new and session(requests[1]) == (intended, False) and session(requests[2]) == (intended, False)
    assert requests[2]["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert "(session ended)" in said[3][1]
    assert NO_SESSION in said[4][1]
    assert session(requests[3])[1] and "/intend IntentName" in said[6][1]


def test_voice_makes_alexa_recognise_a_household_member_until_changed(proxy):
    said, requests = chat(proxy, "/voice ANNA", "open runner strength", "change me to beginner", "stop", "/voice",
                          "open runner strength", "what are my settings", "/voice ANNA BEN")
    voices = [(r["context"]["System"].get("person") or {}).get("personId") for r in requests]
    assert voices == ["amzn1.ask.person.ANNA"] * 3 + [None] * 2
    assert said[0][1] == "  (Alexa recognises ANNA's voice from now on)" and "no voice" in said[4][1]
    assert "set to intermediate" in said[6][1], "the account's own record, not Anna's"
    assert "usage: /voice" in said[7][1]


def test_a_response_that_leaves_out_should_end_session_ends_it_as_on_an_echo(proxy):
    said, requests = chat(proxy, "open runner strength", "give me a core circuit", drop_should_end_session=True)
    assert [kind(r) for r in requests] == ["LaunchRequest"]
    assert "(session ended)" in said[0][1] and NO_SESSION in said[1][1]


def test_make_chat_with_piped_input_follows_the_device(tmp_path):
    script = ("open runner strength\ngive me a core circuit\nstop\nnext\nopen runner strength\nstop\n"
              "ask runner strength for a core circuit\nready\n")
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "chat.py")], input=script, text=True,
                            capture_output=True, timeout=120,
                            env={"PATH": os.environ["PATH"], "SKILL_STORE": f"sqlite:{tmp_path / 'chat.sqlite3'}"})
    assert result.returncode == 0, result.stderr
    said = turns(result.stdout)
    assert [typed for typed, _ in said] == script.splitlines()
    assert "(session ended)" in said[2][1]
    assert NO_SESSION in said[3][1] and "alexa>" not in said[3][1]
    assert all("alexa>" in printed for _, printed in said[4:])
    assert "(session ended)" in said[5][1]
    assert "circuit" in said[6][1].lower() and "warm" in said[7][1].lower()
    assert "<break" not in result.stdout
