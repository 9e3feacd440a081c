"""Moves the orders' dead letters back to the orders queue, losing none.

Each batch is sent to the orders queue first and deleted from the dead-letter
queue only once SQS confirmed the send; a message whose send failed stays in
the dead-letter queue, visible again after a minute. Message attributes (type,
correlation id) travel with the body.

    python -m ops.redrive --stage prod [--region eu-west-1]   # a deployed stage (reads the shared stack's outputs)
    make redrive                                             # the local system of `make dev`
"""

import argparse
from typing import Any

_BATCH = 10
_HOLD_SECONDS = 60


def redrive(sqs: Any, dead_letter_url: str, target_url: str) -> tuple[int, int]:
    """Moves every message it can; returns (moved, left behind after a failed send)."""
    moved = failed = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=dead_letter_url,
            MaxNumberOfMessages=_BATCH,
            WaitTimeSeconds=1,
            VisibilityTimeout=_HOLD_SECONDS,
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return moved, failed
        sent = sqs.send_message_batch(
            QueueUrl=target_url,
            Entries=[
                {"Id": str(index), "MessageBody": message["Body"], "MessageAttributes": message.get("MessageAttributes", {})}
                for index, message in enumerate(messages)
            ],
        )
        delivered = [messages[int(entry["Id"])] for entry in sent.get("Successful", [])]
        if delivered:
            sqs.delete_message_batch(
                QueueUrl=dead_letter_url,
                Entries=[{"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]} for index, message in enumerate(delivered)],
            )
        moved += len(delivered)
        failed += len(sent.get("Failed", []))
        if sent.get("Failed"):
            # Those stay put (hidden for a minute); stop rather than spin on them.
            return moved, failed


def stage_queues(cloudformation: Any, stage: str) -> tuple[str, str]:
    """(dead-letter queue URL, orders queue URL) from the deployed shared stack's outputs."""
    [stack] = cloudformation.describe_stacks(StackName=f"pedidos-shared-{stage}")["Stacks"]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack["Outputs"]}
    return outputs["DeadLetterQueueUrl"], outputs["OrdersQueueUrl"]


def main() -> None:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", required=True)
    parser.add_argument("--region")
    arguments = parser.parse_args()
    session = boto3.session.Session(region_name=arguments.region)
    dead_letters, orders = stage_queues(session.client("cloudformation"), arguments.stage)
    moved, failed = redrive(session.client("sqs"), dead_letters, orders)
    print(f"moved {moved} message(s) from {dead_letters} to {orders}" + (f"; {failed} failed to send and stay" if failed else ""))
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
