"""Where the runner was when a request cut into a delivery ("Alexa, pause", "skip this one", "how do I do this",
"too hard", a mumble...), from the delivery's timeline and the time between the request that got it and the one
that cut into it. Every request is placed (the `CutIn` interceptor runs before any handler): what the runner says
acts on what they were doing or hearing at that second, and a set cut part-way never counts as done.

Alexa stamps each request to the second. From the delivery's request to the first sound of its response is about
SPEECH_STARTS seconds (the skill's answer and the voice starting); the runner's "Alexa, ..." stops the speech at the
wake word, about BARGE_IN seconds before its request is stamped. So the place found is within about two seconds
either way (one second of stamping on each request, and the latencies' spread); tests/test_pause.py holds it to
that with simulated clocks, late requests and skewed stamps. A delivery heard to its end is not cut.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ... import device
from ...speech.ssml import MARK, Ssml
from ...speech.workout import HOLD, REPS, REST, SETUP_MARK, SWITCH, Delivery, side_words
from ...training.cursor import Cursor
from .turn import Turn

SPEECH_STARTS = device.SPEECH_STARTS_SECONDS
BARGE_IN = device.BARGE_IN_SECONDS
# A pause longer than this and the set starts over: muscles cool, and the runner will not remember the count.
RESUME_WITHIN = timedelta(minutes=10)
WORK = (HOLD, REPS, SWITCH)
START = "start"  # cut before the first interval: the delivery starts again


def heard_at(turn: Turn) -> datetime:
    """When Alexa stamped this request (the skill's clock when it carries no stamp)."""
    stamp = getattr(turn.input.request_envelope.request, "timestamp", None)
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=turn.now().tzinfo)
    return turn.now()


def delivery_sent(turn: Turn, delivery: Delivery, first: int, ssml: Ssml, set_up: str | None = None) -> None:
    """Note the delivery going out as the response `ssml` (what is said before it included), so a request that cuts
    into it can tell where the runner was. Its marks carry the step each interval belongs to; a delivery that
    resumes a step part-way (`Delivery.resumed`) starts inside it: its first intervals are the step's from that one
    on, the first one shortened by what was done. `set_up`: the exercise its closing rest set the runner up for."""
    turn.state.block = {
        "at": heard_at(turn).isoformat(), "first": first, "through": delivery.steps[-1] if delivery.steps else -1,
        "resumed": list(delivery.resumed) if delivery.resumed else None,
        "marks": [[s.text, round(s.start, 2), s.seconds, s.step] for s in ssml.timeline if s.kind == MARK],
        "ends": round(ssml.seconds, 2),
        "set_up": [delivery.next, set_up] if delivery.next is not None and set_up else None,
    }


def set_up_for(turn: Turn, cursor: Cursor) -> bool:
    """Whether the last delivery, heard to its end in this session, handed back in the rest before the cursor's
    next set, as it is now: the runner heard what it is and how to get into position. Not after the session
    ended, nor when the set was changed since (a swap that asked a question). A request that cut into the rest
    before that set finds the runner being set up for it too."""
    if cursor.finished:
        return False
    place = turn.cut
    if place is not None:
        return place.get("kind") in (REST, SETUP_MARK) and place.get("step") == cursor.position
    block = turn.state.block
    return block is not None and block.get("set_up") == [cursor.position, cursor.steps[cursor.position].exercise]


def sent_this_turn(turn: Turn) -> bool:
    block = turn.state.block
    return block is not None and block.get("at") == heard_at(turn).isoformat()


def sent_again(turn: Turn) -> None:
    """The last delivery is being replayed as it was: its timeline now starts with this request."""
    block = turn.state.block
    if block is not None:
        block["at"] = heard_at(turn).isoformat()


def where(turn: Turn) -> dict[str, Any] | None:
    """Where in the last delivery this request arrived: the step, the kind of interval (rest, setup, hold, reps,
    switch; `start` before the first), which of the step's work intervals and how far into it; None when the
    delivery was heard to its end (or there is none)."""
    block, cursor = turn.state.block, turn.workout
    if block is None or cursor is None:
        return None
    try:
        sent = datetime.fromisoformat(block["at"])
        elapsed = (heard_at(turn) - sent).total_seconds() - SPEECH_STARTS - BARGE_IN
        marks = [(str(kind), float(start), float(seconds), int(step)) for kind, start, seconds, step in block["marks"]]
        first, through, ends = int(block["first"]), int(block["through"]), float(block["ends"])
        resumed = block.get("resumed")
    except (KeyError, TypeError, ValueError):
        return None
    steps = len(cursor.steps)
    if elapsed >= ends or not 0 <= first < steps or through >= steps or any(s >= steps for *_, s in marks):
        return None  # heard to its end, or not a timeline of this workout (a damaged session)
    at = max((i for i, (_, start, _, _) in enumerate(marks) if start <= elapsed), default=-1)
    if at < 0:
        return {"step": first, "kind": START, "mark": -1, "seconds": 0.0, "into": 0.0,
                "at": heard_at(turn).isoformat(), "through": through}
    kind, start, seconds, step = marks[at]
    if at == len(marks) - 1 and kind in WORK and elapsed >= start + seconds:
        return None  # past the last interval: the work is done, only its closing words were cut
    if step < 0:  # a warm-up said again before a step: cut, it starts over
        step, kind = first, START
    into = max(elapsed - start, 0.0)
    # Which of the step's work intervals (the warm-up's drills, a set's sides and switch): what resuming counts in.
    mark = sum(1 for k, _, _, s in marks[:at] if s == step and k in WORK) if kind in WORK else -1
    if kind in WORK and isinstance(resumed, list) and len(resumed) == 3 and int(resumed[0]) == step:
        base_mark, base_done = int(resumed[1]), float(resumed[2])
        # A resumed step: its intervals are the original's from the resumed one on, the first one shortened.
        seconds, into = (seconds + base_done, into + base_done) if mark == 0 else (seconds, into)
        mark += base_mark
    return {"step": step, "kind": kind, "mark": mark, "seconds": seconds, "into": round(into, 1),
            "at": heard_at(turn).isoformat(), "through": through}


