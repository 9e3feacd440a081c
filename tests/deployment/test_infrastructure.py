"""What the services' definitions must keep true, read from the definitions themselves."""

import pytest

from devstack.dev_secrets import secrets_env
from infra.definitions import resolved_config


@pytest.fixture(scope="module")
def shared() -> dict:
    return resolved_config("shared")


@pytest.fixture(scope="module")
def worker() -> dict:
    return resolved_config("worker", env=secrets_env())


def resources_of(config: dict, kind: str) -> dict[str, dict]:
    return {name: each["Properties"] for name, each in config["resources"]["Resources"].items() if each["Type"] == kind}


def test_the_queue_outlasts_six_worker_timeouts_and_dead_letters_after_five_receives(shared, worker):
    queue = resources_of(shared, "AWS::SQS::Queue")["OrdersQueue"]
    assert queue["VisibilityTimeout"] >= 6 * worker["functions"]["processOrders"]["timeout"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 5
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["OrdersDeadLetterQueue", "Arn"]}


def test_the_worker_reports_partial_batch_failures(worker):
    [event] = worker["functions"]["processOrders"]["events"]
    assert event["sqs"]["functionResponseType"] == "ReportBatchItemFailures"


def test_the_worker_is_capped_at_a_concurrency_sqs_accepts(worker):
    """The cap (docs/capacity.md, "The flash sale") must lie in the event source mapping's range,
    2-1000, or only a deploy would find out."""
    [event] = worker["functions"]["processOrders"]["events"]
    assert 2 <= event["sqs"]["maximumConcurrency"] <= 1000
