"""Assembles the skill: handlers in order, the interceptors that load and save the runner's record once,
and the exception handler as the last word. The store is injected."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response

from ..storage import RunnerStore
from ..training.catalog import load_catalog
from . import adjust, answers, guide, help_exit, preferences, privacy, progress, start
from .turn import LoadRecord, SaveRecord, Services

log = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 24 * 1024


class CheckSize(AbstractResponseInterceptor):
    """Logs a response that would exceed Alexa's 24 KB; the tests make sure none does."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        speech = response.output_speech.ssml if response and response.output_speech else ""
        session = handler_input.attributes_manager.session_attributes
        size = len(speech.encode()) + len(json.dumps(session).encode())
        if size > MAX_RESPONSE_BYTES - 2048:
            log.error("response is about %d bytes, close to Alexa's %d limit", size, MAX_RESPONSE_BYTES)


def build_skill(store: RunnerStore, services: Services | None = None,
                skill_id: str | None = None) -> CustomSkill:
    """The skill on `store`; `services` (catalog, clock, seeds) default to the real ones."""
    services = replace(services, store=store) if services else Services(catalog=load_catalog(), store=store)
    builder = CustomSkillBuilder(persistence_adapter=store)
    builder.skill_id = skill_id
    for handler in (
        start.Launch(), start.BuildCircuit(), start.ListAreas(), start.RotateFocus(), start.StartFresh(),
        *adjust.HANDLERS, *preferences.HANDLERS, *progress.HANDLERS,
        privacy.ForgetMe(), privacy.SkillDisabled(services),
        guide.Forward(), guide.Previous(), guide.Repeat(), guide.Skip(), guide.StartOver(), guide.Pause(),
        guide.HowManyLeft(), guide.Explain(),
        answers.Yes(), answers.No(),
        help_exit.Help(), help_exit.Stop(), help_exit.Fallback(), help_exit.SessionEnded(),
        help_exit.UnknownIntent(), help_exit.OtherRequest(),
    ):
        builder.add_request_handler(handler)
    builder.add_global_request_interceptor(LoadRecord(services))
    builder.add_global_response_interceptor(SaveRecord(services))
    builder.add_global_response_interceptor(CheckSize())
    builder.add_exception_handler(help_exit.Apologise())
    return builder.create()
