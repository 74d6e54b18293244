"""Starting out: the welcome (and picking up an unfinished workout), building a circuit by voice, and what
areas there are."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from ...speech.workout import SETUP, WARM_UP, Opening
from ...training.builder import MAX_ROUNDS, MIN_ROUNDS, Circuit, CircuitRequest
from ...training.catalog import AREAS, LEVELS, PARTS
from ...training.progression import LOG_LIMIT
from ...training.record import DEFAULT_LEVEL, SORE_TIMES_FOR_THERAPIST
from ...training.replan import spare
from ..conversation import slots, todays_run
from ..conversation.questions import KEEP_REQUEST, NO, YES, Question
from ..conversation.replies import ask_what_to_train, deliver, do_next_block, pick_up_point
from ..conversation.turn import IntentHandler, Turn
from ..conversation.words import area_names, part_name
from ..conversation.workout import new_workout_id, offer, plan_today, runner_request

# Coming back to an unfinished workout (from when its last response had been heard to the end): within a few
# minutes, "open Runner Strength" alone carries on (a runner who caught their breath and let the session end);
# within a couple of hours the place is offered; after that the runner is warmed up again before it (muscles have
# cooled); after a day, the workout is offered again from the top.
CARRY_ON_WITHIN = timedelta(minutes=10)
WARM_UP_AFTER = timedelta(hours=2)
STALE_AFTER = timedelta(hours=24)
RESUME = "resume"  # pick up the unfinished workout where it stopped?
RESUME_WARM = "resume_warm"  # warm up again, then pick up where it stopped?
REDO = "redo"  # do yesterday's unfinished workout again from the top?
SORE_CHECK = "sore_check"  # is the part that was sore lately still sore?
# The questions a launch asks about an unfinished workout.
PICK_UP = (RESUME, RESUME_WARM, REDO)
HOW_IT_FELT = "how_it_felt"  # how did the first session feel? (sets the level)
FELT_ASKED = "asked:how_it_felt"  # in the record's `told`: asked once
# How the first session felt, as a step from the level it was pitched at.
FELT_STEPS = {"EASY": 1, "RIGHT": 0, "HARD": -1}


def away_for(turn: Turn) -> timedelta:
    """How long since the runner last heard the workout (a day and more when that is not known)."""
    try:
        updated = datetime.fromisoformat(turn.record.workout_updated or "")
    except ValueError:
        return STALE_AFTER * 2
    return turn.now() - updated


class Launch(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        first_visit = not turn.record.welcomed
        turn.record = replace(turn.record, welcomed=True)
        cursor = turn.workout
        if cursor is not None and cursor.finished:
            turn.finish_workout(cursor)  # its last response was heard: it is over
            turn.state.summed_up = cursor = None
        if cursor is not None and (cursor.started or cursor.paused):
            away = away_for(turn)
            if away > STALE_AFTER:
                return ask_about_sore(turn, then=REDO) or turn.reply(turn.line("welcome.redo"),
                                                                      turn.line("prompt.redo"), ask=REDO)
            place = pick_up_point(turn, cursor)
            if away <= CARRY_ON_WITHIN:
                return deliver(turn, Opening(SETUP), lead=turn.line("welcome.carry_on"))
            if away <= WARM_UP_AFTER:
                return turn.reply(turn.line("welcome.resume", place=place), turn.line("prompt.resume"), ask=RESUME)
            return turn.reply(turn.line("welcome.warm_again", place=place), turn.line("prompt.warm_again"),
                              ask=RESUME_WARM)
        if first_visit:
            return ask_what_to_train(turn, turn.line("welcome.first") + " " + turn.line("safety"))
        return ask_about_sore(turn) or ask_how_it_felt(turn) or ask_what_to_train(turn, turn.line("welcome.back"))


def ask_how_it_felt(turn: Turn) -> Response | None:
    """After a runner's first session, at a level the skill assumed, the next launch asks how it felt (a runner
    answers that better rested than out of breath at the end of it), until answered or a second session is done."""
    record = turn.record
    done = [s for s in record.history if s.done > 0]
    if len(done) != 1 or record.preferences.level != DEFAULT_LEVEL or FELT_ASKED in record.told:
        return None
    # Kept as asked once answered: asking costs no write (a launch reads and writes nothing), and a question left
    # unanswered is asked again until the second session.
    question = turn.line("feel.question")
    return turn.reply(turn.line("welcome.back"), question, question, ask=HOW_IT_FELT)


def felt(turn: Turn, feel: str | None) -> Response:
    """The answer: easy moves the runner up a level, hard down one, about right keeps it; then what to train."""
    turn.record = replace(turn.record, told=(*turn.record.told, FELT_ASKED)[-LOG_LIMIT:])
    if feel not in FELT_STEPS:
        return ask_what_to_train(turn)
    level = LEVELS[max(0, min(len(LEVELS) - 1, LEVELS.index(turn.record.preferences.level) + FELT_STEPS[feel]))]
    turn.update_preferences(level=level)
    key = "feel.same" if FELT_STEPS[feel] == 0 else "feel.changed"
    return ask_what_to_train(turn, turn.line(key, level=turn.line(f"level.{level}")))


def ask_about_sore(turn: Turn, then: str | None = None) -> Response | None:
    """At the first launch of a day within a few days of a sore part (training/record.py's SORE_DAYS), how it is;
    `then` is the question to go on to after the answer (a workout left unfinished a day ago: do it again?)."""
    turn.record = turn.record.sore_kept(turn.today)
    sore = turn.record.sore_to_ask(turn.today)
    if sore is None:
        return None
    question = turn.line("sore.check", part=part_name(turn, sore.part))
    return turn.reply(turn.line("welcome.back"), question, question, ask=SORE_CHECK,
                      about={"part": sore.part, "then": then})


def after_sore_check(turn: Turn, said: str) -> Response:
    if turn.about.get("then") == REDO and turn.workout is not None:
        return turn.reply(said + " " + turn.line("sore.then_redo"), turn.line("prompt.redo"), ask=REDO)
    return ask_what_to_train(turn, said)


def still_sore(turn: Turn) -> Response:
    """Still sore: spared today (one more session in a row); the third in a row hears the therapist suggestion."""
    part = turn.about.get("part", "")
    if part not in PARTS:
        return after_sore_check(turn, "")
    named = (slots.resolved(turn.input, "bodyPart", slots.PART_IDS).id or "").lower()
    if named in PARTS and named != part:  # "my hip's still sore" when asked about the knee: both are spared
        turn.record = turn.record.feeling_sore(named, turn.today)
    turn.record = turn.record.feeling_sore(part, turn.today)
    said = turn.line("sore.still", part=part_name(turn, part))
    times = turn.record.sore_times(part)
    if times >= SORE_TIMES_FOR_THERAPIST:
        said += " " + turn.line("sore.therapist", times=times)
    return after_sore_check(turn, said)


def feels_fine(turn: Turn) -> Response:
    turn.record = turn.record.feeling_fine(turn.about.get("part", ""))
    return after_sore_check(turn, turn.line("sore.fine"))


def _equipment(owned: frozenset[str], said: str | None) -> frozenset[str]:
    """What a circuit may use: the runner's kit plus what they named; "no equipment" means none today."""
    if said == "NONE":
        return frozenset()
    return owned | {said.lower()} if said else owned


def _circuit_request(turn: Turn, handler_input: HandlerInput,
                     areas: tuple[str, ...]) -> tuple[CircuitRequest, dict, str]:
    """The runner's request from the slots, on top of their settings, what it named beyond them (for this
    workout only, unless the runner later says to remember it), and what to say of a piece of kit or a level it
    named that this version does not know (or nothing)."""
    base = plan_today(turn, areas)
    rounds, _ = slots.number(handler_input, "rounds")
    minutes, _ = slots.number(handler_input, "minutes")
    said_kit = slots.resolved(handler_input, "equipment", slots.EQUIPMENT_IDS)
    said_level = slots.resolved(handler_input, "level", slots.LEVEL_IDS)
    equipment, level = said_kit.id, said_level.id.lower() if said_level.id else None
    unknown = " ".join(turn.line(key, heard=said.heard)
                       for key, said in (("build.unknown_kit", said_kit), ("build.unknown_level", said_level))
                       if said.unknown)
    request = replace(
        base,
        rounds=rounds if rounds is not None or minutes is not None else base.rounds,
        minutes=minutes,
        equipment=_equipment(base.equipment, equipment),
        level=level or base.level,
        first=base.first and not level,  # a level named is the runner's choice
    )
    named: dict = {}
    if equipment and equipment != "NONE" and equipment.lower() not in base.equipment:
        named["equipment"] = equipment.lower()
    if level and level != base.level:
        named["level"] = level
    if rounds is not None and request.minutes is None and MIN_ROUNDS <= rounds <= MAX_ROUNDS \
            and rounds != base.rounds:
        named["rounds"] = rounds
    return request, named, unknown


class BuildCircuit(IntentHandler):
    intents = ("BuildCircuitIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        # Today's running said with the request ("a glute workout, I have a long run tomorrow") is kept first, as
        # TodaysRunIntent keeps it, so that the circuit spares the legs.
        news = todays_run.heard(handler_input, turn.today)
        if news is not None:
            todays_run.keep(turn, news)
        said = [slots.resolved(handler_input, name, slots.AREA_IDS) for name in ("area", "secondArea")]
        unknown = next((s for s in said if s.unknown), None)
        if unknown:
            return ask_what_to_train(turn, turn.line("area.unknown", heard=unknown.heard, areas=area_names(turn)))
        request, named, unknown = _circuit_request(turn, handler_input, tuple(s.id for s in said if s.id))
        lead = todays_run.before_circuit(turn, news) if news is not None else ""
        if unknown:  # "a kettlebell circuit", with no kettlebell move: said, not silently left out
            lead = _after(unknown, lead)
        return offer(turn, request, lead, named)


def _after(first: str, lead: str | Callable[[Circuit], str]) -> Callable[[Circuit], str]:
    return lambda circuit: " ".join(filter(None, (first, lead(circuit) if callable(lead) else lead)))


class RotateFocus(IntentHandler):
    """"Surprise me": a focus on the two areas trained least over the last week."""

    intents = ("RotateFocusIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        lately = turn.record.sessions_since(turn.today)
        worked = Counter(a for s in lately for a in s.areas)
        rng = random.Random(turn.services.seed())
        areas = tuple(sorted(AREAS, key=lambda a: (worked[a], rng.random()))[:2])
        # Why these two: the least trained lately, or, with no workout lately to go on, a pick (no history claimed).
        key = "rotate.lead" if lately else "rotate.lead_fresh"
        lead = turn.line(key, areas=area_names(turn, areas))
        request, named, _ = _circuit_request(turn, handler_input, areas)
        return offer(turn, request, lead, named)


def start_fresh(turn: Turn) -> Response:
    turn.set_workout(None)
    return ask_what_to_train(turn, turn.line("no.fresh"))


class StartFresh(IntentHandler):
    intents = ("StartFreshIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        return start_fresh(Turn.of(handler_input))


class ListAreas(IntentHandler):
    intents = ("ListAreasIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return ask_what_to_train(turn, turn.line("areas.list", areas=area_names(turn)))


def redo(turn: Turn) -> Response:
    """Yesterday's unfinished workout again from the top, as a new entry: that day's sets stay in the history."""
    if turn.workout is not None:
        # Without anything that loads a part sore today (taken out then, or sore since).
        cursor, _ = spare(turn.workout.start_over(), turn.catalog, runner_request(turn))
        if cursor.finished:
            return start_fresh(turn)
        turn.set_workout(cursor, workout_id=new_workout_id(turn))
    return do_next_block(turn)


def pick_up(turn: Turn) -> Response:
    """Yes to "pick up there?": what is next and how to set up, and go."""
    return deliver(turn, Opening(SETUP))


def warm_up_and_pick_up(turn: Turn) -> Response:
    """Yes to "warm up again, then pick up there?"."""
    return deliver(turn, Opening(WARM_UP))


def keep_request(turn: Turn) -> Response:
    """Yes to "want me to remember that for next time?" after a workout built with one-off choices."""
    named, prefs = turn.about, turn.record.preferences
    turn.update_preferences(
        equipment=prefs.equipment | ({named["equipment"]} if named.get("equipment") else set()),
        level=named.get("level") or prefs.level,
        rounds=named.get("rounds") or prefs.rounds,
    )
    return turn.reply(turn.line("keep.done"), end=True)


def just_today(turn: Turn) -> Response:
    return turn.reply(turn.line("keep.declined"), end=True)


HANDLERS = (Launch(), BuildCircuit(), RotateFocus(), StartFresh(), ListAreas())
QUESTIONS = (
    Question(KEEP_REQUEST, {YES: keep_request, NO: just_today}),
    Question(RESUME, {YES: pick_up, NO: start_fresh}),
    Question(RESUME_WARM, {YES: warm_up_and_pick_up, NO: start_fresh}),
    Question(REDO, {YES: redo, NO: start_fresh}),
    # "Easy" / "too easy" (HarderIntent), "hard" / "too hard" (EasierIntent), "about right" / "fine" (YesIntent).
    Question(HOW_IT_FELT, {"HowItFeltIntent": lambda turn: felt(turn, slots.resolved(turn.input, "feel",
                                                                                     FELT_STEPS).id),
                           "HarderIntent": lambda turn: felt(turn, "EASY"),
                           "EasierIntent": lambda turn: felt(turn, "HARD"),
                           YES: lambda turn: felt(turn, "RIGHT")}),
    # "Is it still sore?": yes, or pain said again, keeps it spared; no, or "it's fine now", clears it.
    Question(SORE_CHECK, {YES: still_sore, "PainIntent": still_sore, "StillSoreIntent": still_sore, NO: feels_fine,
                          "FeelsFineIntent": feels_fine}, about=frozenset({"part"})),
)
