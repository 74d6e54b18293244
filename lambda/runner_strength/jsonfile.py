"""Reading the skill's own JSON files (device.json, the catalog, a locale's phrases and numbers): a file that is
missing or is not JSON becomes the caller's error, naming the file, so a bad edit fails loudly at load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_json(path: Path, error: type[Exception]) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise error(f"cannot read {path}: {err}") from err
