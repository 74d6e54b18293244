"""What the skill keeps in Alexa's session attributes from one turn to the next: declared here, once, as one
shape; parsed and checked once a turn (record_io.LoadRecord) and written back once (record_io.WriteSession).

Session attributes come back from Alexa with every request, so they are read as untrusted input: a field of the
wrong type or shape (a damaged session, or one an older version of the skill left) is dropped and logged, never
trusted and never the cause of a failed turn. Each field declares its check here; whether a pending question is one
the areas ask is for their registry (questions.askable). Nothing that must outlive the session lives only here: the
runner's record is saved to the store (record_io), and this is what the skill needs to carry a conversation along.

The keys on the wire are the attribute names below (`record_z` holds the record and its merge base, deflated).
"""

from __future__ import annotations

import base64
import json
import logging
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from ...training.builder import MAX_ROUNDS, MIN_ROUNDS
from ...training.catalog import EQUIPMENT, LEVELS
from ...training.days import zone
from ...training.record import Preferences

log = logging.getLogger(__name__)

# The record and its merge base as they travel: JSON, deflated, base64 (a full history packs to a fifth).
PACKED_RECORD = "record_z"
# The lines said once a session at the start of the next reply (record_io.py): a notice of any other key was
# left by another version, and is dropped.
TROUBLE = "storage.trouble"  # the record could not be read: defaults this session
UNSAVED = "storage.unsaved"  # a save failed: retried later
FORGOTTEN = "storage.forgotten"  # the record was deleted on another device
OWN_RECORD = "person.own_record"  # a voice recognised on the account for the first time starts from its record
NOTICES = (TROUBLE, UNSAVED, FORGOTTEN, OWN_RECORD)
# Whose record the session carries when it is not a recognised voice's: the account's own.
ACCOUNT = "account"


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_runner(value: object) -> bool:
    """ACCOUNT, or a personId: never empty."""
    return isinstance(value, str) and bool(value)


def _is_dict(value: object) -> bool:
    return isinstance(value, dict)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: object) -> bool:
    return _is_int(value) and value >= 0


def _is_time(value: object) -> bool:
    """An ISO time with its zone, as the skill writes them."""
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _is_zone(value: object) -> bool:
    """An IANA time zone known here."""
    return zone(value) is not None


def _is_units(value: object) -> bool:
    return value in ("METRIC", "IMPERIAL")


def _is_counts(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, int) for k, v in value.items())


def _is_notices(value: object) -> bool:
    return isinstance(value, dict) and all(k in NOTICES and isinstance(v, bool) for k, v in value.items())


def _is_tokens(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(t, str) for t in value)


def is_question(value: object) -> bool:
    """A pending question as Turn.reply writes it: its name, what it is about, its prompt and reprompt. Whether
    this version asks it is for the registry (questions.askable)."""
    return isinstance(value, dict) and set(value) == {"name", "about", "prompt", "reprompt"} \
        and isinstance(value["name"], str) and isinstance(value["about"] or {}, dict) \
        and all(isinstance(value[k], str | None) for k in ("prompt", "reprompt"))


def _is_block(value: object) -> bool:
    """The delivery just sent, as interruption.delivery_sent writes it: when its request was made, its first and last
    step, its marked intervals (text, start, seconds, step), how long it plays, where a resumed step picks up
    (step, interval, seconds done) and the set its closing rest set the runner up for (step, exercise)."""
    if not isinstance(value, dict) or not _is_time(value.get("at")) or not _is_number(value.get("ends")) \
            or not _is_int(value.get("first")) or not _is_int(value.get("through")):
        return False
    marks, resumed, set_up = value.get("marks"), value.get("resumed"), value.get("set_up")
    return isinstance(marks, list) and all(_shaped(m, (_is_str, _is_number, _is_number, _is_int)) for m in marks) \
        and (resumed is None or _shaped(resumed, (_is_int, _is_int, _is_number))) \
        and (set_up is None or _shaped(set_up, (_is_int, _is_str)))


def _shaped(value: object, checks: tuple[Callable[[object], bool], ...]) -> bool:
    return isinstance(value, list) and len(value) == len(checks) \
        and all(check(v) for check, v in zip(checks, value, strict=True))


