"""Orders in the table, and the transactions that move stock with them.

Every status change is a conditional write, so concurrent or repeated work can
never apply a transition twice: the condition, not a prior read, decides.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from pedidos.clock import rfc3339
from pedidos.data.catalog import product_key
from pedidos.data.table import (
    BY_OWNER_INDEX,
    BY_OWNER_STATUS_INDEX,
    PENDING_WORK_INDEX,
    ItemsPage,
    from_attributes,
    is_condition_failure,
    last_key,
    start_key,
    to_attribute,
    to_attributes,
    without_keys,
)
from pedidos.errors import InvalidTransition, NotFound
from pedidos.models import Order, OrderLine, OrderStatus, RejectionReason

AWAITING_DECISION = "AWAITING_DECISION"
AWAITING_RESTOCK = "AWAITING_RESTOCK"
# What an order carries while the worker owes it work: its place in the pending-work index
# and the sweep's count of re-announcements.
_PENDING_WORK = ("GSI3PK", "GSI3SK", "requeues")


@dataclass(frozen=True)
class OwedWork:
    """An order the worker still owes a decision or a restock: what announcing it again takes
    (its id, customer and the correlation id it came with), how many times the sweep has
    announced it again, and where the pending-work index held it when read (a later write
    checks it is still there). Never read as a whole order, so no one order's content can
    stop the sweep."""

    order_id: str
    customer_id: str
    correlation_id: str
    requeues: int
    index_key: str


# What the sweep reads of an owed order: announcing it again needs no more, and reading
# no more costs fewer read units than the whole item the index projects.
_OWED_WORK_ATTRIBUTES = {"#id": "id", "#customer": "customer_id", "#correlation": "correlation_id", "#requeues": "requeues", "#since": "GSI3SK"}


class StockShortage(Exception):
    """A reservation found less stock than it needed (or no product) for these skus."""

    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"not enough stock for {', '.join(skus)}")
        self.skus = skus


def order_key(order_id: str) -> dict[str, dict]:
    return to_attributes({"PK": f"ORDER#{order_id}", "SK": "ORDER"})


def _owner_partition(customer_id: str) -> str:
    return f"CUSTOMER#{customer_id}"


def _status_partition(customer_id: str, status: OrderStatus) -> str:
    return f"CUSTOMER#{customer_id}#{status}"


def _order(item: dict[str, dict]) -> Order:
    values = without_keys(from_attributes(item))
    return Order.model_validate({name: values[name] for name in Order.model_fields if name in values})


def _cancellation_codes(error: ClientError) -> list[str]:
    return [reason.get("Code", "None") for reason in error.response.get("CancellationReasons", [])]


class OrderRepository:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create(self, order: Order, correlation_id: str) -> None:
        sort_key = f"{rfc3339(order.created_at)}#{order.id}"
        item = {
            "PK": f"ORDER#{order.id}",
            "SK": "ORDER",
            "GSI1PK": _owner_partition(order.customer_id),
            "GSI1SK": sort_key,
            "GSI2PK": _status_partition(order.customer_id, order.status),
            "GSI2SK": sort_key,
            "GSI3PK": AWAITING_DECISION,
            "GSI3SK": sort_key,
            "correlation_id": correlation_id,
            **order.model_dump(mode="json", exclude_none=True),
        }
        self._client.put_item(
            TableName=self._table, Item=to_attributes(item), ConditionExpression="attribute_not_exists(PK)"
        )

    def get(self, order_id: str) -> Order:
        item = self._client.get_item(TableName=self._table, Key=order_key(order_id), ConsistentRead=True).get("Item")
        if item is None:
            raise NotFound("order", order_id)
        return _order(item)

    def list_for_customer(
        self, customer_id: str, status: OrderStatus | None, limit: int, after: dict[str, str] | None
    ) -> ItemsPage[Order]:
        """A customer's orders, newest first, optionally of one status."""
        if status is None:
            index, partition_attribute, partition = BY_OWNER_INDEX, "GSI1PK", _owner_partition(customer_id)
        else:
            index, partition_attribute, partition = BY_OWNER_STATUS_INDEX, "GSI2PK", _status_partition(customer_id, status)
        response = self._client.query(
            TableName=self._table,
            IndexName=index,
            KeyConditionExpression=f"{partition_attribute} = :partition",
            ExpressionAttributeValues={":partition": to_attribute(partition)},
            ScanIndexForward=False,
            Limit=limit,
            **start_key(after),
        )
        return ItemsPage([_order(item) for item in response["Items"]], last_key(response))

    def cancel(self, order: Order, now: datetime) -> Order:
        """Move ``order`` to CANCELLED if its current status may still become it."""
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=order_key(order.id),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **self._status_change(
                    order, OrderStatus.CANCELLED, now, {"GSI3PK": AWAITING_RESTOCK, "GSI3SK": f"{rfc3339(now)}#{order.id}"},
                    remove=("requeues",),
                ),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            current = _order(error.response["Item"]) if "Item" in error.response else self.get(order.id)
            raise InvalidTransition(order.id, current.status, OrderStatus.CANCELLED) from None
        return _order(response["Attributes"])

    def confirm(self, order: Order, lines: list[OrderLine], total_cents: int, now: datetime) -> bool:
        """Reserve the stock, store the priced ``lines`` and total and confirm ``order``, all in one transaction.

        Returns False when the order was no longer PENDING (someone decided it
        already); raises StockShortage when a product lacks the stock by now.
        """
        extra = {"lines": [line.model_dump(mode="json") for line in lines], "total_cents": total_cents, "confirmed_at": rfc3339(now)}
        confirm_order = {
            "TableName": self._table,
            "Key": order_key(order.id),
            **self._status_change(order, OrderStatus.CONFIRMED, now, extra, remove=_PENDING_WORK),
        }
        try:
            self._client.transact_write_items(TransactItems=[{"Update": confirm_order}, *self._stock_moves(order, take=True)])
        except ClientError as error:
            codes = _cancellation_codes(error)
            if not codes or "TransactionConflict" in codes:
                raise
            if codes[0] == "ConditionalCheckFailed":
                return False
            raise StockShortage(
                [line.sku for line, code in zip(order.lines, codes[1:], strict=True) if code == "ConditionalCheckFailed"]
            ) from None
        return True

    def reject(self, order: Order, reason: RejectionReason, skus: list[str], now: datetime) -> bool:
        """Reject ``order`` if it is still PENDING; False if it was decided already."""
        extra = {"rejection_reason": str(reason), "rejected_skus": skus}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=order_key(order.id),
                **self._status_change(order, OrderStatus.REJECTED, now, extra, remove=_PENDING_WORK),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def release_stock(self, order: Order, now: datetime) -> bool:
        """Give a cancelled, once-confirmed order's stock back, exactly once.

        Returns False when there is nothing to give back: the order was never
        confirmed, is not cancelled, or its stock was given back already.
        """
        mark_released = {
            "TableName": self._table,
            "Key": order_key(order.id),
            "UpdateExpression": "SET stock_released_at = :now REMOVE " + ", ".join(_PENDING_WORK),
            "ConditionExpression": "#status = :cancelled AND attribute_exists(confirmed_at) AND attribute_not_exists(stock_released_at)",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_attributes({":now": rfc3339(now), ":cancelled": str(OrderStatus.CANCELLED)}),
        }
        try:
            self._client.transact_write_items(TransactItems=[{"Update": mark_released}, *self._stock_moves(order, take=False)])
        except ClientError as error:
            codes = _cancellation_codes(error)
            if codes and codes[0] == "ConditionalCheckFailed" and "TransactionConflict" not in codes:
                self._settle_nothing_to_release(order)
                return False
            raise
        return True

    def _settle_nothing_to_release(self, order: Order) -> None:
        """A cancelled order that was never confirmed, or was restocked already, is owed nothing more."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=order_key(order.id),
                UpdateExpression="REMOVE " + ", ".join(_PENDING_WORK),
                ConditionExpression="#status = :cancelled AND (attribute_not_exists(confirmed_at) OR attribute_exists(stock_released_at))",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_attributes({":cancelled": str(OrderStatus.CANCELLED)}),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    def owed_work(self, awaiting: str, since_before: datetime, limit: int) -> list[OwedWork]:
        """Orders that have waited for the worker since before ``since_before``, oldest first."""
        response = self._client.query(
            TableName=self._table,
            IndexName=PENDING_WORK_INDEX,
            KeyConditionExpression="GSI3PK = :awaiting AND GSI3SK < :cutoff",
            ProjectionExpression=", ".join(_OWED_WORK_ATTRIBUTES),
            ExpressionAttributeNames=_OWED_WORK_ATTRIBUTES,
            ExpressionAttributeValues=to_attributes({":awaiting": awaiting, ":cutoff": rfc3339(since_before)}),
            Limit=limit,
        )
        owed = []
        for item in response["Items"]:
            values = from_attributes(item)
            if not (values.get("id") and values.get("customer_id")):
                continue  # not an order: nothing to announce
            owed.append(
                OwedWork(values["id"], values["customer_id"], values.get("correlation_id", "sweep"), values.get("requeues", 0), values["GSI3SK"])
            )
        return owed

    def wait_again(self, owed: OwedWork, awaiting: str, waiting_since: datetime) -> bool:
        """Counts ``owed`` as waiting since ``waiting_since`` and one more re-announcement.

        False, changing nothing, when the order has left the pending-work index or moved in
        it since it was read: the worker, or another sweep, got to it first.
        """
        try:
            self._client.update_item(
                TableName=self._table,
                Key=order_key(owed.order_id),
                UpdateExpression="SET GSI3SK = :since ADD requeues :one",
                ConditionExpression="GSI3PK = :awaiting AND GSI3SK = :read",
                ExpressionAttributeValues=to_attributes(
                    {":since": f"{rfc3339(waiting_since)}#{owed.order_id}", ":one": 1, ":awaiting": awaiting, ":read": owed.index_key}
                ),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def _stock_moves(self, order: Order, take: bool) -> list[dict[str, Any]]:
        """One transaction item per line: take its quantity from the product's stock, or give it back.

        Taking is conditional on the stock covering the quantity, so no
        interleaving of transactions can ever drive a stock below zero.
        """
        return [
            {
                "Update": {
                    "TableName": self._table,
                    "Key": product_key(line.sku),
                    "UpdateExpression": f"SET stock = stock {'-' if take else '+'} :quantity ADD version :one",
                    "ConditionExpression": "attribute_exists(PK)" + (" AND stock >= :quantity" if take else ""),
                    "ExpressionAttributeValues": to_attributes({":quantity": line.quantity, ":one": 1}),
                }
            }
            for line in order.lines
        ]

    @staticmethod
    def _status_change(
        order: Order,
        status: OrderStatus,
        now: datetime,
        extra: dict[str, Any],
        remove: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        """The update that moves ``order`` to ``status``, conditional on a status the lifecycle moves it from."""
        allowed_from = OrderStatus.that_can_become(status)
        fields = {
            "status": str(status),
            "updated_at": rfc3339(now),
            "GSI2PK": _status_partition(order.customer_id, status),
            **extra,
        }
        values: dict[str, Any] = {f":{name}": value for name, value in fields.items()}
        values[":one"] = 1
        values.update({f":from{position}": str(each) for position, each in enumerate(allowed_from)})
        return {
            "UpdateExpression": "SET "
            + ", ".join(f"#{name} = :{name}" for name in fields)
            + " ADD version :one"
            + (" REMOVE " + ", ".join(remove) if remove else ""),
            "ConditionExpression": "#status IN (" + ", ".join(f":from{position}" for position in range(len(allowed_from))) + ")",
            "ExpressionAttributeNames": {f"#{name}": name for name in fields},
            "ExpressionAttributeValues": to_attributes(values),
        }
