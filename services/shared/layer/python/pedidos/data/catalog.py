"""Products in the table: create, read, list and change, each change versioned.

A hot product's stock is in buckets (``stock``): reading it reads them too, and an
administrator's change of its stock writes the product and every bucket in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from pedidos.data.expressions import one_of, set_and_count
from pedidos.data.keys import CATALOG_INDEX, CATALOG_PARTITION, product_key, stock_bucket_key, without_keys
from pedidos.data.stock import (
    TRANSACTION_ITEMS,
    Buckets,
    Take,
    bucket_item,
    home_bucket,
    home_take,
    read_bucket_stocks,
    read_buckets,
    read_layouts,
    shares,
    split_over,
    split_takes,
)
from pedidos.data.table import Item, ItemsPage, batch_get, from_attributes, is_condition_failure, item_at_refusal, to_attributes
from pedidos.errors import AlreadyExists, Contended, NotFound, VersionMismatch
from pedidos.models import Order, Product, ProductChanges, ProductRequest

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient
    from types_boto3_dynamodb.type_defs import (
        ConditionCheckTypeDef,
        PutTypeDef,
        TransactWriteItemTypeDef,
        UpdateTypeDef,
    )

# An administrator's change of a hot product is conditional on every bucket it read; a
# confirmation between the read and the write makes it read and try again.
_SPLIT_CHANGE_ATTEMPTS = 8
# Reads of an order's products, when an administrator keeps splitting or joining one's stock.
_LAYOUT_READS = 3


def _product(item: Item, buckets: Buckets | None = None) -> Product:
    values = without_keys(from_attributes(item))
    if buckets is not None:
        values |= {"stock": buckets.stock, "version": values["version"] + buckets.moves}
    return Product.model_validate(values)


@dataclass(frozen=True)
class Offer:
    """A product as the worker decides one order of it: its price, and the takes that would reserve
    the order's quantity of it; None when the stock as read holds less, or when the takes split
    over buckets would not fit one transaction with the order's others."""

    price_cents: int
    takes: tuple[Take, ...] | None


def _within_one_transaction(offers: dict[str, Offer]) -> dict[str, Offer]:
    """``offers``, none of them split over buckets if their takes and the order would not fit one
    transaction together: without splits an order's takes are its lines, at most 50."""
    if 1 + sum(len(offer.takes or ()) for offer in offers.values()) <= TRANSACTION_ITEMS:
        return offers
    return {sku: Offer(offer.price_cents, None) if offer.takes and len(offer.takes) > 1 else offer for sku, offer in offers.items()}


class _Conflict(Exception):
    """A bucket or the product changed between an administrator's read and write."""


