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

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

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


def registry(questions: Iterable[Question]) -> dict[str, Question]:
    """Questions by name; a name registered twice is a mistake in the assembly."""
    by_name: dict[str, Question] = {}
    for question in questions:
        if question.name in by_name:
            raise ValueError(f"question {question.name!r} is registered twice")
        by_name[question.name] = question
    return by_name


def answer_intents(questions: Mapping[str, Question]) -> dict[str, frozenset[str]]:
    """What the Turn needs to know of the registry: the intents that answer each question."""
    return {name: frozenset(question.answers) for name, question in questions.items()}


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
