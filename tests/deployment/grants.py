"""What each function's role may do, written from what the code does, and the check that a role allows exactly that.

Shared by the template tests (tests/deployment/test_least_privilege.py) and the deployed roles (test_deploy.py).
"""

import re

DATA_SERVICES = ("dynamodb", "sqs", "ssm")


def expected_grants(stage: str) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(service, function's logical id) -> {(action, what the resource's ARN ends with)} on ``stage``; logs and traces apart."""
    table = f"table/pedidos-{stage}-orders"
    indexes = f"table/pedidos-{stage}-orders/index/*"
    idempotency = f"table/pedidos-{stage}-idempotency"
    queue = f"pedidos-{stage}-orders"
    cursor_key = f"parameter/pedidos/{stage}/cursor-signing-key"
    return {
        ("api", "AuthorizerLambdaFunction"): set(),
        ("api", "PublicLambdaFunction"): set(),
        ("api", "ReaderLambdaFunction"): {
            ("dynamodb:GetItem", table),
            ("dynamodb:BatchGetItem", table),  # a catalog page's products
            ("dynamodb:Query", table),
            ("dynamodb:GetItem", indexes),
            ("dynamodb:Query", indexes),
            ("ssm:GetParameter", cursor_key),
        },
        ("api", "WriterLambdaFunction"): {
            ("dynamodb:GetItem", table),
            ("dynamodb:PutItem", table),
            ("dynamodb:UpdateItem", table),
            *{(f"dynamodb:{action}", idempotency) for action in ("GetItem", "PutItem", "UpdateItem", "DeleteItem")},
            ("sqs:SendMessage", queue),
        },
        ("worker", "SweepLambdaFunction"): {
            ("dynamodb:Query", f"table/pedidos-{stage}-orders/index/GSI3"),
            ("dynamodb:UpdateItem", table),
            ("sqs:SendMessage", queue),
        },
        ("worker", "ProcessOrdersLambdaFunction"): {
            ("dynamodb:GetItem", table),
            ("dynamodb:BatchGetItem", table),
            ("dynamodb:UpdateItem", table),
            # What Lambda's SQS event source mapping needs, and no more.
            *{(f"sqs:{action}", queue) for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")},
        },
    }


TRACES = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


def grants(statement: dict) -> set[tuple[str, str]]:
    """(action, the resource's ARN past account) pairs; ARNs may be literal or an Fn::Sub."""
    resources = [each if isinstance(each, str) else re.sub(r"\$\{AWS::\w+\}", "x", each["Fn::Sub"]) for each in as_list(statement["Resource"])]
    return {(action, resource.split(":", 5)[-1]) for action in as_list(statement["Action"]) for resource in resources}


def assert_grants_exactly(statements: list[dict], expected: set[tuple[str, str]]) -> list[dict]:
    """Asserts that ``statements`` allow exactly ``expected`` on data, no wildcard, and else only logs and traces.

    Returns the statements on logs, whose resource each caller checks: a log group's GetAtt in a template, its ARN once deployed.
    """
    assert all(statement["Effect"] == "Allow" for statement in statements)
    data = [statement for statement in statements if any(action.split(":")[0] in DATA_SERVICES for action in as_list(statement["Action"]))]
    for statement in data:
        assert "*" not in as_list(statement["Resource"]) and not any("*" in action for action in as_list(statement["Action"]))
    assert set().union(*map(grants, data)) == expected

    others = [statement for statement in statements if statement not in data]
    assert {action for statement in others for action in as_list(statement["Action"])} == {"logs:CreateLogStream", "logs:PutLogEvents", *TRACES}
    traces = [statement for statement in others if set(as_list(statement["Action"])) & TRACES]
    assert all(set(as_list(statement["Action"])) == TRACES for statement in traces)
    return [statement for statement in others if statement not in traces]
