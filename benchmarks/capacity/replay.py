"""Plays a sample of the synthetic day through Pedidos' real use cases, data access and worker rules.

The table is moto's, in process, created from shared's serverless.yml as the local
stack creates it; every DynamoDB request the code makes is counted by a
``CapacityLedger``. SQS sends are counted by a stand-in client (the worker is
called with the events directly, as SQS would deliver them).
"""

import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Unpack, cast

import boto3

from benchmarks.capacity.accounting import CapacityLedger
from benchmarks.capacity.load import (
    CATALOG_PAGES_PER_ORDER,
    FLASH_SALE_BUYERS,
    FLASH_SALE_SECONDS,
    ORDER_LISTINGS_PER_ORDER,
    ORDER_POLLS_PER_ORDER,
    PlannedOrder,
    Shoppers,
    sku_of,
    stock_buckets_for,
)
from devstack.provision import create_table
from infra.definitions import resolved_config
from pedidos.data import OrderRepository, ProductRepository
from pedidos.messaging import OrderEventPublisher
from pedidos.models import EventType, OrderEvent, PlaceOrderRequest, ProductRequest
from pedidos_api import catalog, ordering
from pedidos_api.identity import Principal
from pedidos_api.page_cache import PageCache
from pedidos_api.pagination import CursorCodec
from pedidos_worker import fulfilment

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient
    from types_boto3_sqs import SQSClient
    from types_boto3_sqs.type_defs import SendMessageRequestTypeDef

REGION = "eu-west-1"


