"""The floor we compare against: a hello-world skill on the same SDK, a launch handler and one intent handler,
nothing else (no storage, no interceptors)."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type


class Launch(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        speech = "Welcome. Say hello."
        return handler_input.response_builder.speak(speech).ask(speech).response


class Hello(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello.").set_should_end_session(False).response


builder = SkillBuilder()
builder.add_request_handler(Launch())
builder.add_request_handler(Hello())
lambda_handler = builder.lambda_handler()
