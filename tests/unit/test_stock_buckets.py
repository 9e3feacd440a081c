"""Choosing a hot product's bucket and splitting a take over its buckets (pedidos/data/stock.py)."""

from pedidos.data.keys import shard_of
from pedidos.data.stock import Take, home_bucket, home_take, shares, split, split_takes


def test_an_order_has_one_home_bucket_in_every_process():
    assert home_bucket("order-1", 8) == shard_of("order-1", 8) == home_bucket("order-1", 8)
    assert {home_bucket(f"order-{number}", 8) for number in range(200)} == set(range(8))


def test_a_take_the_home_bucket_covers_comes_from_it_alone():
    assert split(3, [5, 9, 3], home=2) == [0, 0, 3]


def test_a_take_the_home_bucket_cannot_cover_comes_from_the_fullest_bucket_that_can():
    assert split(4, [5, 9, 3], home=2) == [0, 4, 0]


def test_a_take_larger_than_any_bucket_is_split_over_the_fullest_buckets_first():
    assert split(12, [5, 9, 3], home=0) == [3, 9, 0]
    assert split(17, [5, 9, 3], home=0) == [5, 9, 3]


def test_a_take_larger_than_all_buckets_together_is_short():
    assert split(18, [5, 9, 3], home=1) is None


def test_stock_is_spread_evenly_over_the_buckets_and_adds_up():
    assert shares(10, 4) == [3, 3, 2, 2]
    assert shares(2, 4) == [1, 1, 0, 0]
    assert sum(shares(1_000_003, 8)) == 1_000_003


def test_an_orders_first_take_is_from_its_home_bucket_or_the_products_item():
    assert home_take("order-1", "A", 8, 2) == Take("A", home_bucket("order-1", 8), 2)
    assert home_take("order-1", "A", 1, 2) == Take("A", None, 2)


def test_split_takes_take_what_the_home_bucket_lacks_from_the_fullest_and_are_none_when_all_are_short():
    assert split_takes("A", 3, home=1, stocks=[2, 2, 0]) == (Take("A", 0, 2), Take("A", 1, 1))
    assert split_takes("A", 2, home=1, stocks=[2, 2, 0]) == (Take("A", 1, 2),)
    assert split_takes("A", 5, home=1, stocks=[2, 2, 0]) is None
