"""The registry of pending questions.

An area registers each question it asks with its answers, keyed by intent: a yes and a no, and any other
intent that answers it ("skip it" to the pain offer, "give me something else" to it). A reply that asks a
question stores its name, what it is about and its prompt in the session; on the next request
AnswerPending takes any intent the pending question lists, so every other handler declines it
(turn.IntentHandler). Asides (help, explain, settings, a mumble) keep the question and ask it again
(replies.after_aside).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from ...training.catalog import AREAS, EQUIPMENT, PARTS, Catalog
from .session import ONE_OFFS
from .turn import Turn, intent_of

YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"
# Asked by the kernel itself (replies.after_aside) when a built workout waits to start; the guide answers it.
READY = "ready"
# Asked by the kernel at a workout's finish (replies.finish): remember what the build request named?
KEEP_REQUEST = "keep_request"

Answer = Callable[[Turn], Response]


@dataclass(frozen=True)
class Question:
    name: str
    answers: Mapping[str, Answer]  # by intent name
    about: frozenset[str] = frozenset()  # what it is about that its answers cannot do without (see askable)


def registry(questions: Iterable[Question]) -> dict[str, Question]:
    """Questions by name; a name registered twice is a mistake in the assembly."""
    by_name: dict[str, Question] = {}
    for question in questions:
        if question.name in by_name:
            raise ValueError(f"question {question.name!r} is registered twice")
        by_name[question.name] = question
    return by_name


def askable(question: Mapping[str, Any], answers: Mapping[str, frozenset[str]], catalog: Catalog,
            needs: Mapping[str, frozenset[str]]) -> bool:
    """Whether a question the session carries back is one this version asks (`answers`: the registry's answer
    intents by question), about things it knows, with what its answers need (`needs`: Question.about by question).
    What a question is about is read by its answers as the areas wrote it: the exercise that hurt, the gentler one
    offered and where it goes, its area, a sore part, the question to go on to, a piece of kit, and what a build
    request named beyond the settings."""
    def exercise(value: object) -> bool:
        return isinstance(value, str) and value in catalog

    checks: dict[str, Callable[[object], bool]] = {
        "exercise": exercise,
        "gentler": lambda v: v is None or exercise(v),
        "at": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
        "area": lambda v: isinstance(v, str) and v in AREAS,
        "part": lambda v: isinstance(v, str) and v in PARTS,
        "then": lambda v: v is None or (isinstance(v, str) and v in answers),
        "kit": lambda v: isinstance(v, str) and v in EQUIPMENT and v != "none",
        **ONE_OFFS,
    }
    name, about = question.get("name"), question.get("about") or {}
    return name in answers and needs.get(name, frozenset()) <= about.keys() \
        and all(k in checks and checks[k](v) for k, v in about.items())


def answer_intents(questions: Mapping[str, Question]) -> dict[str, frozenset[str]]:
    """What the Turn needs to know of the registry: the intents that answer each question."""
    return {name: frozenset(question.answers) for name, question in questions.items()}


def answer_needs(questions: Mapping[str, Question]) -> dict[str, frozenset[str]]:
    """What each question's answers need it to be about."""
    return {name: question.about for name, question in questions.items() if question.about}


class AnswerPending(AbstractRequestHandler):
    """An intent that answers the pending question: the question is taken off the session (so what the
    answer says next is not mistaken for it), then the answer its owner registered runs."""

    def __init__(self, questions: Mapping[str, Question]) -> None:
        self.questions = questions

    def can_handle(self, handler_input: HandlerInput) -> bool:
        turn = Turn.maybe(handler_input)
        question = self.questions.get(turn.pending or "") if turn else None
        return question is not None and intent_of(handler_input) in question.answers

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = Turn.of(handler_input)
        question = self.questions[turn.pending or ""]
        turn.answering, turn.state.question = turn.state.question, None
        answer = question.answers[intent_of(handler_input) or ""]
        return answer(turn)
