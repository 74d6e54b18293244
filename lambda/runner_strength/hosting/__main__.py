"""`python -m runner_strength.hosting` (what `make serve` runs): the web service from the environment."""

from __future__ import annotations

import logging
import sys

from ..storage import StoreConfigError
from .app import create_app
from .config import Config, ConfigError


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = Config.from_env()
        app = create_app(config)
    except (ConfigError, StoreConfigError) as err:
        print(f"runner-strength: {err}", file=sys.stderr)
        return 2
    if not config.verify:
        logging.getLogger("runner_strength").warning(
            "!!! ALEXA REQUEST VERIFICATION IS OFF: local use only (bound to %s) !!!", config.host)
    app.run(host=config.host, port=config.port, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
