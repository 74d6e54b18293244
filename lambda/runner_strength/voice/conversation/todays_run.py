"""Today's running as the runner tells it, on its own ("I ran ten miles today") or inside a request for a circuit
("a glute workout, I have a long run tomorrow"): read from the slots, kept in the record (training/running.py) and
said back by one set of rules, whichever handler heard it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from ask_sdk_core.handler_input import HandlerInput

from ...training import running
from ...training.builder import LEGS_DAY, LEGS_SPARED, Circuit
from . import slots
from .turn import Turn

UNITS = {"MILES": "miles", "KILOMETERS": "kilometers"}
TOMORROW = "_TOMORROW"
# The RunType and DayType ids acted on: "long run tomorrow" is one value, as two slots cannot sit side by side.
RUN_IDS = frozenset({*running.KINDS, *(kind + TOMORROW for kind in running.PLANNED)})
DAY_IDS = frozenset({"TODAY", "TOMORROW", "YESTERDAY", *running.WEEKDAYS})


@dataclass(frozen=True)
class RunNews:
    """What the runner said: one of training.running's kinds, the day it is about, and a distance if one was said
    (its unit is in which slot held the number: "ten miles", "eight k")."""

    kind: str
    day: str
    distance: int | None = None
    unit: str = "MILES"

    @property
    def counts(self) -> bool:
        """Whether it changes a circuit at all: a short run done does not."""
        return running.counts(self.kind, running.kilometres(self.distance, self.unit))


def heard(handler_input: HandlerInput, today: str) -> RunNews | None:
    """The news in the slots run, day, miles and kilometers, or None when they hold none. A day or a distance
    said with no kind of run is a run done."""
    miles, _ = slots.number(handler_input, "miles")
    kilometers, _ = slots.number(handler_input, "kilometers")
    kind = slots.resolved(handler_input, "run", RUN_IDS).id
    spoken_day = slots.resolved(handler_input, "day", DAY_IDS).id
    if kind is None and spoken_day is None and miles is None and kilometers is None:
        return None
    distance, unit = (miles, "MILES") if miles is not None else (kilometers, "KILOMETERS")
    kind = kind or running.RAN
    if kind.endswith(TOMORROW):  # "long run tomorrow" is one slot value: two slots can't sit side by side
        kind, spoken_day = kind.removesuffix(TOMORROW), "TOMORROW"
    day = running.day_of(spoken_day, today, kind)
    if kind in running.PLANNED and day < today:
        kind = running.RAN  # "my race was yesterday": tired legs today, like a run done
    return RunNews(kind, day, distance, unit)


def keep(turn: Turn, news: RunNews) -> bool:
    """Keep the news in the runner's record, unless it is a run too short to change a circuit; whether it was
    kept. A planned run is kept for its own day, the rest for today."""
    if not news.counts:
        return False
    kind = news.kind
    if kind == running.RAN and (running.kilometres(news.distance, news.unit) or 0) >= running.LONG_RUN_KM:
        kind = running.LONG_RAN  # tomorrow is a recovery day
    entry = (kind, news.day if kind in running.PLANNED else turn.today)
    turn.record = replace(turn.record, runs=running.with_entry(turn.record.runs, entry, turn.today))
    return True


def news_line(turn: Turn, news: RunNews) -> str:
    """What the runner told, said back in a few words."""
    kind = news.kind
    ahead = (date.fromisoformat(news.day) - date.fromisoformat(turn.today)).days
    if kind == running.RAN:
        if news.distance is None:
            return turn.line("running.ran")
        return turn.line("running.ran_distance", distance=distance(turn, news))
    if kind in running.PLANNED and ahead > 1:
        return turn.line("running.later", event=event(turn, kind), days=turn.voice.amount("days", ahead))
    if kind == running.RACE:
        return turn.line("running.race_tomorrow") if ahead == 1 else turn.line("running.race_today")
    if kind == running.LONG_RUN:
        return turn.line("running.long_run_tomorrow") if ahead == 1 else turn.line("running.long_run_today")
    return turn.line("running.sore") if kind == running.SORE else turn.line("running.easy_day")


def before_circuit(turn: Turn, news: RunNews) -> Callable[[Circuit], str]:
    """What to say of news told with a request, before the circuit built from it: one clause, and nothing the
    circuit's own note says. News that spares the legs is left to the note when the note names it as the reason;
    a short run, or a race or long run days away, says why today's circuit is as usual."""
    if not news.counts:
        return lambda _: turn.line("running.build_short", distance=distance(turn, news))
    if running.spare_legs(turn.record.runs, turn.today) is None:
        ahead = (date.fromisoformat(news.day) - date.fromisoformat(turn.today)).days
        return lambda _: turn.line("running.build_later", event=event(turn, news.kind),
                                   days=turn.voice.amount("days", ahead))
    kind = news.kind.lower()
    naming = {LEGS_SPARED + kind, f"{LEGS_DAY}{running.LEGS_OFF}_{kind}", f"{LEGS_DAY}{running.RECOVERY}_{kind}"}
    return lambda circuit: "" if any(n.code in naming for n in circuit.notes) else news_line(turn, news)


def distance(turn: Turn, news: RunNews) -> str:
    return turn.voice.amount(UNITS[news.unit], news.distance or 0)


def event(turn: Turn, kind: str) -> str:
    return turn.line("running.event.race") if kind == running.RACE else turn.line("running.event.long_run")
