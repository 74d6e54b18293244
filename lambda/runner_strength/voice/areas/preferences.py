"""Preferences by voice: default rounds, equipment, level, rest, counting pace, cue detail, and a read-back."""

from __future__ import annotations

from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...speech import coach
from ...speech.ssml import Ssml
from ...training.builder import MAX_ROUNDS, MIN_ROUNDS, REST_CHOICES
from ...training.catalog import LEVELS
from ...training.record import CUE_STYLES, MAX_REST, MIN_REST, PACES
from ..conversation import slots
from ..conversation.questions import NO, YES, Question
from ..conversation.replies import after_aside
from ..conversation.turn import IntentHandler, Turn, intent_of
from ..conversation.words import area_names, equipment_name, exercise_name, known_equipment, some

REST_STEP = 15
REST_CHANGES = frozenset({"LONGER", "SHORTER"})


class SetRounds(IntentHandler):
    intents = ("SetRoundsIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        rounds, _ = slots.number(handler_input, "rounds")
        if rounds is None:
            return after_aside(turn, turn.line("prefs.rounds_unheard", most=MAX_ROUNDS))
        kept = min(max(rounds, MIN_ROUNDS), MAX_ROUNDS)
        turn.update_preferences(rounds=kept)
        line = "prefs.rounds" if kept == rounds else "prefs.rounds_clamped"
        return after_aside(turn, turn.line(line, rounds=turn.voice.amount("rounds", kept)))


class HaveEquipment(IntentHandler):
    """"I have a band", "I have dumbbells and a band", or no kit at all ("just bodyweight")."""

    intents = ("HaveEquipmentIntent", "NoEquipmentIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        said = [k for k in (slots.resolved(handler_input, name, slots.EQUIPMENT_IDS).id
                            for name in ("equipment", "secondEquipment")) if k]
        if intent_of(handler_input) == "NoEquipmentIntent" or "NONE" in said:
            turn.update_preferences(equipment=frozenset())
            return after_aside(turn, turn.line("prefs.bodyweight"))
        if not said:
            return after_aside(turn, known_equipment(turn))
        kit = [k.lower() for k in dict.fromkeys(said)]
        turn.update_preferences(equipment=turn.record.preferences.equipment | set(kit))
        names = turn.voice.listing([equipment_name(turn, k) for k in kit])
        # "I'll work it in" only when a move for it sits at the runner's level or below, where the builder picks
        # (training/builder.py); above it, only as the runner moves up.
        rank = LEVELS.index(turn.record.preferences.level)
        usable = any(e.equipment in kit and e.level_rank <= rank for e in turn.catalog.exercises.values())
        key = ("prefs.have_both" if len(kit) > 1 else "prefs.have") if usable else "prefs.have_later"
        return after_aside(turn, turn.line(key, equipment=names))


