"""From the counted sample to the target load: the hottest partition of the table and of each index,
the Lambda concurrency and the SQS requests a second, printed and plotted."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.capacity.accounting import Place
from benchmarks.capacity.load import (
    FLASH_SALE_BUYERS,
    FLASH_SALE_SECONDS,
    PEAK_ORDERS_PER_SECOND,
    SWEEP_EVERY_SECONDS,
    daily_share_of_peak,
    orders_per_day,
    sku_of,
)
from benchmarks.capacity.replay import Durations, Sample
from pedidos.data.keys import PENDING_WORK_INDEX, PENDING_WORK_SHARDS

WRITE_UNITS_PER_PARTITION = 1_000  # per second, per partition key: DynamoDB's hard per-partition limit
READ_UNITS_PER_PARTITION = 3_000
SQS_BATCH = 10  # the event source mapping's batch size
# The hottest partition key of each, measured by `make capacity` (2026-12-01): at 5b28b1e, before
# the pending-work index was sharded and the catalog moved to a keys-only index; at e072158,
# before the hot products' stock moved into buckets; at 5c5e6ca, while every decision and every
# product page read all of a hot product's buckets strongly consistent: (WCU/s, RCU/s).
BEFORE = {
    "GSI1 PRODUCTS (5b28b1e)": (22_817, 8_000),
    "GSI3 AWAITING_DECISION (5b28b1e)": (16_000, 0),
    "table PRODUCT#SKU-00001 (e072158)": (2_450, 2_874),
    "table PRODUCT#SKU-00001#STOCK#nn (5c5e6ca)": (306, 2_450),
}
# Indexes whose partition keys end in a hash shard, `<key>#<nn>`, and how many shards each has.
# The sample puts a few hundred orders in 64 shards, so its busiest shard is a sampling
# artefact; at 5,000 orders a second the hash spreads them evenly: each takes the mean.
SHARDED = {PENDING_WORK_INDEX: PENDING_WORK_SHARDS}


def _place_of(place: Place, stock_buckets: dict[str, int]) -> tuple[Place, float]:
    """Where ``place``'s units are reported, and the share of them reported there: a hot product's
    stock buckets at their mean too, each order's home bucket being a hash of its id."""
    product, marker, _ = place.partition.removeprefix("PRODUCT#").partition("#STOCK#")
    if place.target == "table" and marker:
        buckets = stock_buckets[product]
        return Place(place.target, f"PRODUCT#{product}#STOCK#* (each of {buckets})"), 1 / buckets
    shards = SHARDED.get(place.target)
    if shards is None:
        return place, 1.0
    family, _, shard = place.partition.rpartition("#")
    return (Place(place.target, f"{family}#* (each of {shards})"), 1 / shards) if shard.isdigit() else (place, 1.0)


@dataclass(frozen=True)
class HotPartition:
    target: str
    partition: str
    write_units_per_second: float
    read_units_per_second: float

    @property
    def over_limit(self) -> bool:
        return self.write_units_per_second > WRITE_UNITS_PER_PARTITION or self.read_units_per_second > READ_UNITS_PER_PARTITION


def listing_reach(concurrency: dict[str, float], page_seconds: float) -> float:
    """The share of catalog page requests at the peak that reach DynamoDB when each reader
    instance keeps a page ``page_seconds``: each instance reads each page the customers browse
    once per ``page_seconds``, where they request it from it ~``pages/instances`` times a second."""
    if page_seconds <= 0:
        return 1.0
    return min(1.0, concurrency["reader"] / (page_seconds * PEAK_ORDERS_PER_SECOND))


def rates_at_peak(regular: Sample, flash: Sample, reach: float = 1.0) -> dict[Place, tuple[float, float]]:
    """The write and read units a second of every partition key at the peak, with the flash sale on;
    ``reach`` of the catalog pages' reads reach DynamoDB."""
    sale_rate = FLASH_SALE_BUYERS / FLASH_SALE_SECONDS
    rates: dict[Place, list[float]] = {}
    for sample, orders_per_second in ((regular, PEAK_ORDERS_PER_SECOND), (flash, sale_rate)):
        for kind, counter, share in ((0, sample.ledger.writes, 1.0), (1, sample.ledger.reads, 1.0), (1, sample.listing.reads, reach)):
            for counted, units in counter.items():
                place, reported = _place_of(counted, sample.stock_buckets)
                rates.setdefault(place, [0.0, 0.0])[kind] += units / sample.orders * orders_per_second * share * reported
    return {place: (writes, reads) for place, (writes, reads) in rates.items()}


