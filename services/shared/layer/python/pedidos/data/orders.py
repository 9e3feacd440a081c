"""Orders in the table, and the transactions that move stock with them.

Every status change is a conditional write, so concurrent or repeated work can
never apply a transition twice: the condition, not a prior read, decides.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from pedidos.clock import rfc3339
from pedidos.data.expressions import ConditionalUpdate, one_of, set_and_count
from pedidos.data.keys import (
    AWAITING_DECISION,
    AWAITING_RESTOCK,
    BY_OWNER_INDEX,
    BY_OWNER_STATUS_INDEX,
    in_time_order,
    order_key,
    owner_partition,
    pending_work_partition,
    status_partition,
    without_keys,
)
from pedidos.data.pending_work import OWED_WORK_ATTRIBUTES
from pedidos.data.stock import TRANSACTION_ITEMS, Take, home_take, move, read_layouts
from pedidos.data.table import (
    Item,
    ItemsPage,
    from_attributes,
    is_condition_failure,
    item_at_refusal,
    last_key,
    start_key,
    to_attribute,
    to_attributes,
)
from pedidos.errors import Contended, InvalidTransition, NotFound
from pedidos.models import Order, OrderLine, OrderStatus, RejectionReason

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient
    from types_boto3_dynamodb.type_defs import TransactWriteItemTypeDef, UpdateTypeDef


class StockShortage(Exception):
    """A reservation found less stock than it needed (or no product) for these skus."""

    def __init__(self, skus: list[str]) -> None:
        super().__init__(f"not enough stock for {', '.join(skus)}")
        self.skus = skus


def _order(item: Item) -> Order:
    values = without_keys(from_attributes(item))
    return Order.model_validate({name: values[name] for name in Order.model_fields if name in values})


# Throttling past botocore's own retries, and the transaction conflicts it never retries.
_CONTENTION_CODES = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "TransactionConflictException"})
_CONTENTION_REASONS = frozenset({"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"})


def _cancellation_codes(error: ClientError) -> list[str]:
    return [reason.get("Code", "None") for reason in error.response.get("CancellationReasons", [])]


def _transact(client: DynamoDBClient, items: list[TransactWriteItemTypeDef]) -> None:
    """``TransactWriteItems``, with contention told apart from a refusal by the conditions."""
    try:
        client.transact_write_items(TransactItems=items)
    except ClientError as error:
        if error.response["Error"]["Code"] in _CONTENTION_CODES or _CONTENTION_REASONS & set(_cancellation_codes(error)):
            raise Contended(str(error)) from error
        raise


def _moves(table: str, takes: list[Take], giving: bool) -> list[TransactWriteItemTypeDef]:
    """One transaction item per take. Taking is conditional on the stock covering the quantity,
    so no interleaving of transactions can ever drive a stock below zero. A product's version
    counts one change a line, however many buckets the line's take spans."""
    counted: set[str] = set()
    items: list[TransactWriteItemTypeDef] = []
    for take in takes:
        items.append(move(table, take, giving, count_version=take.sku not in counted))
        counted.add(take.sku)
    return items


