"""The synthetic day the capacity replay plays: who orders what, how often, and what else they read.

Every figure here is an assumption, stated once, so that the report can be read
against it and a different shop can change it.
"""

import bisect
import itertools
import math
import random
from dataclasses import dataclass

PRODUCTS = 10_000
# Catalog popularity: the k-th most popular product is ordered in proportion to 1/k**s.
ZIPF_EXPONENT = 1.0
PEAK_ORDERS_PER_SECOND = 5_000
CANCELLED_SHARE = 0.01
# Lines per order 1-5 (mean 2.2), units per line 1-3.
LINE_COUNTS, LINE_COUNT_WEIGHTS = (1, 2, 3, 4, 5), (40, 25, 15, 12, 8)
# What a customer does around one order, in the console (SPEC, Console): catalog pages
# browsed, product pages opened, polls of the order until decided, one look at "my orders".
CATALOG_PAGES_PER_ORDER = 3
PRODUCT_READS_PER_ORDER = 2
ORDER_POLLS_PER_ORDER = 3
ORDER_LISTINGS_PER_ORDER = 1
# The flash sale: one product, 20,000 buyers in one minute, one unit each, on top of the peak.
FLASH_SALE_BUYERS = 20_000
FLASH_SALE_SECONDS = 60
# An operator marks a product hot (`stock_buckets`, pedidos/data/stock.py) when the writes
# expected on its stock pass half of one partition's 1,000 WCU/s, and splits its stock into
# buckets of ~30% of it each: a transactional take of an item under 1 KB is 2 WCU.
PARTITION_WRITE_UNITS = 1_000
HOT_SHARE_OF_PARTITION = 0.5
BUCKET_SHARE_OF_PARTITION = 0.3
WRITE_UNITS_PER_TAKE = 2
# The sweep runs every 2 minutes and reads both pending-work partitions once.
SWEEP_EVERY_SECONDS = 120


def daily_share_of_peak(hour: float) -> float:
    """Orders a second at ``hour`` (0-24), as a share of the peak: a quiet night, a bump at
    lunch, the peak at 20:00."""
    from_evening = min(abs(hour - 20), 24 - abs(hour - 20))  # hours, around the clock
    evening = math.exp(-(from_evening**2) / (2 * 2.5**2))
    lunch = 0.35 * math.exp(-((hour - 13) ** 2) / (2 * 1.5**2))
    return min(1.0, 0.08 + 0.92 * max(evening, lunch))


def orders_per_day() -> float:
    """The day's orders under ``daily_share_of_peak``, minute by minute."""
    return sum(PEAK_ORDERS_PER_SECOND * daily_share_of_peak(minute / 60) * 60 for minute in range(24 * 60))


@dataclass(frozen=True)
class PlannedOrder:
    customer: str
    lines: dict[str, int]  # sku -> quantity
    cancelled: bool
    read_skus: tuple[str, ...]  # products the customer opened before ordering


def sku_of(rank: int) -> str:
    return f"SKU-{rank:05d}"


def stock_buckets_for(takes_per_second: float) -> int:
    """The buckets an operator splits a product's stock into, from the takes a second expected on it."""
    units = takes_per_second * WRITE_UNITS_PER_TAKE
    if units <= HOT_SHARE_OF_PARTITION * PARTITION_WRITE_UNITS:
        return 1
    return math.ceil(units / (BUCKET_SHARE_OF_PARTITION * PARTITION_WRITE_UNITS))


class Shoppers:
    """Orders drawn from the load model, reproducibly."""

    def __init__(self, seed: int = 7) -> None:
        self._random = random.Random(seed)
        weights = [1 / rank**ZIPF_EXPONENT for rank in range(1, PRODUCTS + 1)]
        self._cumulative = list(itertools.accumulate(weights))

    def product(self) -> str:
        point = self._random.random() * self._cumulative[-1]
        return sku_of(bisect.bisect_left(self._cumulative, point) + 1)

    def order(self, number: int) -> PlannedOrder:
        line_count = self._random.choices(LINE_COUNTS, LINE_COUNT_WEIGHTS)[0]
        skus: dict[str, int] = {}
        while len(skus) < line_count:
            skus.setdefault(self.product(), self._random.randint(1, 3))
        return PlannedOrder(
            customer=f"customer-{number:07d}",
            lines=skus,
            cancelled=self._random.random() < CANCELLED_SHARE,
            read_skus=tuple(self.product() for _ in range(PRODUCT_READS_PER_ORDER)),
        )

    def top_product_share(self) -> float:
        """The share of ordered lines that name the most popular product."""
        return 1 / self._cumulative[-1]

    def takes_per_second(self, sku: str) -> float:
        """The stock takes a second expected on ``sku`` at the peak: its share of the ordered lines."""
        rank = int(sku.removeprefix("SKU-"))
        mean_lines = sum(count * weight for count, weight in zip(LINE_COUNTS, LINE_COUNT_WEIGHTS, strict=True)) / sum(LINE_COUNT_WEIGHTS)
        return PEAK_ORDERS_PER_SECOND * mean_lines * (1 / rank**ZIPF_EXPONENT) / self._cumulative[-1]
