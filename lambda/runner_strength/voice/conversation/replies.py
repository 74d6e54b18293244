"""The shared shapes of a reply, so every area ends a turn the same way: ask what to train, carry on after an
aside, deliver the workout and hand back, say what changed and carry on, finish. Also the last response, kept
so that "repeat" can replay it whole.

The workout is spoken a delivery at a time (speech/workout.py): as much as fits in a response, ending in a rest
when the runner is rested and in position, with a short closer ("Say go when you're set" the first times in a
session, then fewer words). A request that cut into a delivery was placed on its timeline before the handler ran
(`Turn.cut`): after an aside the delivery picks up from that second, as after a pause.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import replace
from datetime import timedelta

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from ...speech import workout
from ...speech.ssml import Ssml
from ...speech.summary import finish_card
from ...speech.workout import GO, RESUME, SETUP, SPLIT_SECONDS, Opening, Style
from ...training.cursor import PAIN, Cursor
from ...training.record import PACES
from . import interruption, record_io
from .questions import KEEP_REQUEST, READY
from .session import is_question
from .turn import Said, Turn

# The closer is said in full this many times a session ("Say go when you're set"), then in a word or two.
FULL_CLOSERS = 2


def ask_what_to_train(turn: Turn, speech: str = "") -> Response:
    """Hand the turn back asking what to train."""
    return turn.reply(speech, turn.line("prompt.what"), turn.line("reprompt.what"))


def after_aside(turn: Turn, speech: str | Ssml) -> Response:
    """After an aside (a setting, a question, a mumble): ask the pending question again if there is one; in a
    delivery the aside cut into, carry on from where it cut in; at a hand-back, say what is next again; before a
    workout starts, ask if the runner is ready; else ask what to train."""
    question = turn.question
    if question is not None:
        return turn.reply(speech, question["prompt"], question["reprompt"], ask=question["name"],
                          about=question["about"])
    if turn.cut is not None and turn.workout is not None:
        return deliver(turn, lead=speech)
    if turn.workout is not None and turn.workout.finished:
        # After the workout's last response: the answer, and goodbye (the workout is closed with this turn); or,
        # ended where nothing was said of it yet (what hurt left nothing to do), the answer and how it ended.
        ssml = Ssml.of(speech)
        if not turn.summary_heard:
            return sum_up(turn, ssml, turn.workout)
        return turn.reply(ssml.say(turn.line("goodbye")), end=True)
    if turn.in_workout:
        assert turn.workout is not None
        return hand_back(turn, Ssml.of(speech), turn.workout)
    if turn.workout is not None:
        return ask_if_ready(turn, speech)
    return ask_what_to_train(turn, speech)


def ask_if_ready(turn: Turn, speech: str | Ssml, **card) -> Response:
    """A workout waits to start: ask if the runner is ready."""
    return turn.reply(speech, turn.line("prompt.ready"), turn.line("reprompt.ready"), ask=READY, **card)


def say_no_workout(turn: Turn) -> Response:
    return ask_what_to_train(turn, turn.line("guide.no_workout"))


def pick_up_point(turn: Turn, cursor: Cursor) -> str:
    """Where the runner will pick up, in words: "clamshells in round two"."""
    step = cursor.next_step
    if step is None or not step.is_set:
        return turn.line("place.warmup")
    return turn.line("place.set", name=turn.voice.exercise(step.exercise).name, round=step.round)


def next_up_words(turn: Turn, cursor: Cursor) -> str:
    """What is next, in words: "Next up: clamshells."."""
    step = cursor.next_step
    if step is None:
        return ""
    if not step.is_set:
        return turn.line("next.warmup")
    return turn.line("next.set", name=turn.voice.exercise(step.exercise).name)


def closer(turn: Turn) -> str:
    """The words that hand the turn back in a workout: in full the first times in a session, then short."""
    return turn.line("closer.full" if turn.state.handbacks < FULL_CLOSERS else "closer.short")


def hand_back(turn: Turn, ssml: Ssml, cursor: Cursor) -> Response:
    """End an aside or a move with what is next, and wait for the runner."""
    ssml.say(next_up_words(turn, cursor))
    return handed_back(turn, ssml.say(closer(turn)))


def handed_back(turn: Turn, ssml: Ssml) -> Response:
    turn.state.handbacks += 1
    return turn.reply(ssml, reprompt=turn.line("reprompt.next"))


def sum_up(turn: Turn, ssml: Ssml, cursor: Cursor, **ask) -> Response:
    """The workout is over: its summary, then goodbye, or the session kept open for a question still to ask:
    the one given, or whether to remember what the request named (kit, level, rounds), once a session. A workout
    whose summary the runner has heard already (its last response, `wrap_up`) is closed without saying it again."""
    heard = turn.summary_heard
    if not heard:
        ssml.say(summary_line(turn, cursor))
    turn.finish_workout(cursor)
    turn.state.summed_up = None
    card = None if heard else finish_card(turn.voice, turn.catalog, turn.record, cursor, turn.today)
    if not record_io.save_now(turn):
        ssml.say(turn.line("stop.unsaved"))
    return _closing(turn, ssml, card, **ask)


def summary_line(turn: Turn, cursor: Cursor) -> str:
    """How the workout went, in a line: done in full, finished early by the runner, or stopped because what was left
    hurt (no praise for work not done)."""
    if cursor.ended_for == PAIN:
        if not cursor.sets_done:
            return turn.line("workout.stopped_pain_none")
        return turn.line("workout.stopped_pain", sets=turn.voice.amount("sets", cursor.sets_done))
    key = "workout.done_early" if cursor.ended else "workout.done"
    return turn.line(key, done=cursor.sets_done, total=cursor.total_sets)


def wrap_up(turn: Turn, ssml: Ssml, cursor: Cursor) -> Response:
    """The workout's last response: its last sets, then the summary. The workout is done, but it is closed (its
    place cleared) only once the runner has heard this out (interruption.CloseFinished): a request that cuts into
    its sets picks the workout up there, as anywhere, so the session stays open a moment for one."""
    turn.set_workout(cursor, heard_in=interruption.SPEECH_STARTS + ssml.seconds)
    turn.finished_workout = cursor
    turn.closes_later = True
    turn.state.summed_up = turn.record.workout_id
    ssml.say(summary_line(turn, cursor))
    card = finish_card(turn.voice, turn.catalog, turn.record, cursor, turn.today)
    if not record_io.save_now(turn):
        ssml.say(turn.line("stop.unsaved"))
    return _closing(turn, ssml, card, listen=True)


def _closing(turn: Turn, ssml: Ssml, card: tuple[str, str] | None, listen: bool = False, **ask) -> Response:
    """A finish's last words: the question given, or whether to remember what the request named; else goodbye,
    or (`listen`) an invitation to say how the last sets went, which keeps the session open a moment."""
    if ask:
        return turn.reply(ssml, card=card, **ask)
    one_offs, turn.state.one_offs = turn.state.one_offs, None
    if one_offs:
        question = turn.line("keep.offer", what=one_offs_words(turn, one_offs))
        return turn.reply(ssml, question, question, ask=KEEP_REQUEST, about=one_offs, card=card)
    if listen:
        return turn.reply(ssml, turn.line("finish.anything"), turn.line("finish.reprompt"), card=card)
    return turn.reply(ssml, end=True, card=card)


def one_offs_words(turn: Turn, named: dict) -> str:
    """"your resistance band and three rounds"."""
    parts = []
    if named.get("equipment"):
        parts.append(turn.line("keep.equipment", equipment=turn.line(f"equipment.{named['equipment']}")))
    if named.get("level"):
        parts.append(turn.line("keep.level", level=turn.line(f"level.{named['level']}")))
    if named.get("rounds"):
        parts.append(turn.line("keep.rounds", rounds=turn.voice.amount("rounds", named["rounds"])))
    return turn.voice.listing(parts)


def tell_change(turn: Turn, cursor: Cursor, said: str, **ask) -> Response:
    """Say what changed, then carry on: with a question, if `ask` has one (what is next, and the question); in a
    workout under way, straight into what is next, with time to set up; before it starts, ask if ready; or finish
    if nothing is left."""
    ssml = Ssml().say(said)
    if cursor.finished:
        return sum_up(turn, ssml, cursor, **ask)
    turn.set_workout(cursor)
    if ask:
        ssml.say(next_up_words(turn, cursor))
        return turn.reply(ssml, **ask)
    if not cursor.started:
        return ask_if_ready(turn, ssml)
    return deliver(turn, Opening(SETUP), lead=ssml)


def coaching_style(turn: Turn, cursor: Cursor) -> Style:
    """How the coach counts and cues today: the runner's pace and cue style, and today's doses."""
    prefs = turn.record.preferences
    return Style(PACES[prefs.pace], prefs.cues, todays_doses(turn, cursor))


def todays_doses(turn: Turn, cursor: Cursor) -> dict[str, int]:
    """How far each exercise's dose is moved today (training.cursor.Cursor.todays_doses)."""
    return cursor.todays_doses(turn.record.preferences.dose_steps)


