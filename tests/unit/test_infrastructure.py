"""What the services' definitions must keep true, read from the definitions themselves."""

import pytest

from devstack.dev_secrets import secrets_env
from devstack.serverless import resolved_config


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


def test_data_at_rest_is_encrypted_and_the_orders_table_recoverable(shared):
    for table in resources_of(shared, "AWS::DynamoDB::Table").values():
        assert table["SSESpecification"]["SSEEnabled"] is True
        assert table["BillingMode"] == "PAY_PER_REQUEST"
        assert table["TimeToLiveSpecification"]["Enabled"] is True
    assert resources_of(shared, "AWS::DynamoDB::Table")["OrdersTable"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
    for queue in resources_of(shared, "AWS::SQS::Queue").values():
        assert queue["SqsManagedSseEnabled"] is True


def test_real_stages_keep_the_orders_table_when_the_stack_goes():
    assert resolved_config("shared", stage="prod")["resources"]["Resources"]["OrdersTable"]["DeletionPolicy"] == "Retain"


def test_the_dead_letter_queue_is_alarmed(shared):
    alarm = resources_of(shared, "AWS::CloudWatch::Alarm")["DeadLetterQueueAlarm"]
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["OrdersDeadLetterQueue", "QueueName"]}}]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")
