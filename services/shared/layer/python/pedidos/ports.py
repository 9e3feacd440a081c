"""The ports the use cases depend on: what they need of the table, the queue and the time.

``pedidos.data`` implements the stores on DynamoDB and ``pedidos.messaging`` the
publisher on SQS; the unit tests implement them in memory. Each use case takes the
narrowest port it needs (the API's and the worker's views of the orders differ), so a
fake holds only what its tests use. mypy checks both sides against the same
signatures: the real classes where the composition roots hand them to the use cases,
the fakes where they declare the port they implement.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from pedidos.data import ItemsPage, Offer, OwedWork, Take
from pedidos.models import EventType, Order, OrderLine, OrderStatus, Product, ProductChanges, ProductRequest, RejectionReason

# The current time, in UTC; ``pedidos.clock.utc_now`` unless a test passes its own.
Clock = Callable[[], datetime]


class OrderReader(Protocol):
    def get(self, order_id: str) -> Order:
        """The order, read strongly consistent; NotFound when there is none."""
        ...


class OrderStore(OrderReader, Protocol):
    """What the API does with orders: place, list and cancel them."""

    def create(self, order: Order, correlation_id: str) -> None: ...

    def list_for_customer(self, customer_id: str, status: OrderStatus | None, limit: int, after: dict[str, str] | None) -> ItemsPage[Order]:
        """A customer's orders, newest first, optionally of one status."""
        ...

    def cancel(self, order: Order, now: datetime) -> Order:
        """The order CANCELLED; InvalidTransition when its status may no longer become it."""
        ...


class OrderDecisionStore(OrderReader, Protocol):
    """What the worker does with orders: decide them, and give a cancelled one's stock back."""

    def confirm(self, order: Order, lines: list[OrderLine], total_cents: int, now: datetime, takes: list[Take]) -> bool:
        """Reserve the stock by ``takes`` and confirm; False when the order was decided already.

        Raises StockShortage when a take finds less stock than it needs by now, Contended when it cannot run for now.
        """
        ...

    def reject(self, order: Order, reason: RejectionReason, skus: list[str], now: datetime) -> bool:
        """Reject the order; False when it was decided already."""
        ...

    def release_stock(self, order: Order, now: datetime) -> bool:
        """Give the stock of a cancelled, once-confirmed order back, exactly once; False when nothing is owed."""
        ...


class ProductListing(Protocol):
    def list_page(self, limit: int, after_sku: str | None) -> ItemsPage[Product]:
        """Up to ``limit`` products by sku, after ``after_sku``; the page's last sku, if more may follow."""
        ...


class ProductStore(ProductListing, Protocol):
    """What the API does with the catalog: add, read, list and change products."""

    def create(self, request: ProductRequest) -> Product:
        """The new product at version 1; AlreadyExists when its sku is taken."""
        ...

    def get(self, sku: str, consistent: bool) -> Product:
        """The product; NotFound when there is none. Eventually consistent reads may be a moment behind."""
        ...

    def change(self, sku: str, changes: ProductChanges, versions: frozenset[int] | None) -> Product:
        """The changed product; with ``versions``, VersionMismatch unless it is at one of them."""
        ...


class ProductLookup(Protocol):
    """What the worker reads of the catalog to decide an order."""

    def offers_for(self, order: Order, consistent: bool) -> dict[str, Offer]:
        """The order's products that exist, by sku, with their prices and the takes that would reserve
        its quantities. Eventually consistent, what is read may be stale, and less of a hot
        product's stock is read: its takes then say None where a strong read might find it."""
        ...


class PendingWorkStore(Protocol):
    """The orders the worker still owes a decision or a restock, as the sweep reads and moves them."""

    def owed_work(self, awaiting: str, since_before: datetime, limit: int) -> list[OwedWork]:
        """Orders awaiting ``awaiting`` since before ``since_before``, oldest first."""
        ...

    def wait_again(self, owed: OwedWork, waiting_since: datetime) -> bool:
        """Count ``owed`` as waiting since ``waiting_since``; False when it moved since it was read."""
        ...


class EventPublisher(Protocol):
    """Hands an order's event to the worker."""

    def announce(self, kind: EventType, order_id: str, customer_id: str, correlation_id: str, now: datetime) -> None: ...