def _is_parts(value: object) -> bool:
    """A step spoken in parts: which step, and which of its intervals the next part opens with."""
    return isinstance(value, dict) and set(value) == {"step", "mark"} and all(_is_count(v) for v in value.values())


# What a build request can name beyond the runner's settings (start.py), as it names them.
ONE_OFFS: dict[str, Callable[[object], bool]] = {
    "equipment": lambda v: isinstance(v, str) and v in EQUIPMENT and v != "none",
    "level": lambda v: isinstance(v, str) and v in LEVELS,
    "rounds": lambda v: _is_int(v) and MIN_ROUNDS <= v <= MAX_ROUNDS,
}


def is_one_offs(value: object) -> bool:
    return isinstance(value, dict) and all(k in ONE_OFFS and ONE_OFFS[k](v) for k, v in value.items())


def _is_undo(value: object) -> bool:
    """Preferences as Preferences.to_dict writes them (what "undo that" puts back): each field reads back as
    itself."""
    if not isinstance(value, dict):
        return False
    defaults = Preferences().to_dict()
    if not set(value) <= set(defaults):
        return False
    try:
        back = Preferences.from_dict({**defaults, **value}).to_dict()
    except (TypeError, ValueError, AttributeError):
        return False
    return all(back[k] == v for k, v in value.items())


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
    notices: dict[str, bool] = field(default_factory=dict, metadata=_wire("notice", _is_notices))
    """Lines said once a session at the start of the next reply (storage trouble), and whether said yet."""
    one_offs: dict[str, Any] | None = field(default=None, metadata=_wire("one_offs", is_one_offs))
    """What this session's build request named beyond the settings (kit, level, rounds): offered at the finish."""
    undo: dict[str, Any] | None = field(default=None, metadata=_wire("undo", _is_undo))
    """The preferences as they were before the runner's last change to them: what "undo that" puts back."""
    cramps: int = field(default=0, metadata=_wire("cramps", _is_count))
    """Cramps this session: a second one ends the workout (areas/pain.py)."""
    # The device (device_settings.py).
    time_zone: str | None = field(default=None, metadata=_wire("time_zone", _is_zone))
    """The zone this session's days are in, decided on its first turn: "today" is the date there."""
    distance_units: str | None = field(default=None, metadata=_wire("distance_units", _is_units))
    """The device's distance units (METRIC or IMPERIAL) when it said them with its zone."""
    # The record (record_io.py).
    runner: str | None = field(default=None, metadata=_wire("runner", _is_runner))
    """Whose record the session carries: the personId of the voice recognised when it was read, or ACCOUNT. Every
    later turn keeps to it, whoever speaks, so a session's workout is never saved into another runner's record."""
    record: dict[str, Any] | None = field(default=None, metadata=_wire("record", _is_dict))
    """The runner's record as of the end of the last good turn."""
    base: dict[str, Any] | None = field(default=None, metadata=_wire("base", _is_dict))
    """A summary of the record as last read or saved: the base of a three-way merge."""
    saved: str | None = field(default=None, metadata=_wire("saved", _is_str))
    """The fingerprint of what the store holds, as far as this session knows."""
    unread: bool = field(default=False, metadata=_wire("unread", _is_bool))
    """The store could not be read: the record was built from defaults."""
    retry_at: str | None = field(default=None, metadata=_wire("store_retry_at", _is_time))
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
    parts: dict[str, Any] | None = field(default=None, metadata=_wire("block_parts", _is_parts))
    """A step spoken in parts: which, and which of its intervals the next part opens with."""
    block: dict[str, Any] | None = field(default=None, metadata=_wire("block_sent", _is_block))
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
                log.warning("session attribute %r dropped: a %s not of the shape this version writes", wire,
                            type(value).__name__)
        return cls(**values)

    def drop_the_moment(self) -> None:
        """After a failed turn: what the conversation was in the middle of (the pending question, the delivery
        sent and its parts, what "undo" and the finish would act on) is dropped, so that whatever in it made the turn
        fail cannot make every later turn fail too. The record, what is known of the store and the notices stay."""
        self.question = self.one_offs = self.undo = self.parts = self.block = None

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
