"""The pending-work index (GSI3): the orders the worker still owes a decision or a restock.

The API puts an order there when it accepts or cancels it; the worker takes it
out when it has decided or restocked it. The sweep reads it, oldest first, to
announce again the orders whose event never reached the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from pedidos.clock import rfc3339
from pedidos.data.keys import (
    AWAITING_DECISION,
    AWAITING_RESTOCK,
    PENDING_WORK_INDEX,
    PENDING_WORK_SHARDS,
    in_time_order,
    order_key,
    pending_work_shard,
)
from pedidos.data.table import from_attributes, is_condition_failure, to_attributes

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

__all__ = ["AWAITING_DECISION", "AWAITING_RESTOCK", "OWED_WORK_ATTRIBUTES", "OwedWork", "PendingWork"]

# What an order carries while the worker owes it work: its place in the index and the
# sweep's count of re-announcements. Deciding or restocking it removes them.
OWED_WORK_ATTRIBUTES = ("GSI3PK", "GSI3SK", "requeues")
# What the sweep reads of an owed order: announcing it again needs no more, and reading
# no more costs fewer read units than the whole item the index projects.
_ANNOUNCED_ATTRIBUTES = {"#id": "id", "#customer": "customer_id", "#correlation": "correlation_id", "#requeues": "requeues", "#since": "GSI3SK"}


@dataclass(frozen=True)
class OwedWork:
    """An order the worker still owes a decision or a restock: what announcing it again takes
    (its id, customer and the correlation id it came with), how many times the sweep has
    announced it again, and where the index held it when read, its shard and place (a later
    write checks it is still there). Never read as a whole order, so no one order's content can stop the sweep."""

    order_id: str
    customer_id: str
    correlation_id: str
    requeues: int
    index_key: str
    index_partition: str


class PendingWork:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def owed_work(self, awaiting: str, since_before: datetime, limit: int) -> list[OwedWork]:
        """Orders that have waited for the worker since before ``since_before``: at most ``limit``
        from each shard, each shard's oldest first."""
        owed = []
        for shard in range(PENDING_WORK_SHARDS):
            owed += self._owed_in(pending_work_shard(awaiting, shard), since_before, limit)
        return owed

    def _owed_in(self, partition: str, since_before: datetime, limit: int) -> list[OwedWork]:
        response = self._client.query(
            TableName=self._table,
            IndexName=PENDING_WORK_INDEX,
            KeyConditionExpression="GSI3PK = :awaiting AND GSI3SK < :cutoff",
            ProjectionExpression=", ".join(_ANNOUNCED_ATTRIBUTES),
            ExpressionAttributeNames=_ANNOUNCED_ATTRIBUTES,
            ExpressionAttributeValues=to_attributes({":awaiting": partition, ":cutoff": rfc3339(since_before)}),
            Limit=limit,
        )
        owed = []
        for item in response["Items"]:
            values = from_attributes(item)
            if not (values.get("id") and values.get("customer_id")):
                continue  # not an order: nothing to announce
            owed.append(
                OwedWork(
                    values["id"], values["customer_id"], values.get("correlation_id", "sweep"), values.get("requeues", 0), values["GSI3SK"], partition
                )
            )
        return owed

    def wait_again(self, owed: OwedWork, waiting_since: datetime) -> bool:
        """Counts ``owed`` as waiting since ``waiting_since`` and one more re-announcement.

        False, changing nothing, when the order has left the index or moved in it since it
        was read: the worker, or another sweep, got to it first.
        """
        try:
            self._client.update_item(
                TableName=self._table,
                Key=order_key(owed.order_id),
                UpdateExpression="SET GSI3SK = :since ADD requeues :one",
                ConditionExpression="GSI3PK = :awaiting AND GSI3SK = :read",
                ExpressionAttributeValues=to_attributes(
                    {":since": in_time_order(waiting_since, owed.order_id), ":one": 1, ":awaiting": owed.index_partition, ":read": owed.index_key}
                ),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True
