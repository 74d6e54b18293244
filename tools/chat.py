"""`make chat`: serve the skill locally with the SQLite store and talk to it through virtual-alexa.

Type what you would say to Alexa; piped input (one utterance per line) works for scripted runs. The device is in
this machine's time zone (`TZ=Asia/Kolkata make chat` puts it elsewhere): a stand-in for the Alexa Settings API
answers it (tools/settings_api.py), so the skill never asks Amazon's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.endpoint import ROOT, served
from tools.settings_api import Device, Stand, local_zone, serving

SKILL_ID = "amzn1.ask.skill.runner-strength-local"


def main() -> int:
    store = os.environ.get("SKILL_STORE") or f"sqlite:{ROOT / 'var' / 'chat.sqlite3'}"
    log = ROOT / "var" / "chat-server.log"
    try:
        with served({"SKILL_STORE": store, "SKILL_ID": SKILL_ID}, log) as url, \
                serving(Stand(default=Device(local_zone(), "IMPERIAL"))) as settings:
            return subprocess.call([
                "node", str(ROOT / "tools" / "alexa.js"), "--url", url,
                "--model", str(ROOT / "interaction_model" / "en-US.json"), "--application-id", SKILL_ID,
                "--api-endpoint", settings.url,
            ])
    except RuntimeError as err:
        print(f"chat: {err}; the server's log is {log}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