def deliver(turn: Turn, opening: Opening | None = None, lead: str | Ssml = "") -> Response:
    """Speak the next response's worth of workout from the cursor (speech/workout.py), after `lead`; then hand
    back, or finish with the last set. A step cut part-way picks up where it was cut (after a long break, it starts
    over); a step spoken in parts goes on with its next part. The steps spoken count as done; a request that cuts
    in undoes what it cut (interruption.py)."""
    cursor = turn.workout
    if cursor is not None and cursor.finished and not turn.summary_heard:
        return sum_up(turn, Ssml.of(lead), cursor)  # ended, and how it ended not yet said
    if cursor is None or cursor.finished:
        return say_no_workout(turn)
    opening = opening or Opening()
    ssml = turn.opening(lead)
    paused = interruption.paused_place(cursor)
    if paused is not None and opening.kind in (GO, SETUP, RESUME):
        if interruption.is_stale(turn, paused):
            ssml.say(turn.line("resume.over"))
            opening = Opening(SETUP)
        else:
            opening = Opening(RESUME, place=paused)
    elif (part := turn.state.parts) is not None and part.get("step") == cursor.position and opening.kind == GO:
        opening = Opening(RESUME, place={"kind": workout.SWITCH, "mark": part["mark"], "into": 0.0})
    elif opening.kind == GO and not interruption.set_up_for(turn, cursor):
        # "Go" straight into a set the runner was not set up for in the last response (a new session, or the set
        # changed since): what it is and how to get into position first, with a count to get set.
        opening = Opening(SETUP)
    cursor = interruption.without_pause(cursor)
    delivery = workout.deliver(turn.voice, turn.catalog, cursor, coaching_style(turn, cursor), opening,
                               closer(turn), limit=SPLIT_SECONDS - ssml.seconds)
    ssml.extend(delivery.ssml)
    interruption.delivery_sent(turn, delivery, cursor.position, ssml,
                               cursor.steps[delivery.next].exercise if delivery.next is not None else None)
    turn.state.parts = {"step": delivery.part[0], "mark": delivery.part[1]} if delivery.part else None
    moved = cursor.delivered(delivery.steps)
    if delivery.rest_left is not None:
        # Handed back part-way into a long rest: the next response picks the rest up where this one leaves it.
        step, seconds, heard = delivery.rest_left
        ends = interruption.heard_at(turn) + timedelta(seconds=interruption.SPEECH_STARTS + ssml.seconds)
        moved = replace(moved, paused={"step": step, "kind": workout.REST, "mark": -1, "seconds": seconds,
                                       "into": round(heard, 1), "at": ends.isoformat(), "through": step})
    if delivery.next is None and delivery.part is None:
        return wrap_up(turn, ssml, moved)
    turn.set_workout(moved, heard_in=interruption.SPEECH_STARTS + ssml.seconds)
    if delivery.part is not None:
        name = turn.voice.exercise(cursor.steps[delivery.part[0]].exercise).name
        ssml.say(turn.line("prompt.part", name=name))
    return handed_back(turn, ssml)


