"""What can go wrong in the domain, independent of HTTP or DynamoDB."""


class PedidosError(Exception):
    """Base of every expected, client-caused failure."""


class NotFound(PedidosError):
    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} does not exist")


class AlreadyExists(PedidosError):
    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"{kind} {key!r} already exists")


class VersionMismatch(PedidosError):
    """A change conditional on versions the resource is not at."""

    def __init__(self, kind: str, key: str, current: int) -> None:
        super().__init__(f"{kind} {key!r} is at version {current}, not one the change was conditional on; read it again")
        self.current = current


class InvalidTransition(PedidosError):
    def __init__(self, order_id: str, status: str, wanted: str) -> None:
        super().__init__(f"order {order_id!r} is {status} and cannot become {wanted}")
        self.status = status


class TotalTooLarge(PedidosError):
    """An order whose priced lines add up to more than an order may hold."""

    def __init__(self, total_cents: int, limit: int) -> None:
        super().__init__(f"the lines add up to {total_cents} cents; an order may hold at most {limit}")


class Contended(Exception):
    """The store refused the work for now, not for good: another transaction held an item this one
    needed (DynamoDB's TransactionConflict), or the table throttled it past the client's own retries.
    The same work may succeed a moment later. Not a ``PedidosError``: the caller did nothing wrong."""
