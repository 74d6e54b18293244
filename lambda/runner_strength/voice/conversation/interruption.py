"""Where the runner was when a request cut into a block ("Alexa, pause", "stop", "wait", "this hurts"), from the
block's timeline and the time between the request that got the block and the one that cut into it.

Alexa stamps each request to the second. From the block's request to the first sound of its response is about
SPEECH_STARTS seconds (the skill's answer and the voice starting); the runner's "Alexa, pause" stops the speech at
the wake word, about BARGE_IN seconds before its request is stamped. So the place found is within about two
seconds either way (one second of stamping on each request, and the latencies' spread); tests/test_pause.py holds
it to that with simulated clocks, late requests and skewed stamps. A block heard to its end is not cut.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ... import device
from ...speech import coach
from ...speech.ssml import MARK, Ssml
from ...training.cursor import Cursor, Step
from .turn import Turn

SPEECH_STARTS = device.SPEECH_STARTS_SECONDS
BARGE_IN = device.BARGE_IN_SECONDS
# A pause longer than this and the set starts over: muscles cool, and the runner will not remember the count.
RESUME_WITHIN = timedelta(minutes=10)


def heard_at(turn: Turn) -> datetime:
    """When Alexa stamped this request (the skill's clock when it carries no stamp)."""
    stamp = getattr(turn.input.request_envelope.request, "timestamp", None)
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=turn.now().tzinfo)
    return turn.now()


def block_sent(turn: Turn, ssml: Ssml, step_index: int, part: int, rest_before: bool, seed: int | None,
               resumed: dict[str, Any] | None = None) -> None:
    """Note the block going out, so a request that cuts into it can tell where the runner was. A block resumed
    from a pause (`resumed`) starts inside its original: its first interval is the paused one, shortened."""
    base = [int(resumed["mark"]), float(resumed["done"])] if resumed and resumed.get("mark", -1) >= 0 else None
    turn.state.block = {
        "at": heard_at(turn).isoformat(), "step": step_index, "part": part, "rest": rest_before, "seed": seed,
        "base": base,
        "marks": [[s.text, round(s.start, 2), s.seconds] for s in ssml.timeline if s.kind == MARK],
        "ends": round(ssml.seconds, 2),
    }


def sent_this_turn(turn: Turn) -> bool:
    block = turn.state.block
    return block is not None and block.get("at") == heard_at(turn).isoformat()


def sent_again(turn: Turn) -> None:
    """The last block is being replayed as it was ("repeat"): its timeline now starts with this request."""
    block = turn.state.block
    if block is not None:
        block["at"] = heard_at(turn).isoformat()


def where(turn: Turn) -> dict[str, Any] | None:
    """Where in the last block this request arrived: None when it was heard to its end (or there is none)."""
    block, cursor = turn.state.block, turn.workout
    if block is None or cursor is None:
        return None
    try:
        sent = datetime.fromisoformat(block["at"])
        elapsed = (heard_at(turn) - sent).total_seconds() - SPEECH_STARTS - BARGE_IN
        marks = [(str(kind), float(start), float(seconds)) for kind, start, seconds in block["marks"]]
        step, ends = int(block["step"]), float(block["ends"])
    except (KeyError, TypeError, ValueError):
        return None
    if elapsed >= ends or cursor.position not in (step, step + 1) or not 0 <= step < len(cursor.steps):
        return None
    # The last interval already under way; before the first, the block is started again.
    mark = max((i for i, (_, start, _) in enumerate(marks) if start <= elapsed), default=-1)
    kind, start, seconds = marks[mark] if mark >= 0 else ("start", 0.0, 0.0)
    if mark == len(marks) - 1 and kind != "rest" and elapsed >= start + seconds:
        return None  # past the last interval: the work is done, only its closing words were cut
    into = max(elapsed - start, 0.0)
    base = block.get("base")
    if mark >= 0 and isinstance(base, list):
        base_mark, base_done = int(base[0]), float(base[1])
        # A resumed block: its intervals are the original's from the paused one on, the first one shortened.
        seconds, into = (seconds + base_done, into + base_done) if mark == 0 else (seconds, into)
        mark += base_mark
    return {"step": step, "part": int(block.get("part", 0)), "rest": bool(block.get("rest")),
            "seed": block.get("seed"), "mark": mark, "kind": kind, "seconds": seconds,
            "into": round(into, 1), "at": heard_at(turn).isoformat()}


def interrupt(turn: Turn) -> dict[str, Any] | None:
    """Cut the last block where the runner stopped it: its step is next again and does not count, and the cursor
    keeps the place for resuming. None when the block had been heard to its end."""
    paused = where(turn)
    cursor = turn.workout
    turn.state.block = None
    if paused is None or cursor is None:
        return None
    turn.set_workout(cursor.interrupted(paused["step"], paused))
    return paused


def stopped_at(turn: Turn, paused: dict[str, Any], step: Step) -> tuple[str, dict[str, object]]:
    """The kind of place a pause left ("hold", "reps", "rest", "start") and the words for it."""
    name = turn.voice.exercise(step.exercise).name if step.is_set else turn.line("warmup.name")
    kind, seconds, into = paused.get("kind"), float(paused.get("seconds", 0)), float(paused.get("into", 0))
    if kind == "hold":
        return "hold", {"name": name, "seconds": max(round(seconds - into), 1)}
    if kind == "reps":
        reps = _reps(turn, step) or 1
        return "reps", {"name": name, "rep": min(int(into // (seconds / reps)) + 1, reps)}
    if kind == "rest":
        return "rest", {"name": name}
    return "start", {"name": name}


def _reps(turn: Turn, step: Step) -> int | None:
    if not step.is_set:
        return None
    if turn.workout is None:
        return turn.catalog[step.exercise].reps
    return turn.workout.exercise_today(turn.catalog, step.exercise, turn.record.preferences.dose_steps).reps


def is_stale(turn: Turn, paused: dict[str, Any]) -> bool:
    try:
        return datetime.fromisoformat(paused["at"]) + RESUME_WITHIN < heard_at(turn)
    except (KeyError, TypeError, ValueError):
        return True


def remainder(turn: Turn, paused: dict[str, Any], step: Step, block: Ssml) -> tuple[Ssml, int, float] | None:
    """What is left of the paused block, which of its intervals the remainder starts in, and how much of that
    interval was done already; None to do the block again from the top."""
    name = turn.voice.exercise(step.exercise).name if step.is_set else turn.line("warmup.name")
    return coach.resume(turn.voice, block, paused["mark"], float(paused["into"]), name, _reps(turn, step))


def paused_here(cursor: Cursor, step_index: int) -> dict[str, Any] | None:
    paused = cursor.paused
    return paused if isinstance(paused, dict) and paused.get("step") == step_index else None