class ProductRepository:
    def __init__(self, client: DynamoDBClient, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create(self, request: ProductRequest) -> Product:
        product = Product(**request.model_dump(), version=1)
        item = {
            **from_attributes(product_key(product.sku)),
            "GSI4PK": CATALOG_PARTITION,
            "GSI4SK": product.sku,
            **product.model_dump(exclude={"stock"} if product.stock_buckets > 1 else set()),
        }
        put: PutTypeDef = {"TableName": self._table, "Item": to_attributes(item), "ConditionExpression": "attribute_not_exists(PK)"}
        try:
            if product.stock_buckets == 1:
                self._client.put_item(TableName=put["TableName"], Item=put["Item"], ConditionExpression=put["ConditionExpression"])
            else:
                buckets: list[TransactWriteItemTypeDef] = [
                    {"Put": {"TableName": self._table, "Item": bucket_item(product.sku, bucket, share)}}
                    for bucket, share in enumerate(shares(product.stock, product.stock_buckets))
                ]
                self._client.transact_write_items(TransactItems=[{"Put": put}, *buckets])
        except ClientError as error:
            codes = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if is_condition_failure(error) or codes[:1] == ["ConditionalCheckFailed"]:
                raise AlreadyExists("product", product.sku) from None
            raise
        return product

    def get(self, sku: str, consistent: bool = True) -> Product:
        """The product, strongly consistent unless told otherwise; NotFound when there is none.

        An eventually consistent read that finds nothing is asked again strongly: a product
        added a moment ago may not have reached the replica it asked.
        """
        item = self._client.get_item(TableName=self._table, Key=product_key(sku), ConsistentRead=consistent).get("Item")
        if item is None:
            if not consistent:
                return self.get(sku)
            raise NotFound("product", sku)
        return self._with_stock([item], consistent)[sku]

    def get_many(self, skus: list[str], consistent: bool = True) -> dict[str, Product]:
        """The products that exist among ``skus``, by sku; strongly consistent unless told otherwise."""
        return self._with_stock(self._items(skus, consistent), consistent)

    def offers_for(self, order: Order, consistent: bool) -> dict[str, Offer]:
        """The products of ``order`` that exist, by sku, each with its price and the takes that would
        reserve the order's quantity of it (None when the stock read holds less).

        Eventually consistent, only the order's home bucket of a hot product is read: each
        bucket is then read by the orders whose home it is, not by all of them, for half a
        unit. Strongly consistent, all of its buckets are read, and a quantity its home
        bucket lacks is split over the others. The takes are conditional, so a stale read
        costs the worker another round, never stock; and a strong read that finds a hot
        product short is made again if an administrator split or joined its stock between
        the read of its item and of its buckets, which were then not the ones holding it.
        """
        for _ in range(_LAYOUT_READS):
            layouts, offers = self._offers(order, consistent)
            short = [sku for sku, offer in offers.items() if offer.takes is None and layouts[sku] > 1]
            if not consistent or not short or read_layouts(self._client, self._table, short, consistent=True) == {sku: layouts[sku] for sku in short}:
                return offers
        raise Contended(f"the stock layout of {', '.join(short)} kept changing while order {order.id} was read")

    def _offers(self, order: Order, consistent: bool) -> tuple[dict[str, int], dict[str, Offer]]:
        """The offers, and how many buckets held each product's stock as its item was read."""
        quantities = order.quantities
        products = {values["sku"]: values for values in map(from_attributes, self._items(list(quantities), consistent))}
        layouts = {sku: split_over(values) for sku, values in products.items()}
        wanted = [
            (sku, bucket)
            for sku, buckets in layouts.items()
            if buckets > 1
            for bucket in (range(buckets) if consistent else (home_bucket(order.id, buckets),))
        ]
        read = read_bucket_stocks(self._client, self._table, wanted, consistent)
        offers = {}
        for sku, values in products.items():
            quantity, first = quantities[sku], home_take(order.id, sku, layouts[sku], quantities[sku])
            takes: tuple[Take, ...] | None = None
            if (values["stock"] if first.bucket is None else read[(sku, first.bucket)]) >= quantity:
                takes = (first,)
            elif consistent and first.bucket is not None:
                takes = split_takes(sku, quantity, first.bucket, [read[(sku, bucket)] for bucket in range(layouts[sku])])
            offers[sku] = Offer(values["price_cents"], takes)
        return layouts, _within_one_transaction(offers)

    def _items(self, skus: list[str], consistent: bool) -> list[Item]:
        return batch_get(self._client, self._table, [product_key(sku) for sku in skus], consistent)

    def _with_stock(self, items: list[Item], consistent: bool) -> dict[str, Product]:
        """The products ``items`` hold, by sku, a hot one's stock summed over its buckets (read with
        one BatchGetItem for all of them: a unit a bucket, half of one eventually consistent)."""
        values = {item["sku"]["S"]: from_attributes(item) for item in items}
        split = {sku: split_over(each) for sku, each in values.items() if split_over(each) > 1}
        buckets = read_buckets(self._client, self._table, split, consistent) if split else {}
        return {item["sku"]["S"]: _product(item, buckets.get(item["sku"]["S"])) for item in items}

    def list_page(self, limit: int, after_sku: str | None) -> ItemsPage[Product]:
        """Up to ``limit`` products by sku, after ``after_sku``; the page's last sku, if more may follow.

        The catalog index holds only the keys, so the page's products are read from the
        table: eventually consistent, as the index is, for half the read units.
        """
        condition, values = "GSI4PK = :catalog", {":catalog": CATALOG_PARTITION}
        if after_sku is not None:
            condition, values = condition + " AND GSI4SK > :after", {**values, ":after": after_sku}
        response = self._client.query(
            TableName=self._table,
            IndexName=CATALOG_INDEX,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=to_attributes(values),
            Limit=limit,
        )
        skus = [from_attributes(item)["GSI4SK"] for item in response["Items"]]
        found = self.get_many(skus, consistent=False)
        # A product is in the index only once it is in the table, and never leaves either; one
        # added a moment ago may not have reached the replica an eventual read asked.
        if missing := [sku for sku in skus if sku not in found]:
            found |= self.get_many(missing)
        return ItemsPage([found[sku] for sku in skus if sku in found], {"sku": skus[-1]} if "LastEvaluatedKey" in response else None)

    def change(self, sku: str, changes: ProductChanges, versions: frozenset[int] | None) -> Product:
        """Apply ``changes``; with ``versions``, only if the product is at one of them.

        A product whose stock is on its item, and stays there, is changed by one conditional
        update; one whose stock is or is to be in buckets by a transaction over all of them.
        """
        if changes.stock_buckets in (None, 1):
            try:
                return self._change_item(sku, changes, versions)
            except _Conflict:
                pass  # its stock is in buckets
        for _ in range(_SPLIT_CHANGE_ATTEMPTS):
            try:
                return self._change_split(sku, changes, versions)
            except _Conflict:
                continue
        raise Contended(f"product {sku}'s buckets kept changing during an administrator's change")

    def _change_item(self, sku: str, changes: ProductChanges, versions: frozenset[int] | None) -> Product:
        condition, values = "attribute_exists(PK) AND attribute_exists(stock)", None
        if versions is not None:
            # No product is ever at version 0: an empty set matches none, and the failed
            # condition still tells a missing product (404) from another version (412).
            at_version, values = one_of("version", tuple(sorted(versions) or [0]), "v")
            condition += f" AND {at_version}"
        update = set_and_count(changes.model_dump(exclude_unset=True), condition, values)
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=product_key(sku),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **update,
            )
        except Exception as error:
            if not is_condition_failure(error):
                raise
            found = item_at_refusal(error)
            if found is None:
                raise NotFound("product", sku) from None
            if "stock" not in found:
                raise _Conflict() from None
            raise VersionMismatch("product", sku, _product(found).version) from None
        return _product(response["Attributes"])

    def _change_split(self, sku: str, changes: ProductChanges, versions: frozenset[int] | None) -> Product:
        """One try at ``changes`` of a product whose stock is or is to be in buckets, conditional on the
        product and every bucket being as read; _Conflict when one changed since."""
        item = self._client.get_item(TableName=self._table, Key=product_key(sku), ConsistentRead=True).get("Item")
        if item is None:
            raise NotFound("product", sku)
        values = from_attributes(item)
        was_over = split_over(values)
        buckets = read_buckets(self._client, self._table, {sku: was_over}, consistent=True)[sku] if was_over > 1 else None
        current = _product(item, buckets)
        if versions is not None and current.version not in versions:
            raise VersionMismatch("product", sku, current.version)
        fields = changes.model_dump(exclude_unset=True)
        over = fields.get("stock_buckets", was_over)
        restock = "stock" in fields or over != was_over
        stock = fields.pop("stock", current.stock)
        # Writing the buckets starts their move counts again: the product's item takes the version.
        version = current.version + 1 if restock else values["version"] + 1
        if over == 1:
            fields["stock"] = stock
        names = {f"#{name}": name for name in fields}
        item_values = {f":{name}": value for name, value in fields.items()} | {":version": version, ":read": values["version"]}
        update: UpdateTypeDef = {
            "TableName": self._table,
            "Key": product_key(sku),
            "UpdateExpression": "SET " + ", ".join([*(f"#{name} = :{name}" for name in fields), "version = :version"])
            + (" REMOVE stock" if over > 1 else ""),
            "ConditionExpression": "version = :read",
            "ExpressionAttributeValues": to_attributes(item_values),
        }
        if names:
            update["ExpressionAttributeNames"] = names
        writes: list[TransactWriteItemTypeDef] = [{"Update": update}]
        read_versions = buckets.versions if buckets is not None else ()
        if restock:
            new_shares = shares(stock, over) if over > 1 else []
            for bucket in range(max(len(new_shares), len(read_versions))):
                condition, condition_values = _as_read(read_versions[bucket] if bucket < len(read_versions) else None)
                if bucket < len(new_shares):
                    put: PutTypeDef = {"TableName": self._table, "Item": bucket_item(sku, bucket, new_shares[bucket]), "ConditionExpression": condition}
                    if condition_values:
                        put["ExpressionAttributeValues"] = condition_values
                    writes.append({"Put": put})
                else:
                    writes.append(
                        {"Delete": {"TableName": self._table, "Key": stock_bucket_key(sku, bucket), "ConditionExpression": condition,
                                    "ExpressionAttributeValues": condition_values}}
                    )
        elif versions is not None:
            # The If-Match names a version that counts the buckets' moves: none may have moved since.
            for bucket, read in enumerate(read_versions):
                condition, condition_values = _as_read(read)
                check: ConditionCheckTypeDef = {"TableName": self._table, "Key": stock_bucket_key(sku, bucket), "ConditionExpression": condition}
                if condition_values:
                    check["ExpressionAttributeValues"] = condition_values
                writes.append({"ConditionCheck": check})
        try:
            self._client.transact_write_items(TransactItems=writes)
        except ClientError as error:
            codes = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if "ConditionalCheckFailed" in codes or "TransactionConflict" in codes:
                raise _Conflict() from None
            raise
        return self.get(sku)


def _as_read(version: int | None) -> tuple[str, Item]:
    """The condition that a bucket is as an administrator's change read it (absent, or at ``version``), and its values."""
    if version is None:
        return "attribute_not_exists(PK)", {}
    return "version = :read", to_attributes({":read": version})
