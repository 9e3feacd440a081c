"""Creates the shared service's tables and queues on the local endpoint.

The definitions are read from ``services/shared/serverless.yml`` (resolved by
the framework), never written here a second time: each CloudFormation
resource's properties become the matching API call's parameters.
"""

import json
import logging
from typing import Any

from botocore.exceptions import ClientError

from infra.definitions import resolved_config

logger = logging.getLogger(__name__)


def _table_request(properties: dict[str, Any]) -> dict[str, Any]:
    request = {
        name: properties[name]
        for name in ("TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "GlobalSecondaryIndexes")
        if name in properties
    }
    if properties.get("SSESpecification", {}).get("SSEEnabled"):
        request["SSESpecification"] = {"Enabled": True}
    return request


def create_table(dynamodb: Any, properties: dict[str, Any]) -> str:
    name = properties["TableName"]
    try:
        dynamodb.create_table(**_table_request(properties))
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceInUseException":
            raise
        return name
    settings = {
        "TimeToLiveSpecification": lambda value: dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=value),
        "PointInTimeRecoverySpecification": lambda value: dynamodb.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification=value
        ),
    }
    for setting, apply in settings.items():
        if setting in properties:
            try:
                apply(properties[setting])
            except ClientError as error:
                # DynamoDB Local, for one, has no point-in-time recovery.
                logger.warning("%s: %s not applied on this endpoint (%s)", name, setting, error.response["Error"]["Code"])
    return name


def queue_attributes(properties: dict[str, Any], arns: dict[str, str]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for name, value in properties.items():
        if name == "QueueName":
            continue
        if name == "RedrivePolicy":
            target = value["deadLetterTargetArn"]
            if isinstance(target, dict):  # {"Fn::GetAtt": [logical id, "Arn"]}
                target = arns[target["Fn::GetAtt"][0]]
            value = {"deadLetterTargetArn": target, "maxReceiveCount": value["maxReceiveCount"]}
            attributes[name] = json.dumps(value)
        else:
            attributes[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return attributes


def provision(dynamodb: Any, sqs: Any) -> dict[str, list[str]]:
    """Creates (or finds) every table and queue of the shared stack; returns their names."""
    resources = resolved_config("shared")["resources"]["Resources"]
    tables = [
        create_table(dynamodb, resource["Properties"])
        for resource in resources.values()
        if resource["Type"] == "AWS::DynamoDB::Table"
    ]
    queues = {logical: resource["Properties"] for logical, resource in resources.items() if resource["Type"] == "AWS::SQS::Queue"}
    arns: dict[str, str] = {}
    # Dead-letter queues first: the queues that redrive to them need their ARNs.
    for logical in sorted(queues, key=lambda each: "RedrivePolicy" in queues[each]):
        properties = queues[logical]
        url = sqs.create_queue(QueueName=properties["QueueName"], Attributes=queue_attributes(properties, arns))["QueueUrl"]
        arns[logical] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return {"tables": tables, "queues": [queues[logical]["QueueName"] for logical in arns]}
