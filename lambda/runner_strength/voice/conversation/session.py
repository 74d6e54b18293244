"""What the skill keeps in Alexa's session attributes from one turn to the next: declared here, once, as one
shape; parsed and checked once a turn (record_io.LoadRecord) and written back once (record_io.WriteSession).

Session attributes come back from Alexa with every request, so they are read as untrusted input: a field of the
wrong type (a damaged session, or one an older version of the skill left) is dropped and logged, never trusted
and never the cause of a failed turn. Nothing that must outlive the session lives only here: the runner's record
is saved to the store (record_io), and this is what the skill needs to carry a conversation along.

The keys on the wire are the attribute names below (`record_z` holds the record and its merge base, deflated).
"""

from __future__ import annotations

import base64
import json
import logging
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

log = logging.getLogger(__name__)

# The record and its merge base as they travel: JSON, deflated, base64 (a full history packs to a fifth).
PACKED_RECORD = "record_z"


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_dict(value: object) -> bool:
    return isinstance(value, dict)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_counts(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in value.items())


def _is_flags(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, bool) for k, v in value.items())


def _is_tokens(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(t, str) for t in value)


def is_question(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("name"), str) \
        and isinstance(value.get("about") or {}, dict) \
        and all(isinstance(value.get(k), str | None) for k in ("prompt", "reprompt"))


def _wire(name: str, check: Callable[[object], bool]) -> dict[str, Any]:
    return {"wire": name, "check": check}


@dataclass
class SessionState:
    """The session's state. A field at its default is not sent back, so a new session carries nothing."""

    # The conversation.
    question: dict[str, Any] | None = field(default=None, metadata=_wire("question", is_question))
    """The question the last reply left pending: name, what it is about, its prompt and reprompt (questions.py)."""
    recent: dict[str, int] = field(default_factory=dict, metadata=_wire("recent_lines", _is_counts))
    """The variant each line was last said in, so a line never comes out the same way twice in a row."""
    notices: dict[str, bool] = field(default_factory=dict, metadata=_wire("notice", _is_flags))
    """Lines said once a session at the start of the next reply (storage trouble), and whether said yet."""
    one_offs: dict[str, Any] | None = field(default=None, metadata=_wire("one_offs", _is_dict))
    """What this session's build request named beyond the settings (kit, level, rounds): offered at the finish."""
    undo: dict[str, Any] | None = field(default=None, metadata=_wire("undo", _is_dict))
    """The preferences as they were before the runner's last change to them: what "undo that" puts back."""
    cramps: int = field(default=0, metadata=_wire("cramps", _is_count))
    """Cramps this session: a second one ends the workout (areas/pain.py)."""
    # The record (record_io.py).
    record: dict[str, Any] | None = field(default=None, metadata=_wire("record", _is_dict))
    """The runner's record as of the end of the last good turn."""
    base: dict[str, Any] | None = field(default=None, metadata=_wire("base", _is_dict))
    """A summary of the record as last read or saved: the base of a three-way merge."""
    saved: str | None = field(default=None, metadata=_wire("saved", _is_str))
    """The fingerprint of what the store holds, as far as this session knows."""
    unread: bool = field(default=False, metadata=_wire("unread", _is_bool))
    """The store could not be read: the record was built from defaults."""
    retry_at: str | None = field(default=None, metadata=_wire("store_retry_at", _is_str))
    """After a storage failure, the store is not tried again before this time (ISO)."""
    unconfirmed: list[str] = field(default_factory=list, metadata=_wire("unconfirmed_saves", _is_tokens))
    """Tokens of saves that failed without saying whether the write landed."""
    # The workout as it is being spoken (replies.py, interruption.py).
    last_response: str | None = field(default=None, metadata=_wire("last_response", _is_str))
    """The last response, packed, for "repeat"."""
    handbacks: int = field(default=0, metadata=_wire("handbacks", _is_count))
    """How often this session has handed the turn back in a workout: the closer is said in full the first times."""
    summed_up: str | None = field(default=None, metadata=_wire("summed_up", _is_str))
    """The workout whose last response said its summary, not yet closed (replies.wrap_up)."""
    parts: dict[str, Any] | None = field(default=None, metadata=_wire("block_parts", _is_dict))
    """A step spoken in parts: which, and which of its intervals the next part opens with."""
    block: dict[str, Any] | None = field(default=None, metadata=_wire("block_sent", _is_dict))
    """The delivery just sent: its request's time and its marked intervals (interruption.py)."""

    @classmethod
    def parse(cls, attributes: Mapping[str, Any] | None) -> SessionState:
        """The state the session attributes carry; a field that is not what it should be is dropped."""
        attributes = dict(attributes or {})
        if PACKED_RECORD in attributes:
            try:
                unpacked = json.loads(zlib.decompress(base64.b64decode(attributes.pop(PACKED_RECORD),
                                                                       validate=True)))
                attributes["record"], attributes["base"] = unpacked["record"], unpacked["base"]
            except Exception as err:  # damaged in transit or crafted: the stored record is the truth
                log.warning("unreadable packed record in the session dropped for the stored one: %s", err)
                attributes.pop("record", None)
                attributes.pop("base", None)
        values = {}
        for spec in fields(cls):
            wire, check = spec.metadata["wire"], spec.metadata["check"]
            if wire not in attributes:
                continue
            value = attributes[wire]
            if value is None or check(value):
                values[spec.name] = value if value is not None else _default(spec)
            else:
                log.warning("session attribute %r of type %s dropped", wire, type(value).__name__)
        return cls(**values)

    def to_attributes(self) -> dict[str, Any]:
        """The session attributes to send back: the fields not at their defaults, the record packed."""
        attributes: dict[str, Any] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name in ("record", "base") or value == _default(spec):
                continue
            attributes[spec.metadata["wire"]] = value
        if self.record is not None:
            raw = json.dumps({"record": self.record, "base": self.base}, separators=(",", ":"))
            attributes[PACKED_RECORD] = base64.b64encode(zlib.compress(raw.encode(), 6)).decode("ascii")
        return attributes


def _default(spec: Any) -> Any:
    return spec.default_factory() if callable(spec.default_factory) else spec.default
