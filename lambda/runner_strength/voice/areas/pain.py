"""When something hurts: stop the set (it does not count), say the safety line, keep the move that hurt and
anything loading a named sore part out of today's workout, offer something gentler or leaving the area out today,
then ask whether to leave the exercise out of future workouts. Red-flag words end the workout with a plain
suggestion to get it looked at; a cramp is stretched out, and the workout carries on. What is kept about it: the
sore part and the day (training/record.py), so that the next session asks (start.py)."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...speech.ssml import Ssml
from ...training.catalog import PARTS
from ...training.cursor import PAIN, Cursor
from ...training.progression import HURT
from ...training.replan import alternatives, leave_out, loads_ahead, put_in, spare
from ..conversation import interruption, slots
from ..conversation.questions import NO, YES, Question
from ..conversation.replies import after_aside, hand_back, sum_up, tell_change
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import area_name, exercise_name, part_name, some
from ..conversation.workout import offer, plan_today, runner_request, skip_area

OFFER = "pain"  # swap in something gentler (yes), or leave the area out today (skip)?
AVOID = "avoid"  # leave this exercise out of future workouts?
GENTLER, SKIP_AREA, CARRY_ON = "gentler", "skip", "carry_on"
CRAMP = "CRAMP"
# Signs that mean more than soreness (the model's PainSignType ids): the workout ends, with a suggestion to get it
# looked at. The urgent ones say to get help if it does not pass.
RED_FLAGS = frozenset({"SHARP", "POP", "NO_WEIGHT", "NUMB", "SWELLING"})
URGENT = frozenset({"CHEST", "DIZZY"})
SIGNS = RED_FLAGS | URGENT | {CRAMP}  # every PainSignType id acted on; another is pain said plainly
# A second cramp in one session ends the workout.
CRAMPS_TO_STOP = 2


def said_part(handler_input: HandlerInput) -> str | None:
    part = (slots.resolved(handler_input, "bodyPart", slots.PART_IDS).id or "").lower()
    return part if part in PARTS else None


class Pain(IntentHandler):
    # "Still sore", "no better", when not answering the next session's question (start.py), is pain said again.
    intents = ("PainIntent", "StillSoreIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        part, sign = said_part(handler_input), slots.resolved(handler_input, "sign", SIGNS).id
        if sign == CRAMP:
            return cramp(turn)
        if part is not None:
            turn.record = turn.record.feeling_sore(part, turn.today)
        if sign in RED_FLAGS | URGENT:
            return red_flag(turn, sign)
        return hurt(turn, part)


def _what_hurt(turn: Turn) -> tuple[Cursor | None, str | None]:
    """The workout with the set that hurt stopped (it does not count), and that set's exercise. Said in the middle of
    a set, it is about that set (the kernel has cut the delivery there); in a rest or at a hand-back, about the set
    just done; before any set, about none."""
    cursor = turn.workout
    if cursor is None:
        return None, None
    if interruption.in_work(turn.cut) and cursor.next_step is not None and cursor.next_step.is_set:
        return replace(cursor, paused=None), cursor.next_step.exercise
    last = cursor.last_set_done
    if last is None:
        return cursor, None
    return cursor.uncount_last_set(), last.exercise


def hurt(turn: Turn, part: str | None) -> Response:
    cursor, painful = _what_hurt(turn)
    if cursor is None or painful is None:
        return hurt_before_a_set(turn, cursor, part)
    # Progression eases it back next time, unless the runner leaves it out (training/progression.py). Today it
    # is out of the workout at once, whatever is said next: nothing goes back into the move that hurt, nor into
    # anything that loads a sore part.
    exercise = turn.catalog[painful]
    plan = cursor.circuit.exercises
    after = plan[plan.index(painful) + 1:] if painful in plan else plan
    cursor = leave_out(cursor.easing(painful, HURT), [painful])
    turn.set_workout(cursor)
    request = runner_request(turn)
    cursor, taken = spare(cursor, turn.catalog, request)
    # Its place in the plan as it now stands: before whatever followed it (or stands in for that).
    place = next((i for i, e in enumerate(cursor.circuit.exercises) if cursor.swapped.get(e, e) in after),
                 len(cursor.circuit.exercises))
    gentler = alternatives(turn.catalog, cursor, painful, request, gentler=True)
    if cursor.finished:
        cursor = cursor.ended_early(PAIN)  # nothing left today but what hurt, unless the gentler one is taken
    turn.set_workout(cursor)
    area = area_name(turn, exercise.area)
    speech = Ssml().say(turn.line("pain.stop", name=exercise_name(turn, painful))).say(turn.line("pain.safety"))
    speech.say(spared_words(turn, part, taken))
    about = {"exercise": painful, "area": exercise.area, "gentler": gentler[0].id if gentler else None, "at": place}
    if gentler:
        question = turn.line("pain.offer", gentler=exercise_name(turn, gentler[0].id), area=area)
    elif cursor.finished:
        return stop_here(turn, speech, painful)
    else:
        question = turn.line("pain.offer_skip", area=area)
    return turn.reply(speech, question, question, ask=OFFER, about=about)


def spared_words(turn: Turn, part: str | None, taken: tuple[str, ...]) -> str:
    """One clause: what was taken out of the workout ahead to spare the part, or that today will spare it."""
    if part is None:
        return ""
    if not taken:
        return turn.line("pain.spare_today", part=part_name(turn, part))
    return turn.line("pain.spared", part=part_name(turn, part),
                     names=some(turn, [exercise_name(turn, e) for e in taken]))


def hurt_before_a_set(turn: Turn, cursor: Cursor | None, part: str | None) -> Response:
    """Pain before any set of the workout (or with none): stop, the safety line, and, with a sore part named, a
    plan that spares it: a workout not begun is built again without what loads it; one begun has it taken out of
    what is ahead."""
    said = turn.line("pain.stop_general") + " " + turn.line("pain.safety")
    if part is not None and cursor is not None and not cursor.done:
        circuit = cursor.circuit
        if loads_ahead(cursor, turn.catalog, frozenset({part})) or not all(
                turn.catalog[d].spares(frozenset({part})) for d in circuit.warmup):
            # The new circuit's introduction says, once, that it leaves out what loads the part.
            return offer(turn, plan_today(turn, circuit.areas if circuit.focus else ()), lead=said)
    taken: tuple[str, ...] = ()
    if part is not None and cursor is not None:
        cursor, taken = spare(cursor, turn.catalog, runner_request(turn))
    said += " " + spared_words(turn, part, taken)
    if cursor is not None and (turn.cut is not None or part is not None):
        # Cut into the warm-up or a count before any set: stop there, not carry on into what hurt.
        cursor = interruption.without_pause(cursor)
        if cursor.finished:
            return stop_here(turn, Ssml().say(said), None)
        turn.set_workout(cursor)
        return hand_back(turn, Ssml().say(said), cursor)
    return after_aside(turn, said)


def red_flag(turn: Turn, sign: str) -> Response:
    """More than soreness: the workout ends here, with a plain suggestion to get it looked at (never a diagnosis)."""
    key = "pain.urgent" if sign in URGENT else "pain.red_flag"
    speech = Ssml().say(turn.line(key, what=turn.line(f"pain.sign.{sign}")))
    cursor, painful = _what_hurt(turn)
    if cursor is not None and (cursor.started or cursor.done):
        if painful is not None:
            cursor = cursor.easing(painful, HURT)
        return sum_up(turn, speech, cursor.ended_early(PAIN))
    return turn.reply(speech.say(turn.line("goodbye")), end=True)


def cramp(turn: Turn) -> Response:
    """Stop, stretch it gently, carry on when it eases; a second cramp in a session ends the workout."""
    turn.state.cramps += 1
    cursor, _ = _what_hurt(turn) if interruption.in_work(turn.cut) else (turn.workout, None)
    if cursor is None or cursor.finished:
        return after_aside(turn, turn.line("pain.cramp_alone"))
    cursor = interruption.without_pause(cursor)
    if turn.state.cramps >= CRAMPS_TO_STOP and (cursor.started or cursor.done):
        return sum_up(turn, Ssml().say(turn.line("pain.cramp_again")), cursor.ended_early(PAIN))
    turn.set_workout(cursor)
    return hand_back(turn, Ssml().say(turn.line("pain.cramp")), cursor)


def stop_here(turn: Turn, speech: Ssml, painful: str | None) -> Response:
    """Nothing is left to do today but what hurt: the workout ends here, honestly (no praise for work not done),
    in the history as ended on pain; then whether to leave the exercise out for good."""
    cursor = turn.workout
    assert cursor is not None
    if painful is None:
        return sum_up(turn, speech, cursor.ended_early(PAIN))
    question = turn.line("pain.avoid_question", name=exercise_name(turn, painful))
    return sum_up(turn, speech, cursor.ended_early(PAIN), prompt=question, reprompt=question, ask=AVOID,
                  about={"exercise": painful})


def pain_answer(turn: Turn, choice: str) -> Response:
    """Act on the pain offer, then ask whether to leave the painful exercise out of future workouts."""
    painful, area, softer = turn.about.get("exercise", ""), turn.about.get("area", ""), turn.about.get("gentler")
    question = turn.line("pain.avoid_question", name=exercise_name(turn, painful))
    ask = {"prompt": question, "reprompt": question, "ask": AVOID, "about": {"exercise": painful}}
    cursor = turn.workout
    if choice == SKIP_AREA and area:
        return skip_area(turn, area, turn.line("pain.skipped", area=area_name(turn, area)), why=PAIN, **ask)
    if cursor is None:
        return turn.reply("", **ask)
    if choice == GENTLER and softer:
        changed = put_in(cursor, softer, int(turn.about.get("at", 0)), instead_of=painful)
        return tell_change(turn, changed, turn.line("pain.swapped", new=exercise_name(turn, softer)), **ask)
    if cursor.finished:
        return stop_here(turn, Ssml(), painful)
    return tell_change(turn, cursor, turn.line("pain.carry_on", name=exercise_name(turn, painful)), **ask)


def offer_taken(turn: Turn) -> Response:
    """Yes: with something gentler offered, take it; with only leaving the area out offered, do that."""
    return pain_answer(turn, GENTLER if turn.about.get("gentler") else SKIP_AREA)


def offer_declined(turn: Turn) -> Response:
    """No: carry on without the exercise that hurt (it is out of today's workout already)."""
    return pain_answer(turn, CARRY_ON)


def leave_area_out(turn: Turn) -> Response:
    return pain_answer(turn, SKIP_AREA)


def avoid_answer(turn: Turn, agreed: bool) -> Response:
    painful = turn.about.get("exercise", "")
    if agreed and painful in turn.catalog:
        turn.update_preferences(avoid=turn.record.preferences.avoid | {painful})
        said = turn.line("pain.avoided", name=exercise_name(turn, painful))
    else:
        said = turn.line("pain.not_avoided")
    cursor = turn.workout
    if cursor is not None and not cursor.finished:
        return hand_back(turn, Ssml().say(said), cursor)
    return turn.reply(said + " " + turn.line("goodbye"), end=True)


class FeelsFine(IntentHandler):
    """"It's fine now", said when not asked (the next session's question has its own answer, start.py)."""

    intents = ("FeelsFineIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return after_aside(turn, turn.line("pain.fine_unasked"))


HANDLERS = (Pain(), FeelsFine())
QUESTIONS = (
    # "Skip it" leaves the area out (rather than skipping one set); "something else", "an easier one" take the
    # gentler one.
    Question(OFFER, {YES: offer_taken, NO: offer_declined, "SkipIntent": leave_area_out,
                     "RemoveAreaIntent": leave_area_out, "SwapIntent": offer_taken, "EasierIntent": offer_taken},
             about=frozenset({"exercise"})),
    Question(AVOID, {YES: lambda turn: avoid_answer(turn, True), NO: lambda turn: avoid_answer(turn, False)},
             about=frozenset({"exercise"})),
)
