"""The baseline worker function: the same DynamoDB work as Pedidos' worker, written the classic way.

Plain boto3 and json, no framework, no validation, no models, and only the
client it uses, created at import. It exists only to be measured against.
"""

import json
import os
from typing import TYPE_CHECKING

import boto3

if TYPE_CHECKING:  # for the checker alone: the function packages no stubs
    from types_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

dynamodb = boto3.client("dynamodb")
TABLE = os.environ["TABLE_NAME"]


def worker_handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            order_id = json.loads(record["body"])["order_id"]
            key = {"PK": {"S": f"ORDER#{order_id}"}, "SK": {"S": "ORDER"}}
            order = dynamodb.get_item(TableName=TABLE, Key=key, ConsistentRead=True)["Item"]
            if order["status"]["S"] != "PENDING":
                continue
            lines = [(line["M"]["sku"]["S"], int(line["M"]["quantity"]["N"])) for line in order["lines"]["L"]]
            keys = [{"PK": {"S": f"PRODUCT#{sku}"}, "SK": {"S": "PRODUCT"}} for sku, _ in lines]
            dynamodb.batch_get_item(RequestItems={TABLE: {"Keys": keys, "ConsistentRead": True}})
            stock_updates: list[TransactWriteItemTypeDef] = [
                {"Update": {"TableName": TABLE, "Key": {"PK": {"S": f"PRODUCT#{sku}"}, "SK": {"S": "PRODUCT"}},
                            "UpdateExpression": "SET stock = stock - :q", "ConditionExpression": "stock >= :q",
                            "ExpressionAttributeValues": {":q": {"N": str(quantity)}}}} for sku, quantity in lines
            ]
            dynamodb.transact_write_items(TransactItems=[
                {"Update": {"TableName": TABLE, "Key": key, "UpdateExpression": "SET #s = :c", "ConditionExpression": "#s = :p",
                            "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":c": {"S": "CONFIRMED"}, ":p": {"S": "PENDING"}}}},
                *stock_updates,
            ])
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
