"""History by voice: the last workout, this week's count, and how consistently the runner trains (weeks in a row)."""

from __future__ import annotations

from datetime import date

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...training.consistency import consistency
from ..conversation.replies import after_aside
from ..conversation.turn import IntentHandler, Turn


def when(turn: Turn, day: str) -> str:
    days = (date.fromisoformat(turn.today) - date.fromisoformat(day)).days
    if days <= 0:
        return turn.line("when.today")
    if days == 1:
        return turn.line("when.yesterday")
    return turn.line("when.days_ago", days=days)


class LastWorkout(IntentHandler):
    intents = ("LastWorkoutIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        # In the middle of a workout, "last time" is the one before it; once stopped, the stopped one is.
        in_it = turn.workout is not None and (turn.state.block is not None or turn.cut is not None)
        last = turn.record.session_before(turn.record.workout_id) if in_it else turn.record.last_session
        if last is None:
            return after_aside(turn, turn.line("history.none_before" if in_it else "history.none"))
        # Only exercises the runner did sets of (an older entry without that list names none).
        names = [turn.voice.exercise(e).name for e in last.did if e in turn.voice.text.exercises]
        areas = turn.voice.listing([turn.voice.area(a) for a in last.areas])
        # "All sets done" only when they were: a workout finished early, or with sets skipped, says how many.
        line = "history.last_finished" if last.finished and last.done >= last.total else "history.last_partial"
        return after_aside(turn, turn.line(line, when=when(turn, last.day), areas=areas, done=last.done,
                                        total=last.total, exercises=turn.voice.listing(names[-3:])))


class WeekCount(IntentHandler):
    intents = ("WeekCountIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        count = len(turn.record.sessions_since(turn.today))
        if count == 0:
            return after_aside(turn, turn.line("history.week_none"))
        return after_aside(turn, turn.line("history.week", workouts=turn.voice.amount("workouts", count)))


class Streak(IntentHandler):
    """"What's my streak": weeks in a row with two or more workouts, and this week's count (training/consistency.py)."""

    intents = ("StreakIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        now = consistency(turn.record.history, turn.today)
        workouts = turn.voice.amount("workouts", now.this_week) if now.this_week else turn.line("history.no_workouts")
        if now.weeks:
            said = turn.line("history.weeks", workouts=workouts, weeks=turn.voice.amount("weeks", now.weeks),
                             best=turn.voice.amount("weeks", now.best))
        elif now.best:
            said = turn.line("history.weeks_ended", workouts=workouts, best=turn.voice.amount("weeks", now.best))
        else:
            said = turn.line("history.weeks_never", workouts=workouts)
        return after_aside(turn, said)


HANDLERS = (LastWorkout(), WeekCount(), Streak())
QUESTIONS = ()
