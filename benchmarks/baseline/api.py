"""The baseline API function: the same DynamoDB and SQS work as Pedidos' api, written the classic way.

Plain boto3 and json, no framework, no validation, no models: what a
hand-written Lambda would do, creating its clients at import. It exists only
to be measured against.
"""

import json
import os
import uuid
from datetime import UTC, datetime

import boto3

dynamodb = boto3.client("dynamodb")
sqs = boto3.client("sqs")
TABLE = os.environ["TABLE_NAME"]
QUEUE = os.environ["ORDERS_QUEUE_URL"]


def _response(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def api_handler(event, context):
    customer = event["requestContext"]["authorizer"]["customer_id"]
    method, path = event["httpMethod"], event["path"]
    if method == "POST" and path == "/orders":
        lines = json.loads(event["body"])["lines"]
        now = datetime.now(UTC).isoformat()
        order_id = str(uuid.uuid4())
        request_id = event["requestContext"]["requestId"]
        # The same item and event Pedidos writes, so either side can read the other's orders.
        item = {
            "PK": {"S": f"ORDER#{order_id}"}, "SK": {"S": "ORDER"},
            "GSI1PK": {"S": f"CUSTOMER#{customer}"}, "GSI1SK": {"S": f"{now}#{order_id}"},
            "GSI2PK": {"S": f"CUSTOMER#{customer}#PENDING"}, "GSI2SK": {"S": f"{now}#{order_id}"},
            "GSI3PK": {"S": "AWAITING_DECISION"}, "GSI3SK": {"S": f"{now}#{order_id}"},
            "id": {"S": order_id}, "customer_id": {"S": customer}, "status": {"S": "PENDING"}, "currency": {"S": "EUR"},
            "lines": {"L": [{"M": {"sku": {"S": line["sku"]}, "quantity": {"N": str(line["quantity"])}}} for line in lines]},
            "created_at": {"S": now}, "updated_at": {"S": now}, "version": {"N": "1"}, "correlation_id": {"S": request_id},
        }
        dynamodb.put_item(TableName=TABLE, Item=item, ConditionExpression="attribute_not_exists(PK)")
        message = {"type": "OrderPlaced", "version": 1, "event_id": str(uuid.uuid4()), "order_id": order_id,
                   "customer_id": customer, "occurred_at": now, "correlation_id": request_id}
        sqs.send_message(QueueUrl=QUEUE, MessageBody=json.dumps(message))
        return _response(202, {"id": order_id, "status": "PENDING"})
    if method == "GET" and path.startswith("/orders/"):
        stored = dynamodb.get_item(TableName=TABLE, Key={"PK": {"S": f"ORDER#{path.rsplit('/', 1)[1]}"}, "SK": {"S": "ORDER"}}).get("Item")
        if not stored or stored["customer_id"]["S"] != customer:
            return _response(404, {"message": "not found"})
        return _response(200, {"id": stored["id"]["S"], "status": stored["status"]["S"]})
    if method == "GET" and path == "/orders":
        page = dynamodb.query(
            TableName=TABLE, IndexName="GSI1", KeyConditionExpression="GSI1PK = :c",
            ExpressionAttributeValues={":c": {"S": f"CUSTOMER#{customer}"}}, ScanIndexForward=False, Limit=20,
        )
        return _response(200, {"items": [{"id": item["id"]["S"], "status": item["status"]["S"]} for item in page["Items"]]})
    return _response(404, {"message": "no route"})