def at_peak(rates: dict[Place, tuple[float, float]]) -> list[HotPartition]:
    """The hottest partition key of the table and of each index, by its share of the nearer limit."""
    hottest: dict[str, HotPartition] = {}
    for place, (writes, reads) in rates.items():
        current = hottest.get(place.target)
        if current is None or max(writes / WRITE_UNITS_PER_PARTITION, reads / READ_UNITS_PER_PARTITION) > max(
            current.write_units_per_second / WRITE_UNITS_PER_PARTITION, current.read_units_per_second / READ_UNITS_PER_PARTITION
        ):
            hottest[place.target] = HotPartition(place.target, place.partition, writes, reads)
    return [hottest[target] for target in sorted(hottest)]


def most_popular_product(rates: dict[Place, tuple[float, float]]) -> list[HotPartition]:
    """The most popular product's own item and each of its stock buckets: every read of the product reads
    its item, and a bucket is read by the orders whose home it is and by what sums the buckets."""
    item = f"PRODUCT#{sku_of(1)}"
    return [
        HotPartition(place.target, place.partition, writes, reads)
        for place, (writes, reads) in sorted(rates.items(), key=lambda each: each[0].partition)
        if place.target == "table" and (place.partition == item or place.partition.startswith(f"{item}#STOCK#"))
    ]


@dataclass(frozen=True)
class SaleLimit:
    """What one confirmation writes on the product on sale, and so how many its items take a second."""

    write_units_per_confirmation: float  # on the product's item and its buckets together
    stock_buckets: int
    confirmations_per_second: float  # at the per-partition write limit of each of its items
    needed_per_second: float  # the sale's buyers over its minute


def sale_limit(flash: Sample) -> SaleLimit:
    sale = f"PRODUCT#{sku_of(0)}"
    buckets = flash.stock_buckets.get(sku_of(0), 1)
    units = sum(written for place, written in flash.ledger.writes.items() if place.target == "table" and place.partition.startswith(sale)) / flash.orders
    return SaleLimit(units, buckets, buckets * WRITE_UNITS_PER_PARTITION / units, FLASH_SALE_BUYERS / FLASH_SALE_SECONDS)


def lambda_concurrency(regular: Sample, durations: Durations) -> dict[str, float]:
    """Instances busy at the peak: the seconds each function spent per order in the replay, times orders a
    second. The replay's calls go to moto in process, not over a network to DynamoDB: an estimate of the
    function's own time, not of Lambda's billed duration."""
    return {function: sum(durations.seconds[function]) / regular.orders * PEAK_ORDERS_PER_SECOND for function in sorted(regular.calls)}


def sqs_requests_per_second(regular: Sample) -> dict[str, float]:
    events = regular.events / regular.orders * PEAK_ORDERS_PER_SECOND
    return {"SendMessage": events, "ReceiveMessage": events / SQS_BATCH, "DeleteMessageBatch": events / SQS_BATCH, "sweep Query": 2 / SWEEP_EVERY_SECONDS}