class SetLevel(IntentHandler):
    intents = ("SetLevelIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        level = slots.resolved(handler_input, "level", slots.LEVEL_IDS).id
        if level is None:
            return after_aside(turn, turn.line("prefs.level_unknown"))
        turn.update_preferences(level=level.lower())
        return after_aside(turn, turn.line("prefs.level", level=turn.line(f"level.{level.lower()}")))


class SetRest(IntentHandler):
    intents = ("SetRestIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        seconds, _ = slots.number(handler_input, "seconds")
        change = slots.resolved(handler_input, "change", REST_CHANGES).id
        current = turn.record.preferences.rest_seconds or (
            turn.workout.circuit.rest_seconds if turn.workout else REST_CHOICES[2])
        if seconds is None and change is None:
            return after_aside(turn, turn.line("prefs.rest_unheard", seconds=current))
        wanted = seconds if seconds is not None else current + (REST_STEP if change == "LONGER" else -REST_STEP)
        rest = min(max(wanted, MIN_REST), MAX_REST)
        turn.update_preferences(rest_seconds=rest)
        if turn.workout is not None:
            # The rest of today's workout uses it too.
            circuit = replace(turn.workout.circuit, rest_seconds=rest)
            turn.set_workout(replace(turn.workout, circuit=circuit))
        line = "prefs.rest" if rest == wanted else "prefs.rest_clamped"
        return after_aside(turn, turn.line(line, seconds=rest, low=MIN_REST, high=MAX_REST))


class ChoiceSetting(IntentHandler):
    """A setting chosen from a slot's values ("count slower", "brief cues"): the preference takes the value."""

    slot = ""
    field = ""
    ids: frozenset[str] = frozenset()  # the slot's ids: the setting's values, as the model writes them

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        value = slots.resolved(handler_input, self.slot, self.ids).id
        if value is None:
            return after_aside(turn, turn.line(f"prefs.{self.field}_unknown"))
        turn.update_preferences(**{self.field: value.lower()})
        return after_aside(turn, turn.line(f"prefs.{self.field}.{value.lower()}"))


class SetPace(ChoiceSetting):
    intents, slot, field = ("SetPaceIntent",), "pace", "pace"
    ids = frozenset(pace.upper() for pace in PACES)


class SetCueStyle(ChoiceSetting):
    intents, slot, field = ("SetCueStyleIntent",), "style", "cues"
    ids = frozenset(style.upper() for style in CUE_STYLES)


class Settings(IntentHandler):
    intents = ("SettingsIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        prefs = turn.record.preferences
        kit = turn.voice.listing([equipment_name(turn, e) for e in sorted(prefs.equipment)])
        ssml = Ssml().say(turn.line(
            "prefs.settings",
            level=turn.line(f"level.{prefs.level}"),
            equipment=kit or turn.line("equipment.none"),
            rounds=turn.voice.amount("rounds", prefs.rounds) if prefs.rounds else turn.line("prefs.rounds_auto"),
            rest=turn.line("prefs.rest_is", seconds=prefs.rest_seconds) if prefs.rest_seconds
            else turn.line("prefs.rest_auto"),
            pace=turn.line(f"pace.{prefs.pace}"),
            cues=turn.line(f"cues.{prefs.cues}"),
        ))
        if prefs.always_areas:
            ssml.say(turn.line("prefs.always", areas=area_names(turn, prefs.always_areas)))
        if prefs.avoid:
            names = [exercise_name(turn, e) for e in sorted(prefs.avoid) if e in turn.catalog]
            ssml.say(turn.line("prefs.avoided", names=some(turn, names)))
        choices = [turn.line("prefs.choice_variant", old=exercise_name(turn, old), new=exercise_name(turn, new))
                   for old, new in sorted(prefs.variants.items()) if old in turn.catalog and new in turn.catalog]
        choices += [turn.line("prefs.choice_dose", name=exercise_name(turn, e),
                              dose=coach.dose(turn.voice.text, turn.catalog[e].with_dose_steps(steps)).rstrip("."))
                    for e, steps in sorted(prefs.dose_steps.items()) if e in turn.catalog and steps]
        if choices:
            ssml.say(turn.line("prefs.choices", changes=some(turn, choices)))
        return after_aside(turn, ssml)


class Undo(IntentHandler):
    """"Undo that": the last change to what is remembered, put back."""

    intents = ("UndoIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        fields = turn.undo_preferences()
        if not fields:
            return after_aside(turn, turn.line("undo.nothing"))
        what = turn.voice.listing(list(dict.fromkeys(turn.line(f"undo.field.{f}") for f in fields)))
        return after_aside(turn, turn.line("undo.done", what=what))


RESET_CHOICES = "reset_choices"  # clear swaps, dose changes and left-out exercises?


class ResetChoices(IntentHandler):
    """"Reset my exercise choices": after a yes, every kept swap, dose change and left-out exercise goes."""

    intents = ("ResetChoicesIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        question = turn.line("reset.confirm")
        return turn.reply("", question, question, ask=RESET_CHOICES)


def reset_choices(turn: Turn) -> Response:
    turn.update_preferences(variants={}, dose_steps={}, avoid=frozenset())
    return after_aside(turn, turn.line("reset.done"))


def keep_choices(turn: Turn) -> Response:
    return after_aside(turn, turn.line("reset.kept"))


class HowItFelt(IntentHandler):
    """"About right", said when not asked: thanks, and how to change a move."""

    intents = ("HowItFeltIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        return after_aside(turn, turn.line("feel.unasked"))


HANDLERS = (SetRounds(), HaveEquipment(), SetLevel(), SetRest(), SetPace(), SetCueStyle(), Settings(), Undo(),
            ResetChoices(), HowItFelt())
QUESTIONS = (Question(RESET_CHOICES, {YES: reset_choices, NO: keep_choices}),)
