"""Today's running: "I ran ten miles today", "long run tomorrow", "race on Saturday", "easy day", "I'm sore".

What the runner says is kept in the record as dated entries (training/running.py): news about today for today, a
long run or race until its day has passed. Any circuit built while it applies spares the legs and says why; said
before a circuit, it offers one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...training import running
from ..conversation import slots
from ..conversation.questions import NO, YES, Question
from ..conversation.replies import ask_what, carry_on
from ..conversation.turn import IntentHandler, Turn
from ..conversation.workout import offer, runner_request

SPARE_OFFER = "spare_legs_offer"
UNITS = {"MILES": "miles", "KILOMETERS": "kilometers"}
TOMORROW = "_TOMORROW"


def news_line(turn: Turn, kind: str, day: str, distance: int | None, unit: str) -> str:
    """What the runner told, said back in a few words."""
    ahead = (date.fromisoformat(day) - date.fromisoformat(turn.today)).days
    if kind == running.RAN:
        if distance is None:
            return turn.line("running.ran")
        return turn.line("running.ran_distance", distance=turn.voice.amount(UNITS[unit], distance))
    if kind in running.PLANNED and ahead > 1:
        event = turn.line("running.event.race") if kind == running.RACE else turn.line("running.event.long_run")
        return turn.line("running.later", event=event, days=turn.voice.amount("days", ahead))
    if kind == running.RACE:
        return turn.line("running.race_tomorrow") if ahead == 1 else turn.line("running.race_today")
    if kind == running.LONG_RUN:
        return turn.line("running.long_run_tomorrow") if ahead == 1 else turn.line("running.long_run_today")
    return turn.line("running.sore") if kind == running.SORE else turn.line("running.easy_day")


class TodaysRun(IntentHandler):
    intents = ("TodaysRunIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        # The unit is in which slot holds the number: "ten miles", "eight k".
        miles, _ = slots.number(handler_input, "miles")
        kilometers, _ = slots.number(handler_input, "kilometers")
        distance, unit = (miles, "MILES") if miles is not None else (kilometers, "KILOMETERS")
        kind = slots.resolved(handler_input, "run").id or running.RAN
        spoken_day = slots.resolved(handler_input, "day").id
        if kind.endswith(TOMORROW):  # "long run tomorrow" is one slot value: two slots can't sit side by side
            kind, spoken_day = kind.removesuffix(TOMORROW), "TOMORROW"
        day = running.day_of(spoken_day, turn.today, kind)
        if kind in running.PLANNED and day < turn.today:
            kind = running.RAN  # "my race was yesterday": tired legs today, like a run done
        said = news_line(turn, kind, day, distance, unit)
        if not running.counts(kind, running.kilometres(distance, unit)):
            return carry_on(turn, f"{said} {turn.line('running.short')}")
        entry = (kind, day if kind in running.PLANNED else turn.today)
        turn.record = replace(turn.record, runs=running.with_entry(turn.record.runs, entry, turn.today))
        if running.spare_legs(turn.record.runs, turn.today) is None:
            return carry_on(turn, said)  # a race later in the week: nothing changes today
        if turn.in_workout:
            return carry_on(turn, f"{said} {turn.line('running.next_circuit')}")
        if turn.workout is not None:
            # A circuit built but not started is built again, easy on the legs.
            circuit = turn.workout.circuit
            return offer(turn, runner_request(turn, circuit.areas if circuit.focus else ()), lead=said)
        question = turn.line("running.offer")
        return turn.reply(said, question, turn.line("running.offer_reprompt"), ask=SPARE_OFFER, about={})


def offer_taken(turn: Turn) -> Response:
    return offer(turn, runner_request(turn))


def offer_declined(turn: Turn) -> Response:
    return ask_what(turn, turn.line("running.declined"))


HANDLERS = (TodaysRun(),)
QUESTIONS = (Question(SPARE_OFFER, {YES: offer_taken, NO: offer_declined}),)
