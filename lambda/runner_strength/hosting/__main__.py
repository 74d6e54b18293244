"""`python -m runner_strength.hosting` (what `make serve` runs): the web service under gunicorn, configured
from the environment (HOST, PORT, SKILL_STORE, SKILL_ID, ALEXA_VERIFY, WEB_WORKERS, WEB_THREADS)."""

from __future__ import annotations

import logging
import os
import sys

from gunicorn.app.base import BaseApplication

from ..storage import StoreConfigError
from .app import create_app
from .config import Config, ConfigError


class Server(BaseApplication):
    def __init__(self, app, options: dict) -> None:
        self.app = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.app


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = Config.from_env()
        app = create_app(config)
    except (ConfigError, StoreConfigError) as err:
        print(f"runner-strength: {err}", file=sys.stderr)
        return 2
    host = f"[{config.host}]" if ":" in config.host else config.host
    Server(app, {
        "bind": f"{host}:{config.port}",
        # One process (the app is built before forking, and SQLite and the certificate cache are per process);
        # threads for concurrency, since a turn mostly waits on storage.
        "workers": int(os.environ.get("WEB_WORKERS", "1")),
        "threads": int(os.environ.get("WEB_THREADS", "8")),
        "worker_class": "gthread",
        "timeout": 30,
        "accesslog": "-" if os.environ.get("WEB_ACCESS_LOG") else None,
    }).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
