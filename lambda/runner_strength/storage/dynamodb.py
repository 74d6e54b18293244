"""The production store: one DynamoDB item per runner, written with conditional puts on a version number.

Item: `id` (partition key), `data` (the record as JSON), `version` (number), `updated` (ISO time), and on an
account's item `members` (string set of household person ids), which outlives the account's own record until
the account is forgotten as a whole. Endpoint and region come from the standard
AWS variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION). The client is made on first use, never at import.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from .contract import RunnerStore, VersionConflict, expected_version
from .keys import account_key, household_keys, person_id, runner_key

# Short timeouts and one retry, so a storage problem costs at most about 2.5 s of Alexa's 8 s: with
# standard retries the wait between the two attempts is up to 1 s.
CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 0.75
MAX_ATTEMPTS = 2


def client_config() -> Any:
    """The botocore config every client of the runner table uses: these timeouts and retries (tests and the soak
    put it between a client and their fault proxy, so they see what production sees)."""
    from botocore.config import Config

    return Config(connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT,
                  retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS})


def region_from(env: Mapping[str, str]) -> str | None:
    """AWS_REGION (set by Lambda, and the variable our contract names), else AWS_DEFAULT_REGION."""
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None


class DynamoStore(RunnerStore):
    def __init__(self, table: str, client: Any = None, region: str | None = None) -> None:
        self.table = table
        self.region = region
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            region = self.region or region_from(os.environ)
            self._client = boto3.session.Session(region_name=region).client("dynamodb", config=client_config())
        return self._client

    def _call(self, operation: str, **kwargs: Any) -> dict:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, operation)(TableName=self.table, **kwargs)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise VersionConflict(f"{operation}: the record changed since it was read") from err
            raise PersistenceException(f"DynamoDB {operation} on {self.table}: {err}") from err
        except BotoCoreError as err:
            raise PersistenceException(f"DynamoDB {operation} on {self.table}: {err}") from err

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        item = self._call("get_item", Key=_key(runner_key(request_envelope)), ConsistentRead=True).get("Item")
        if not item or "data" not in item:
            return {}
        return {**json.loads(item["data"]["S"]), "version": int(item["version"]["N"])}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        key, expected = runner_key(request_envelope), expected_version(attributes)
        values = {
            ":d": {"S": json.dumps({k: v for k, v in attributes.items() if k != "version"})},
            ":v": {"N": str(expected + 1)},
            ":u": {"S": datetime.now(UTC).isoformat()},
        }
        if expected == 0:
            person = person_id(request_envelope)
            if person:
                # Listed on the account before the member's own item exists, so that whatever happens in
                # between, disabling the skill finds every member's item.
                self._call("update_item", Key=_key(account_key(request_envelope)),
                           UpdateExpression="ADD members :p", ExpressionAttributeValues={":p": {"SS": [person]}})
            # An account item may exist already holding only its members list.
            condition, names = "attribute_not_exists(#v)", {}
        else:
            condition, names = "#v = :expected", {":expected": {"N": str(expected)}}
        # An update, not a put: a put would replace the account's members list.
        self._call("update_item", Key=_key(key), UpdateExpression="SET #d = :d, #v = :v, updated = :u",
                   ConditionExpression=condition, ExpressionAttributeNames={"#d": "data", "#v": "version"},
                   ExpressionAttributeValues={**values, **names})

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        """Delete the runner's record. An account's item that lists household members keeps the list (and
        nothing else), so that disabling the skill later still finds them."""
        key = _key(runner_key(request_envelope))
        try:
            self._call("delete_item", Key=key, ConditionExpression="attribute_not_exists(members)")
        except VersionConflict:
            self._call("update_item", Key=key, UpdateExpression="REMOVE #d, #v, updated",
                       ExpressionAttributeNames={"#d": "data", "#v": "version"})

    def forget_account(self, request_envelope: RequestEnvelope) -> None:
        for key in household_keys(request_envelope, self.household(request_envelope)):
            self._call("delete_item", Key=_key(key))
        self._call("delete_item", Key=_key(account_key(request_envelope)))

    def household(self, request_envelope: RequestEnvelope) -> frozenset[str]:
        item = self._call("get_item", Key=_key(account_key(request_envelope)), ConsistentRead=True,
                          ProjectionExpression="members").get("Item") or {}
        return frozenset(item.get("members", {}).get("SS", []))


def _key(key: str) -> dict[str, dict[str, str]]:
    return {"id": {"S": key}}
