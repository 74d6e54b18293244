"""`python -m runner_strength.hosting` (what `make serve` runs): the web service under gunicorn, configured
from the environment (HOST, PORT, SKILL_STORE, SKILL_ID, ALEXA_VERIFY, WEB_WORKERS, WEB_THREADS)."""

from __future__ import annotations

import logging
import os
import sys

from ask_sdk_core.exceptions import PersistenceException

from ..storage import StoreConfigError
from .app import create_app
from .config import Config, ConfigError
from .server import Server, gunicorn_options

__all__ = ["Server", "main"]


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = Config.from_env()
        app = create_app(config)
    except (ConfigError, StoreConfigError, PersistenceException) as err:  # the last: a store that cannot be used
        print(f"runner-strength: {err}", file=sys.stderr)
        return 2
    Server(app, gunicorn_options(config, os.environ)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
