"""The storage test harness itself: dynalite speaks real DynamoDB semantics, the blackhole proves timeouts."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError

from tests.support import servers
from tests.support.servers import blackhole, dynalite_process, dynamodb_client, unique_table_name


def _port(endpoint: str) -> int:
    port = urlsplit(endpoint).port
    assert port is not None
    return port


def _refuses(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True


def test_unique_table_names_are_valid_and_distinct() -> None:
    names = {unique_table_name() for _ in range(100)}
    assert len(names) == 100
    assert all(name.startswith("runners-") and 3 <= len(name) <= 255 for name in names)


def test_dynamo_table_is_active_and_empty(dynamo_table: tuple[str, str]) -> None:
    endpoint, name = dynamo_table
    client = dynamodb_client(endpoint)
    table = client.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert client.scan(TableName=name)["Count"] == 0
    assert name in client.list_tables()["TableNames"]


def test_put_if_absent_succeeds_once(dynamo_table: tuple[str, str]) -> None:
    endpoint, name = dynamo_table
    client = dynamodb_client(endpoint)
    item = {"id": {"S": "runner-1"}, "version": {"N": "1"}}
    client.put_item(TableName=name, Item=item, ConditionExpression="attribute_not_exists(id)")
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        client.put_item(TableName=name, Item=item, ConditionExpression="attribute_not_exists(id)")


def test_conditional_update_rejects_a_stale_version(dynamo_table: tuple[str, str]) -> None:
    endpoint, name = dynamo_table
    client = dynamodb_client(endpoint)
    key = {"id": {"S": "runner-1"}}
    client.put_item(TableName=name, Item={**key, "version": {"N": "1"}, "streak": {"N": "0"}})

    def bump(expected: int, streak: int) -> None:
        client.update_item(
            TableName=name,
            Key=key,
            UpdateExpression="SET version = :next, streak = :streak",
            ConditionExpression="version = :v",
            ExpressionAttributeValues={
                ":v": {"N": str(expected)},
                ":next": {"N": str(expected + 1)},
                ":streak": {"N": str(streak)},
            },
        )

    bump(1, streak=5)
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        bump(1, streak=99)  # a writer that read version 1 before the first bump
    item = client.get_item(TableName=name, Key=key, ConsistentRead=True)["Item"]
    assert item["version"] == {"N": "2"}
    assert item["streak"] == {"N": "5"}


def test_blackhole_makes_the_client_time_out(blackhole_endpoint: str) -> None:
    config = Config(connect_timeout=0.5, read_timeout=0.5, retries={"mode": "standard", "total_max_attempts": 1})
    client = dynamodb_client(blackhole_endpoint, config)
    started = time.monotonic()
    with pytest.raises(ReadTimeoutError):
        client.list_tables()
    elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 3, elapsed  # connected, then waited for the read timeout, and no more


def test_blackhole_closes_its_port_on_exit() -> None:
    with blackhole() as endpoint:
        port = _port(endpoint)
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert _refuses(port)


def test_dynalite_process_is_gone_after_the_context() -> None:
    with dynalite_process() as server:
        assert server.process.poll() is None
        assert dynamodb_client(server.endpoint).list_tables()["TableNames"] == []
        port = _port(server.endpoint)
    assert server.process.poll() is not None
    assert _refuses(port)


def test_dynalite_retries_when_its_port_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        ports = iter([taken])
        real_free_port = servers.free_port
        monkeypatch.setattr(servers, "free_port", lambda: next(ports, None) or real_free_port())
        with dynalite_process() as server:
            assert _port(server.endpoint) != taken
            assert dynamodb_client(server.endpoint).list_tables()["TableNames"] == []
