"""The persistence contract the skill relies on: what voice/ may import from storage.

Every store keeps one item per runner (key from `keys.runner_key`) with a `version`: a save states the version
it read (`attributes["version"]`, 0 for a new runner) and fails with VersionConflict if the stored one moved
on, so the caller can re-read, merge and retry. A stored item comes back with its current `version`.

A request names its runner: the voice Alexa recognised (a household member), else the account. `as_runner` gives a
request naming another runner of the same account (the one a session began with, or the account itself), and
`person_id` the voice a request names: the only ways voice/ addresses a record.
"""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from .keys import as_runner, person_id

__all__ = ["DeletionFailed", "RunnerStore", "StoreConfigError", "VersionConflict", "as_runner", "expected_version",
           "person_id"]


class StoreConfigError(ValueError):
    """SKILL_STORE names a store that cannot be used."""


class VersionConflict(PersistenceException):
    """Someone else saved this runner's record since it was read."""


class DeletionFailed(PersistenceException):
    """Deleting a runner's data on the platform's request failed: the request must fail too, so that Alexa
    delivers it again, rather than be acknowledged with the data still there."""


class RunnerStore(AbstractPersistenceAdapter):
    """ask-sdk's get, save and delete on the version contract above, plus forgetting a whole account."""

    def forget_account(self, request_envelope: RequestEnvelope) -> None:
        """Delete the account's record and those of all its recognised household members."""
        raise NotImplementedError

    def household(self, request_envelope: RequestEnvelope) -> frozenset[str]:
        """The personIds listed on the request's account: every voice that has had a record of its own there, kept
        after that voice's "forget my data" until the account is forgotten."""
        raise NotImplementedError


def expected_version(attributes: dict) -> int:
    """The version a save states it read: 0 for a runner never saved."""
    version = attributes.get("version", 0)
    if not isinstance(version, int) or version < 0:
        raise PersistenceException(f"record version {version!r} is not a whole number")
    return version
