"""Today's running: "I ran ten miles today", "long run tomorrow", "race on Saturday", "easy day", "I'm sore".

What the runner says is kept in the record as dated entries (training/running.py): news about today for today, a
long run or race until its day has passed. Any circuit built while it applies spares the legs and says why; said
before a circuit, it offers one. Said inside a request for a circuit, start.py keeps it by the same rules
(conversation/todays_run.py) and builds.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...training import running
from ..conversation.questions import NO, YES, Question
from ..conversation.replies import after_aside, ask_what_to_train
from ..conversation.todays_run import RunNews, heard, keep, news_line
from ..conversation.turn import IntentHandler, Turn
from ..conversation.workout import offer, plan_today

SPARE_OFFER = "spare_legs_offer"


class TodaysRun(IntentHandler):
    intents = ("TodaysRunIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        # "I went for a run", with nothing in the slots, is a run done today.
        news = heard(handler_input, turn.today) or RunNews(running.RAN, turn.today)
        said = news_line(turn, news)
        if not keep(turn, news):
            return after_aside(turn, f"{said} {turn.line('running.short')}")
        if running.spare_legs(turn.record.runs, turn.today) is None:
            return after_aside(turn, said)  # a race later in the week: nothing changes today
        if turn.in_workout:
            return after_aside(turn, f"{said} {turn.line('running.next_circuit')}")
        if turn.workout is not None:
            # A circuit built but not started is built again, easy on the legs.
            circuit = turn.workout.circuit
            return offer(turn, plan_today(turn, circuit.areas if circuit.focus else ()), lead=said)
        question = turn.line("running.offer")
        return turn.reply(said, question, turn.line("running.offer_reprompt"), ask=SPARE_OFFER, about={})


def offer_taken(turn: Turn) -> Response:
    return offer(turn, plan_today(turn))


def offer_declined(turn: Turn) -> Response:
    return ask_what_to_train(turn, turn.line("running.declined"))


HANDLERS = (TodaysRun(),)
QUESTIONS = (Question(SPARE_OFFER, {YES: offer_taken, NO: offer_declined}),)
