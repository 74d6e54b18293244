"""Reading slots the way Alexa fills them: resolved ids for custom types, numbers as digits."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model.slu.entityresolution import StatusCode

from ...training.catalog import AREAS, EQUIPMENT, LEVELS, PARTS

log = logging.getLogger(__name__)

# The ids of the custom slot types more than one area reads, as the interaction model writes them. An area that alone
# reads a type keeps its ids beside the code that acts on them.
AREA_IDS = frozenset(AREAS)
EQUIPMENT_IDS = frozenset(e.upper() for e in EQUIPMENT)
LEVEL_IDS = frozenset(level.upper() for level in LEVELS)
PART_IDS = frozenset(part.upper() for part in PARTS)


@dataclass(frozen=True)
class Resolved:
    """A custom slot: `id` when it matched one of our values; `heard` is what the runner said, if anything. A value
    the model resolved to an id this code does not know (a model newer than the code) is heard but not matched, as
    words the model does not know are: the runner hears what the skill knows instead of an apology."""

    id: str | None
    heard: str | None

    @property
    def unknown(self) -> bool:
        return self.heard is not None and self.id is None


def resolved(handler_input: HandlerInput, name: str, known: Collection[str]) -> Resolved:
    """The slot `name`, matched only to an id in `known`: the ids the caller acts on."""
    slot = get_slot(handler_input, name)
    heard = (slot.value or "").strip() or None if slot else None
    if heard is None:
        return Resolved(None, None)
    authorities = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for authority in authorities or ():
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            value_id = authority.values[0].value.id
            if value_id in known:
                return Resolved(value_id, heard)
            log.warning("slot %s resolved to %r, an id this version does not know: heard as unmatched", name,
                        value_id)
    return Resolved(None, heard)


def parse_number(text: str | None) -> int | None:
    """Alexa resolves AMAZON.NUMBER and sends digits in every locale ("forty five" arrives as "45"; virtual-alexa is
    taught the same by tools/model/matcher.js). Anything else is None: a negative number ("-1", from "rest minus one
    seconds") is not a count, so the runner hears what is allowed."""
    heard = (text or "").strip()
    return int(heard) if heard.isascii() and heard.isdigit() else None


def number(handler_input: HandlerInput, name: str) -> tuple[int | None, bool]:
    """The slot's number, and whether something was said that is not a number (e.g. "?")."""
    slot = get_slot(handler_input, name)
    heard = (slot.value or "").strip() if slot else ""
    value = parse_number(heard)
    return value, bool(heard) and value is None