class CountingSqs:
    """Takes the events the API sends; the replay hands them to the worker itself."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send_message(self, **request: "Unpack[SendMessageRequestTypeDef]") -> dict[str, str]:
        self.sent.append(request["MessageBody"])
        return {"MessageId": str(uuid.uuid4())}


@dataclass
class Durations:
    """Seconds each kind of function call took, by function."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    @contextmanager
    def timing(self, function: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.seconds[function].append(time.perf_counter() - started)



@dataclass
class Sample:
    """What a number of orders cost, counted."""

    orders: int
    ledger: CapacityLedger
    # The catalog pages' reads, counted apart: each reader instance keeps a page a while
    # (pedidos_api/page_cache.py), so only a share of them reach DynamoDB (report.py).
    listing: CapacityLedger
    events: int
    calls: Counter[str]
    # The products marked hot, and how many buckets hold each one's stock.
    stock_buckets: dict[str, int]


class Replay:
    def __init__(self) -> None:
        table = next(
            resource["Properties"]
            for resource in resolved_config("shared")["resources"]["Resources"].values()
            if resource["Type"] == "AWS::DynamoDB::Table" and resource["Properties"]["TableName"].endswith("-orders")
        )
        self.table_name = table["TableName"]
        self.indexes = {index["IndexName"]: index["KeySchema"][0]["AttributeName"] for index in table["GlobalSecondaryIndexes"]}
        self.projections = {
            index["IndexName"]: frozenset(
                ["PK", "SK", *(key["AttributeName"] for key in index["KeySchema"]), *index["Projection"].get("NonKeyAttributes", [])]
            )
            for index in table["GlobalSecondaryIndexes"]
            if index["Projection"]["ProjectionType"] != "ALL"
        }
        self._table_properties = table
        self.durations = Durations()

    def run(self, planned: list[PlannedOrder], flash_sale_buyers: int) -> tuple[Sample, Sample]:
        """The regular sample, and the flash sale's, each counted on its own."""
        from moto import mock_aws

        with mock_aws():
            client = boto3.client("dynamodb", region_name=REGION)
            create_table(client, self._table_properties)
            products = ProductRepository(client, self.table_name)
            # Only the products the sample names exist: the units a request costs depend on the
            # items it reads and writes, not on how many others share their partition. The hot
            # ones are split as an operator would, from the takes expected on each at the peak.
            shoppers, hot = Shoppers(), dict[str, int]()
            for sku in sorted({sku for order in planned for sku in (*order.lines, *order.read_skus)}):
                buckets = stock_buckets_for(shoppers.takes_per_second(sku))
                products.create(ProductRequest(sku=sku, name=f"Product {sku}", price_cents=1250, stock=1_000_000_000, stock_buckets=buckets))
                hot |= {sku: buckets} if buckets > 1 else {}
            regular = self._sample(client, planned, hot)
            sale = sku_of(0)
            sale_buckets = stock_buckets_for(FLASH_SALE_BUYERS / FLASH_SALE_SECONDS)
            products.create(ProductRequest(sku=sale, name="On sale", price_cents=999, stock=flash_sale_buyers, stock_buckets=sale_buckets))
            buyers = (PlannedOrder(f"buyer-{number}", {sale: 1}, False, ()) for number in range(flash_sale_buyers))
            flash = self._sample(client, buyers, hot | ({sale: sale_buckets} if sale_buckets > 1 else {}))
        return regular, flash

    def _sample(self, client: "DynamoDBClient", planned: Iterable[PlannedOrder], hot: dict[str, int]) -> Sample:
        counted = boto3.client("dynamodb", region_name=REGION)
        ledger = CapacityLedger(self.table_name, self.indexes, peek=client, projections=self.projections)
        ledger.attach(counted)
        listed = boto3.client("dynamodb", region_name=REGION)
        listing = CapacityLedger(self.table_name, self.indexes, peek=client, projections=self.projections)
        listing.attach(listed)
        orders, products = OrderRepository(counted, self.table_name), ProductRepository(counted, self.table_name)
        catalog_pages = ProductRepository(listed, self.table_name)
        unkept: PageCache = PageCache(0)  # every page read, to count what one read costs
        sqs = CountingSqs()
        # Stands in for the SQS client: the publisher calls send_message alone.
        publisher = OrderEventPublisher(cast("SQSClient", sqs), "https://sqs.eu-west-1.amazonaws.com/123456789012/orders")
        cursors = CursorCodec("capacity-replay-key-" + "x" * 32)
        calls: Counter[str] = Counter()
        played = 0

        def play(order: PlannedOrder) -> None:
            nonlocal played
            played += 1
            customer = Principal(order.customer)
            with self.durations.timing("reader"):
                after = None
                for _ in range(CATALOG_PAGES_PER_ORDER):
                    page = catalog.list_products(20, after, catalog_pages, cursors, unkept)
                    after = page.next_cursor
                for sku in order.read_skus:
                    catalog.get_product(sku, customer, products)
            with self.durations.timing("writer"):
                placed = ordering.place_order(
                    _request(order), customer, "capacity", orders=orders, publisher=publisher, currency="EUR"
                )
            with self.durations.timing("worker"):
                fulfilment.handle(_event(EventType.ORDER_PLACED, placed.id, order.customer), orders, products)
            with self.durations.timing("reader"):
                for _ in range(ORDER_POLLS_PER_ORDER):
                    ordering.get_order(placed.id, customer, orders)
                for _ in range(ORDER_LISTINGS_PER_ORDER):
                    ordering.list_orders(customer, None, None, 20, None, orders, cursors)
            calls["reader"] += CATALOG_PAGES_PER_ORDER + len(order.read_skus) + ORDER_POLLS_PER_ORDER + ORDER_LISTINGS_PER_ORDER
            calls["writer"] += 1
            calls["worker"] += 1
            if order.cancelled:
                with self.durations.timing("writer"):
                    ordering.cancel_order(placed.id, customer, "capacity", orders=orders, publisher=publisher)
                with self.durations.timing("worker"):
                    fulfilment.handle(_event(EventType.ORDER_CANCELLED, placed.id, order.customer), orders, products)
                calls["writer"] += 1
                calls["worker"] += 1

        for order in planned:
            play(order)
        return Sample(played, ledger, listing, len(sqs.sent), calls, hot)


def plan(orders: int) -> list[PlannedOrder]:
    shoppers = Shoppers()
    return [shoppers.order(number) for number in range(orders)]


def _request(order: PlannedOrder) -> PlaceOrderRequest:
    return PlaceOrderRequest.model_validate({"lines": [{"sku": sku, "quantity": quantity} for sku, quantity in order.lines.items()]})


def _event(kind: EventType, order_id: str, customer: str) -> OrderEvent:
    return OrderEvent(
        type=kind, event_id=str(uuid.uuid4()), order_id=order_id, customer_id=customer, occurred_at=datetime.now(UTC), correlation_id="capacity"
    )