def do_next_block(turn: Turn) -> Response:
    """Go on with the workout: for ready, next, go, resume, and yes to "ready?" or "pick up there?"."""
    return deliver(turn)


# The last response ------------------------------------------------------------------------------------------

class KeepLast(AbstractResponseInterceptor):
    """Keeps the response just sent (speech with its breaks, reprompt, card and the question it asked) in the
    session, compressed: a counted block is mostly repeated breaks, so it packs to a fraction of its size."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        turn = Turn.maybe(handler_input)
        if turn is None or response is None or response.should_end_session:
            return
        card = response.card if isinstance(response.card, SimpleCard) else None
        last = {
            "speech": response.output_speech.ssml if response.output_speech else None,
            "reprompt": response.reprompt.output_speech.ssml if response.reprompt else None,
            "card": [card.title, card.content] if card else None,
            "question": turn.state.question,
            "block": interruption.sent_this_turn(turn),
        }
        packed = zlib.compress(json.dumps(last, separators=(",", ":")).encode(), 9)
        turn.state.last_response = base64.b64encode(packed).decode("ascii")


def replay(turn: Turn) -> Response | None:
    """The last response again, exactly, with the question it asked still pending; None if there is none.
    Replaying a block does not do it twice: the cursor does not move."""
    packed = turn.state.last_response
    if packed is None:
        return None
    try:
        last = json.loads(zlib.decompress(base64.b64decode(packed)))
    except (ValueError, zlib.error):
        return None
    if not isinstance(last, dict) or not isinstance(last.get("speech"), str):
        return None
    turn.state.question = last["question"] if is_question(last.get("question")) else None
    if last.get("block"):
        interruption.sent_again(turn)  # the same block, from the top: a pause in it is placed from now
    builder = turn.input.response_builder
    builder.speak(last["speech"])
    if last.get("reprompt"):
        builder.ask(last["reprompt"])
    if last.get("card"):
        builder.set_card(SimpleCard(title=last["card"][0], content=last["card"][1]))
    turn.said = Said(None, False, replayed=last["speech"], replayed_block=bool(last.get("block")))
    return builder.response
