"""Which areas today: add one, leave one out for today, focus on one from here, always include one.

Each change re-plans only what is ahead (training/replan.py); the runner hears in a sentence what changed and
what is next.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...training.replan import shape_after_adding
from ..conversation import slots
from ..conversation.replies import after_aside, tell_change
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import area_name, area_names
from ..conversation.workout import offer, plan_today, replanned, skip_area


def area_slot(handler_input: HandlerInput, turn: Turn) -> str | Response:
    """The area the runner named, or the re-ask listing the areas."""
    said = slots.resolved(handler_input, "area", slots.AREA_IDS)
    if said.id:
        return said.id
    return after_aside(turn, turn.line("area.unknown", heard=said.heard or "that", areas=area_names(turn)))


class AreaWanted(IntentHandler):
    """An area the runner wants: back in today if it was left out, and a focus circuit on it if there is no
    workout yet; `change` says what it does to a running workout."""

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        area = area_slot(handler_input, turn)
        if not isinstance(area, str):
            return area
        turn.record = turn.record.unskipping(area, turn.today)
        if turn.workout is None:
            return offer(turn, plan_today(turn, (area,)))
        return self.change(turn, area)

    def change(self, turn: Turn, area: str) -> Response:
        raise NotImplementedError


class AddArea(AreaWanted):
    intents = ("AddAreaIntent",)

    def change(self, turn: Turn, area: str) -> Response:
        assert turn.workout is not None
        if area in turn.workout.circuit.areas:
            return after_aside(turn, turn.line("adjust.already", area=area_name(turn, area)))
        areas, focus = shape_after_adding(turn.workout, area)
        return tell_change(turn, replanned(turn, areas, focus), turn.line("adjust.added", area=area_name(turn, area)))


class FocusArea(AreaWanted):
    intents = ("FocusAreaIntent",)

    def change(self, turn: Turn, area: str) -> Response:
        return tell_change(turn, replanned(turn, (area,), True), turn.line("adjust.focus", area=area_name(turn, area)))


class RemoveArea(IntentHandler):
    intents = ("RemoveAreaIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        area = area_slot(handler_input, turn)
        if not isinstance(area, str):
            return area
        return skip_area(turn, area)


class AlwaysArea(IntentHandler):
    intents = ("AlwaysAreaIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        area = area_slot(handler_input, turn)
        if not isinstance(area, str):
            return area
        prefs = turn.record.preferences
        turn.update_preferences(always_areas=tuple(dict.fromkeys((*prefs.always_areas, area))))
        return after_aside(turn, turn.line("adjust.always", area=area_name(turn, area)))


HANDLERS = (AddArea(), RemoveArea(), FocusArea(), AlwaysArea())
QUESTIONS = ()