class OrderRepository:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create(self, order: Order, correlation_id: str) -> None:
        sort_key = in_time_order(order.created_at, order.id)
        item = {
            **from_attributes(order_key(order.id)),
            "GSI1PK": owner_partition(order.customer_id),
            "GSI1SK": sort_key,
            "GSI2PK": status_partition(order.customer_id, order.status),
            "GSI2SK": sort_key,
            "GSI3PK": pending_work_partition(AWAITING_DECISION, order.id),
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
            index, partition_attribute, partition = BY_OWNER_INDEX, "GSI1PK", owner_partition(customer_id)
        else:
            index, partition_attribute, partition = BY_OWNER_STATUS_INDEX, "GSI2PK", status_partition(customer_id, status)
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
                    order, OrderStatus.CANCELLED, now, {"GSI3PK": pending_work_partition(AWAITING_RESTOCK, order.id), "GSI3SK": in_time_order(now, order.id)},
                    remove=("requeues",),
                ),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            found = item_at_refusal(error)
            current = _order(found) if found is not None else self.get(order.id)
            raise InvalidTransition(order.id, current.status, OrderStatus.CANCELLED) from None
        return _order(response["Attributes"])

    def confirm(self, order: Order, lines: list[OrderLine], total_cents: int, now: datetime, takes: list[Take]) -> bool:
        """Reserve the stock by ``takes``, store the priced ``lines`` and total and confirm ``order``, all in one transaction.

        Returns False when the order was no longer PENDING (someone decided it already);
        raises StockShortage when a take finds less stock than it needs by now (or a
        product's stock moved between its item and its buckets since it was read, or the
        takes would not fit one transaction), and Contended when the transaction could not
        run for now.
        """
        if 1 + len(takes) > TRANSACTION_ITEMS:
            raise StockShortage(sorted({take.sku for take in takes if take.bucket is not None}))
        extra = {"lines": [line.model_dump(mode="json") for line in lines], "total_cents": total_cents, "confirmed_at": rfc3339(now)}
        confirm_order: UpdateTypeDef = {
            "TableName": self._table,
            "Key": order_key(order.id),
            **self._status_change(order, OrderStatus.CONFIRMED, now, extra, remove=OWED_WORK_ATTRIBUTES),
        }
        try:
            _transact(self._client, [{"Update": confirm_order}, *_moves(self._table, takes, giving=False)])
        except ClientError as error:
            codes = _cancellation_codes(error)
            if not codes:
                raise
            if codes[0] == "ConditionalCheckFailed":
                return False
            raise StockShortage(sorted({take.sku for take, code in zip(takes, codes[1:], strict=True) if code == "ConditionalCheckFailed"})) from None
        return True

    def reject(self, order: Order, reason: RejectionReason, skus: list[str], now: datetime) -> bool:
        """Reject ``order`` if it is still PENDING; False if it was decided already."""
        extra = {"rejection_reason": str(reason), "rejected_skus": skus}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=order_key(order.id),
                **self._status_change(order, OrderStatus.REJECTED, now, extra, remove=OWED_WORK_ATTRIBUTES),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def release_stock(self, order: Order, now: datetime) -> bool:
        """Give a cancelled, once-confirmed order's stock back, exactly once.

        Returns False when there is nothing to give back: the order was never
        confirmed, is not cancelled, or its stock was given back already; raises
        Contended when the transaction could not run for now.
        """
        mark_released: UpdateTypeDef = {
            "TableName": self._table,
            "Key": order_key(order.id),
            "UpdateExpression": "SET stock_released_at = :now REMOVE " + ", ".join(OWED_WORK_ATTRIBUTES),
            "ConditionExpression": "#status = :cancelled AND attribute_exists(confirmed_at) AND attribute_not_exists(stock_released_at)",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_attributes({":now": rfc3339(now), ":cancelled": str(OrderStatus.CANCELLED)}),
        }
        for consistent in (False, True):
            split_over = read_layouts(self._client, self._table, list(order.quantities), consistent)
            gives = [home_take(order.id, line.sku, split_over[line.sku], line.quantity) for line in order.lines]
            try:
                _transact(self._client, [{"Update": mark_released}, *_moves(self._table, gives, giving=True)])
            except ClientError as error:
                codes = _cancellation_codes(error)
                if codes and codes[0] == "ConditionalCheckFailed":
                    self._settle_nothing_to_release(order)
                    return False
                if "ConditionalCheckFailed" not in codes[1:] or consistent:
                    raise
                continue  # an administrator split or joined a product's stock since the layout was read
            return True
        raise AssertionError("unreachable")  # pragma: no cover

    def _settle_nothing_to_release(self, order: Order) -> None:
        """A cancelled order that was never confirmed, or was restocked already, is owed nothing more."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=order_key(order.id),
                UpdateExpression="REMOVE " + ", ".join(OWED_WORK_ATTRIBUTES),
                ConditionExpression="#status = :cancelled AND (attribute_not_exists(confirmed_at) OR attribute_exists(stock_released_at))",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_attributes({":cancelled": str(OrderStatus.CANCELLED)}),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    @staticmethod
    def _status_change(
        order: Order,
        status: OrderStatus,
        now: datetime,
        extra: dict[str, Any],
        remove: tuple[str, ...] = (),
    ) -> ConditionalUpdate:
        """The update that moves ``order`` to ``status``, conditional on a status the lifecycle moves it from."""
        fields = {"status": str(status), "updated_at": rfc3339(now), "GSI2PK": status_partition(order.customer_id, status), **extra}
        condition, values = one_of("#status", tuple(str(each) for each in OrderStatus.that_can_become(status)), "from")
        return set_and_count(fields, condition, values, remove)