def write(
    rates: dict[Place, tuple[float, float]], concurrency: dict[str, float], sqs: dict[str, float], sale: SaleLimit, reach: float, folder: Path,
    hot_products: dict[str, int], cost: dict | None = None,
) -> Path:
    hot, popular = at_peak(rates), most_popular_product(rates)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "capacity.json").write_text(
        json.dumps(
            {"hot_partitions": [asdict(each) for each in hot], "most_popular_product": [asdict(each) for each in popular], "lambda_concurrency": concurrency, "sqs_per_second": sqs,
             "flash_sale": asdict(sale), "catalog_pages_reaching_dynamodb": reach, "stock_buckets": hot_products,
             "cost_per_million_orders": cost},
            indent=2,
        )
    )
    per_day = orders_per_day()
    print(f"\nThe day: {per_day:,.0f} orders, peaking at {PEAK_ORDERS_PER_SECOND:,} a second at 20:00")
    print(f"Hottest partition key at {PEAK_ORDERS_PER_SECOND:,} orders/s, with a flash sale of {FLASH_SALE_BUYERS:,} buyers in {FLASH_SALE_SECONDS} s")
    print(f"  limits per partition: {WRITE_UNITS_PER_PARTITION:,} WCU/s, {READ_UNITS_PER_PARTITION:,} RCU/s")
    for each in hot:
        flag = "  OVER" if each.over_limit else ""
        print(f"  {each.target:6} {each.partition[:44]:44} {each.write_units_per_second:>10,.0f} WCU/s {each.read_units_per_second:>10,.0f} RCU/s{flag}")
    print(f"  (catalog pages reaching DynamoDB past the readers' page cache: {reach:.1%})")
    print(f"  the most popular product, {sku_of(1)}: " + ", ".join(
        f"{each.partition.removeprefix(f'PRODUCT#{sku_of(1)}') or 'its item'} {each.write_units_per_second:,.0f} WCU/s {each.read_units_per_second:,.0f} RCU/s"
        for each in popular
    ))
    print("  before: " + ", ".join(f"{name} {writes:,} WCU/s {reads:,} RCU/s" for name, (writes, reads) in BEFORE.items()))
    print(f"\nThe flash sale's product, its stock in {sale.stock_buckets} bucket(s): {sale.write_units_per_confirmation:.2f} WCU a confirmation, so it "
          f"takes at most {sale.confirmations_per_second:,.0f} confirmations/s; the sale needs {sale.needed_per_second:,.0f}/s")
    if hot_products:
        print("  products marked hot (stock buckets): " + ", ".join(f"{sku} {buckets}" for sku, buckets in sorted(hot_products.items())))
    print("\nLambda concurrency at the peak (the replay's time in each function, against moto in process and with the")
    print("ledger's own reads around each write: an upper bound of the code's time, not Lambda's billed duration)")
    for function, instances in concurrency.items():
        print(f"  {function:8} {instances:>10,.0f}")
    print("\nSQS requests a second at the peak")
    for request, rate in sqs.items():
        print(f"  {request:20} {rate:>10,.1f}")
    return _plot(hot + [each for each in popular if each not in hot], folder / "capacity.png")


def _plot(hot: list[HotPartition], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (by_target, over_day) = plt.subplots(1, 2, figsize=(13, 4.8))
    labels = [f"{each.target}\n{each.partition[:18]}" for each in hot] + [f"before\n{name}" for name in BEFORE]
    writes = [each.write_units_per_second for each in hot] + [units for units, _ in BEFORE.values()]
    reads = [each.read_units_per_second for each in hot] + [units for _, units in BEFORE.values()]
    positions = range(len(labels))
    by_target.bar([p - 0.2 for p in positions], writes, 0.4, label="WCU/s")
    by_target.bar([p + 0.2 for p in positions], reads, 0.4, label="RCU/s")
    by_target.axvline(len(hot) - 0.5, color="grey", linewidth=0.8)
    by_target.axhline(WRITE_UNITS_PER_PARTITION, color="red", linestyle="--", label="1,000 WCU/s per partition")
    by_target.axhline(READ_UNITS_PER_PARTITION, color="purple", linestyle=":", label="3,000 RCU/s per partition")
    by_target.set_yscale("log")
    by_target.set_xticks(list(positions), labels, fontsize=6, rotation=35, ha="right")
    by_target.set_title(f"Hottest partition key at {PEAK_ORDERS_PER_SECOND:,} orders/s: now | before")
    by_target.legend(fontsize=7)
    hours = [hour / 4 for hour in range(97)]
    for each in hot:
        share = 100 * max(each.write_units_per_second / WRITE_UNITS_PER_PARTITION, each.read_units_per_second / READ_UNITS_PER_PARTITION)
        over_day.plot(hours, [share * daily_share_of_peak(hour) for hour in hours], label=f"{each.target} {each.partition[:28]}")
    over_day.axhline(100, color="red", linestyle="--", label="per-partition limit")
    over_day.axhline(50, color="grey", linestyle=":", label="half of it")
    over_day.set_xlabel("hour of the day")
    over_day.set_ylabel("% of the nearer per-partition limit (WCU or RCU)")
    over_day.set_title("Each hottest partition over the day")
    over_day.legend(fontsize=6)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    return path
