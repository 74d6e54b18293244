"""The shared shapes of a reply, so every area ends a turn the same way: ask what to train, carry on after an
aside, speak a block and hand back, say what changed and move on, finish. Also the last response, kept so
that "repeat" can replay it whole."""

from __future__ import annotations

import base64
import json
import random
import zlib
from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from ...speech import coach
from ...speech.phrases import Voice
from ...speech.ssml import Ssml
from ...speech.summary import finish_card
from ...training.cursor import Cursor, Step
from ...training.record import PACES
from . import interruption, record_io
from .questions import KEEP_REQUEST, READY
from .session import is_question
from .turn import Said, Turn


def ask_what_to_train(turn: Turn, speech: str = "") -> Response:
    """Hand the turn back asking what to train."""
    return turn.reply(speech, turn.line("prompt.what"), turn.line("reprompt.what"))


def after_aside(turn: Turn, speech: str | Ssml) -> Response:
    """After an aside (a setting, a question, a mumble): ask the pending question again if there is one, else
    back to the workout if one is under way or waiting to start, else what to train."""
    question = turn.question
    if question is not None:
        return turn.reply(speech, question["prompt"], question["reprompt"], ask=question["name"],
                          about=question["about"])
    if turn.in_workout:
        return turn.reply(speech, turn.line("prompt.next"), turn.line("reprompt.next"))
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
    """What is next, in words; after a set, the rest that leads into it."""
    return coach.next_up(turn.voice, cursor, rest_first=turn.state.rest_owed)


def hand_back(turn: Turn, ssml: Ssml, cursor: Cursor) -> Response:
    """End a block or a move with what is next, and wait for the runner."""
    ssml.say(next_up_words(turn, cursor))
    return turn.reply(ssml, turn.line("prompt.next"), turn.line("reprompt.next"))


def sum_up(turn: Turn, ssml: Ssml, cursor: Cursor, **ask) -> Response:
    """The workout is over: its summary, then goodbye, or the session kept open for a question still to ask:
    the one given, or whether to remember what the request named (kit, level, rounds), once a session."""
    ssml.say(turn.line("workout.done", done=cursor.sets_done, total=cursor.total_sets))
    turn.finish_workout(cursor)
    card = finish_card(turn.voice, turn.catalog, turn.record, cursor, turn.today)
    if not record_io.save_now(turn):
        ssml.say(turn.line("stop.unsaved"))
    if ask:
        return turn.reply(ssml, card=card, **ask)
    one_offs, turn.state.one_offs = turn.state.one_offs, None
    if one_offs:
        question = turn.line("keep.offer", what=one_offs_words(turn, one_offs))
        return turn.reply(ssml, question, question, ask=KEEP_REQUEST, about=one_offs, card=card)
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
    """Say what changed, then what is next (and a question, if `ask` has one); or finish if nothing is left."""
    ssml = Ssml().say(said)
    if cursor.finished:
        return sum_up(turn, ssml, cursor, **ask)
    turn.set_workout(cursor)
    if ask:
        ssml.say(next_up_words(turn, cursor))
        return turn.reply(ssml, **ask)
    return hand_back(turn, ssml, cursor)


def block_parts(turn: Turn, cursor: Cursor, step: Step, rest_before: bool, seed: int | None = None) -> list[Ssml]:
    """The speech for `step` in as many responses as Alexa's limits need. A block in several parts is worded from
    `seed` alone, so that each part, asked for on a later turn, continues the same words."""
    prefs = turn.record.preferences
    voice = turn.voice if seed is None else Voice(turn.voice.text, random.Random(seed), {})
    return coach.block_parts(voice, turn.catalog, cursor, step, rest_before, pace=PACES[prefs.pace], cues=prefs.cues,
                             dose_steps=todays_doses(turn, cursor))


def todays_doses(turn: Turn, cursor: Cursor) -> dict[str, int]:
    """How far each exercise's dose is moved today (training.cursor.Cursor.todays_doses)."""
    return cursor.todays_doses(turn.record.preferences.dose_steps)


def speak_block(turn: Turn, cursor: Cursor, step: Step, part: int = 0) -> Response:
    """Speak the block for `step` (from part `part` of it); `cursor` is the workout with that step done.

    After a set a rest is owed: the next set's response opens with it. A block too long for one response is
    spoken a part at a time, the cursor moving on only with the last part (an unfinished set does not count).
    A block paused part-way picks up where it stopped, or, after a long pause, starts over."""
    index = cursor.position - 1
    paused = interruption.paused_here(cursor, index)
    split = turn.state.parts if part else None
    over = False
    if paused:
        cursor = replace(cursor, paused=None)
        if interruption.is_stale(turn, paused):
            paused, over, part, split = None, True, 0, None
    if paused:
        part, rest_before, seed = int(paused["part"]), bool(paused["rest"]), paused.get("seed")
    elif split:
        rest_before, seed = bool(split["rest"]), int(split["seed"])
    else:
        rest_before, seed = step.is_set and not over and turn.state.rest_owed, None
    parts = block_parts(turn, cursor, step, rest_before, seed)
    if len(parts) > 1 and seed is None:
        seed = turn.services.seed()
        parts = block_parts(turn, cursor, step, rest_before, seed)
    part = min(part, len(parts) - 1)
    resumed = None
    if over:
        parts[part] = Ssml().say(turn.line("resume.over")).extend(parts[part])
    elif paused and (picked_up := interruption.remainder(turn, paused, step, parts[part])) is not None:
        parts[part], first_mark, done = picked_up
        resumed = {"mark": first_mark, "done": done}
    interruption.block_sent(turn, parts[part], index, part, rest_before, seed, resumed)
    if part < len(parts) - 1:
        turn.state.parts = {"at": index, "next": part + 1, "rest": rest_before, "seed": seed}
        name = turn.voice.exercise(step.exercise).name if step.is_set else ""
        return turn.reply(parts[part], turn.line("prompt.part", name=name), turn.line("reprompt.next"))
    turn.state.parts = None
    turn.state.rest_owed = step.is_set
    ssml = parts[part]
    if cursor.finished:
        return sum_up(turn, ssml, cursor)
    turn.set_workout(cursor)
    return hand_back(turn, ssml, cursor)


def do_next_block(turn: Turn) -> Response:
    """Do the next block (or the next part of one): for ready, next, resume, and yes to "ready?" or "pick up
    there?"."""
    cursor = turn.workout
    if cursor is None:
        return say_no_workout(turn)
    split = turn.state.parts
    part = split["next"] if split and split.get("at") == cursor.position else 0
    return speak_block(turn, *cursor.advance(), part=part)


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
