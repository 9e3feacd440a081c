"""Products in the table: create, read, list and change, each change versioned."""

from typing import Any

from pedidos.data.expressions import one_of, set_and_count
from pedidos.data.keys import CATALOG_INDEX, CATALOG_PARTITION, product_key, without_keys
from pedidos.data.table import ItemsPage, from_attributes, is_condition_failure, to_attributes
from pedidos.errors import AlreadyExists, NotFound, VersionMismatch
from pedidos.models import Product, ProductChanges, ProductRequest

_BATCH_GET_LIMIT = 100


def _product(item: dict[str, dict]) -> Product:
    return Product.model_validate(without_keys(from_attributes(item)))


class ProductRepository:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def create(self, request: ProductRequest) -> Product:
        product = Product(**request.model_dump(), version=1)
        item = {
            **from_attributes(product_key(product.sku)),
            "GSI4PK": CATALOG_PARTITION,
            "GSI4SK": product.sku,
            **product.model_dump(),
        }
        try:
            self._client.put_item(
                TableName=self._table,
                Item=to_attributes(item),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except Exception as error:
            if is_condition_failure(error):
                raise AlreadyExists("product", product.sku) from None
            raise
        return product

    def get(self, sku: str) -> Product:
        item = self._client.get_item(TableName=self._table, Key=product_key(sku), ConsistentRead=True).get("Item")
        if item is None:
            raise NotFound("product", sku)
        return _product(item)

    def get_many(self, skus: list[str], consistent: bool = True) -> dict[str, Product]:
        """The products that exist among ``skus``, by sku; strongly consistent unless told otherwise."""
        found: dict[str, Product] = {}
        for start in range(0, len(skus), _BATCH_GET_LIMIT):
            pending = {
                self._table: {"Keys": [product_key(sku) for sku in skus[start : start + _BATCH_GET_LIMIT]], "ConsistentRead": consistent}
            }
            while pending:
                response = self._client.batch_get_item(RequestItems=pending)
                for item in response["Responses"].get(self._table, []):
                    product = _product(item)
                    found[product.sku] = product
                pending = response.get("UnprocessedKeys") or {}
        return found

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
        """Apply ``changes``; with ``versions``, only if the product is at one of them."""
        update = set_and_count(changes.model_dump(exclude_unset=True))
        condition = "attribute_exists(PK)"
        if versions is not None:
            # No product is ever at version 0: an empty set matches none, and the failed
            # condition still tells a missing product (404) from another version (412).
            at_version, values = one_of("version", tuple(sorted(versions) or [0]), "v")
            condition += f" AND {at_version}"
            update["ExpressionAttributeValues"].update(values)
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=product_key(sku),
                ConditionExpression=condition,
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **update,
            )
        except Exception as error:
            if not is_condition_failure(error):
                raise
            if "Item" not in getattr(error, "response", {}):
                raise NotFound("product", sku) from None
            raise VersionMismatch("product", sku, _product(error.response["Item"]).version) from None
        return _product(response["Attributes"])