def cut(turn: Turn) -> dict[str, Any] | None:
    """Cut the last delivery where this request arrived: the step the runner was at is next again and does not
    count (nor do the steps after it in the delivery), and the cursor keeps the place for resuming. None when the
    delivery had been heard to its end."""
    place = where(turn)
    cursor = turn.workout
    if place is None or cursor is None:
        return None  # heard to its end: it stays as sent (a "repeat" may say it again)
    turn.state.block = None
    turn.state.summed_up = None  # a workout's last response cut short: its summary, at the end, was not heard
    step = cursor.steps[place["step"]]
    place["exercise"] = step.exercise if step.is_set else None  # what it was about, if it is swapped before resuming
    turn.set_workout(cursor.interrupted(place["step"], place, place["through"]))
    return place


class CutIn(AbstractRequestInterceptor):
    """Places every request on the timeline of the delivery it cut into, before any handler runs: `Turn.cut`."""

    def process(self, handler_input: HandlerInput) -> None:
        turn = Turn.maybe(handler_input)
        if turn is not None and handler_input.request_envelope.request.object_type in (
                "IntentRequest", "SessionEndedRequest"):
            turn.cut = cut(turn)


class CloseFinished(AbstractResponseInterceptor):
    """Closes a workout whose last response was heard out (its summary said, replies.wrap_up): at the end of the
    next turn that did not cut into it (a remark about its last set is answered first), or when the session ends.
    One that ended where nothing was said of it yet (what hurt left nothing to do, and the gentler one is still on
    offer) stays open until how it ended is said, or the session ends."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        cursor = turn.workout if turn is not None else None
        if turn is None or cursor is None or not cursor.finished or turn.closes_later:
            return
        ending = response is None or bool(response.should_end_session) \
            or handler_input.request_envelope.request.object_type == "SessionEndedRequest"
        if not ending and not turn.summary_heard:
            return
        turn.finish_workout(cursor)
        turn.state.summed_up = None


def in_work(place: dict[str, Any] | None) -> bool:
    """Whether a request cut into a set's (or the warm-up's) work, rather than a rest or what was said first."""
    return place is not None and place.get("kind") in WORK


def stopped_at(turn: Turn, paused: dict[str, Any]) -> tuple[str, dict[str, object]]:
    """The kind of place a pause left ("hold", "reps", "hold_side", "reps_side", "rest", "switch", "start",
    "warmup") and the words for it."""
    cursor = turn.workout
    assert cursor is not None
    step = cursor.steps[int(paused["step"])]
    name = turn.voice.exercise(step.exercise).name if step.is_set else drill_name(turn, cursor, paused)
    kind, seconds, into = paused.get("kind"), float(paused.get("seconds", 0)), float(paused.get("into", 0))
    exercise = cursor.exercise_today(turn.catalog, step.exercise, turn.record.preferences.dose_steps) \
        if step.is_set else None
    # A per-side set says which side: the runner picks up on it.
    side = {"side": side_words(turn.voice, int(paused.get("mark", 0)))} \
        if exercise is not None and exercise.per_side else {}
    suffix = "_side" if side else ""
    if kind == HOLD:
        return ("hold" + suffix) if step.is_set else "warmup", \
            {"name": name, "seconds": max(round(seconds - into), 1), **side}
    if kind == REPS and exercise is not None:
        reps = exercise.reps or 1
        return "reps" + suffix, {"name": name, "rep": min(int(into // (seconds / reps)) + 1, reps) if seconds else 1,
                                 **side}
    if kind == REST:
        return "rest", {"name": name}
    if kind == SWITCH:
        return "switch", {"name": name}
    return "start", {"name": name}


def drill_name(turn: Turn, cursor: Cursor, place: dict[str, Any]) -> str:
    """The warm-up drill a place is in (its marks are the drills, in order), or "warm-up"."""
    drills = cursor.circuit.warmup
    mark = int(place.get("mark", -1))
    if 0 <= mark < len(drills):
        return turn.voice.exercise(drills[mark]).name
    return turn.line("warmup.name")


def is_stale(turn: Turn, paused: dict[str, Any]) -> bool:
    try:
        return datetime.fromisoformat(paused["at"]) + RESUME_WITHIN < heard_at(turn)
    except (KeyError, TypeError, ValueError):
        return True


def paused_place(cursor: Cursor) -> dict[str, Any] | None:
    """Where the next step was cut, when it was: a place to resume from."""
    paused = cursor.paused
    return paused if isinstance(paused, dict) and paused.get("step") == cursor.position else None


def without_pause(cursor: Cursor) -> Cursor:
    return replace(cursor, paused=None)
