"""Pages of a listing every caller reads alike, kept for a few seconds by each function instance.

The catalog's first pages are read by nearly every customer: at 5,000 orders a second,
15,000 pages a second, and every one of them would read the same index partition and the
same twenty product items, past what one partition key can serve (docs/capacity.md). Kept
for ``seconds``, a page costs DynamoDB one read per instance per ``seconds`` instead: its
stock may be that much older, on top of the index's own eventual consistency, and the
worker's conditional writes, not the listing, decide whether an order gets its stock.
"""

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class PageCache(Generic[T]):
    def __init__(self, seconds: float, capacity: int = 256, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._capacity = capacity  # cursors are unbounded: only the most recent pages are kept
        self._clock = clock
        self._pages: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()

    def get(self, key: Hashable, read: Callable[[], T]) -> T:
        """The page under ``key``: kept, if read less than ``seconds`` ago; else ``read()``, then kept."""
        if self._seconds <= 0:
            return read()
        now = self._clock()
        kept = self._pages.get(key)
        if kept is not None and now - kept[0] < self._seconds:
            return kept[1]
        page = read()
        self._pages[key] = (now, page)
        self._pages.move_to_end(key)
        while len(self._pages) > self._capacity:
            self._pages.popitem(last=False)
        return page
