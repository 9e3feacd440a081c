"""Dead letters go back to the orders queue: sent first, deleted after, none lost."""

import uuid

import pytest

from ops.redrive import redrive, stage_queues


@pytest.fixture
def queues(local_aws):
    sqs = local_aws.client("sqs")
    suffix = uuid.uuid4().hex[:8]
    return sqs, sqs.create_queue(QueueName=f"dead-{suffix}")["QueueUrl"], sqs.create_queue(QueueName=f"target-{suffix}")["QueueUrl"]


def bodies(sqs, url: str) -> list[dict]:
    found = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get("Messages", []):
        for message in messages:
            found.append({"body": message["Body"], "type": message["MessageAttributes"]["type"]["StringValue"]})
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return found


def test_every_dead_letter_moves_with_its_attributes(queues):
    sqs, dead, target = queues
    for index in range(23):
        sqs.send_message(QueueUrl=dead, MessageBody=f"event-{index}", MessageAttributes={"type": {"DataType": "String", "StringValue": "OrderPlaced"}})
    assert redrive(sqs, dead, target) == (23, 0)
    moved = bodies(sqs, target)
    assert sorted(each["body"] for each in moved) == sorted(f"event-{index}" for index in range(23))
    assert {each["type"] for each in moved} == {"OrderPlaced"}
    assert bodies(sqs, dead) == []


class HalfBrokenSqs:
    """SQS whose sends fail for every other message of a batch."""

    def __init__(self, sqs) -> None:
        self._sqs = sqs

    def __getattr__(self, name: str):
        return getattr(self._sqs, name)

    def send_message_batch(self, QueueUrl: str, Entries: list[dict]) -> dict:  # the boto3 API
        sent = self._sqs.send_message_batch(QueueUrl=QueueUrl, Entries=Entries[::2])
        return {**sent, "Failed": [{"Id": entry["Id"], "Code": "InternalError", "SenderFault": False} for entry in Entries[1::2]]}


def test_a_message_whose_send_fails_stays_in_the_dead_letter_queue(queues):
    sqs, dead, target = queues
    for index in range(4):
        sqs.send_message(QueueUrl=dead, MessageBody=f"event-{index}", MessageAttributes={"type": {"DataType": "String", "StringValue": "OrderPlaced"}})
    assert redrive(HalfBrokenSqs(sqs), dead, target) == (2, 2)
    assert len(bodies(sqs, target)) == 2
    counts = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    # The two that failed to send are still there, held out of sight for a minute.
    assert sum(int(value) for value in counts["Attributes"].values()) == 2


class Stacks:
    def describe_stacks(self, StackName: str) -> dict:  # the boto3 API
        assert StackName == "pedidos-shared-prod"
        return {"Stacks": [{"Outputs": [{"OutputKey": "DeadLetterQueueUrl", "OutputValue": "dlq"}, {"OutputKey": "OrdersQueueUrl", "OutputValue": "q"}]}]}


def test_a_deployed_stage_is_found_from_its_stack_outputs():
    assert stage_queues(Stacks(), "prod") == ("dlq", "q")
