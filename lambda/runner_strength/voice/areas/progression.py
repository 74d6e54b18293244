"""How am I progressing: what grew, what moved up its ladder and what eased back in the last 30 days, and the
workouts done, read from progression's log (training/progression.py) and the history."""

from __future__ import annotations

from datetime import date, timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...speech import coach
from ...training.progression import DOSE_UP, EASE_BACK, LADDER_UP, STEP_BACK, lighter_week
from ..conversation.replies import after_aside
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import some

MONTH_DAYS = 30


def report(turn: Turn) -> str:
    since = (date.fromisoformat(turn.today) - timedelta(days=MONTH_DAYS - 1)).isoformat()
    recent = [c for c in turn.record.progress if c.day >= since and c.exercise in turn.catalog]
    # The latest word on each exercise: a dose grown twice is said once, at its dose now.
    latest = {(c.exercise, c.kind == LADDER_UP): c for c in recent}.values()
    name = turn.voice.exercise
    workouts = len(turn.record.sessions_since(turn.today, MONTH_DAYS))
    lines = [turn.line("progression.month", workouts=turn.voice.amount("workouts", workouts)) if workouts
             else turn.line("progression.month_none")]

    def dosed(change) -> str:
        exercise = turn.catalog[change.exercise].with_dose_steps(change.steps)
        return turn.line("progression.dose", name=name(change.exercise).name,
                         dose=coach.dose(turn.voice.text, exercise).rstrip("."))

    def done(change, exercise: str) -> bool:
        """Whether the runner has trained at the new dose (or the new move): a set of it in a workout after the
        decision. A dose decided and not yet done is not "grown"."""
        return any(s.day >= change.day and s.id != change.after and exercise in s.did for s in turn.record.history)

    grown = [dosed(c) for c in latest if c.kind == DOSE_UP and done(c, c.exercise)]
    moved = [turn.line("progression.move", old=name(c.exercise).name, new=name(c.to).name)
             for c in latest if c.kind == LADDER_UP and c.to in turn.catalog and done(c, c.to)]
    due = [dosed(c) for c in latest if c.kind == DOSE_UP and not done(c, c.exercise)]
    eased = [dosed(c) for c in latest if c.kind in (STEP_BACK, EASE_BACK)]
    if grown:
        lines.append(turn.line("progression.grown", items=some(turn, grown)))
    if due:
        lines.append(turn.line("progression.due", items=some(turn, due)))
    if moved:
        lines.append(turn.line("progression.moved_up", items=some(turn, moved)))
    if eased:
        lines.append(turn.line("progression.stepped_back", items=some(turn, eased)))
    if not (grown or moved or due):
        lines.append(turn.line("progression.none"))
    if lighter_week(turn.record.history, turn.today):
        lines.append(turn.line("progression.lighter"))
    return " ".join(lines)


class HowAmIProgressing(IntentHandler):
    intents = ("ProgressionIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return after_aside(turn, report(turn))


HANDLERS = (HowAmIProgressing(),)
QUESTIONS = ()
