"""Each function's role allows exactly what the function calls, on exactly what it touches.

The expectation is written here, from what the code does, not read back from
the templates: a new permission fails this test until someone adds it here.
"""

import re

import pytest

from tests.deployment.conftest import STAGE, resources_of_type

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


EXPECTED = expected_grants(STAGE)
TRACES = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def statements_of(template: dict, function: dict) -> list[dict]:
    role_name = function["Properties"]["Role"]["Fn::GetAtt"][0]
    role = template["Resources"][role_name]
    return [statement for policy in role["Properties"]["Policies"] for statement in policy["PolicyDocument"]["Statement"]]


def as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


def grants(statement: dict) -> set[tuple[str, str]]:
    """(action, the resource's ARN past account) pairs; ARNs may be literal or an Fn::Sub."""
    resources = [each if isinstance(each, str) else re.sub(r"\$\{AWS::\w+\}", "x", each["Fn::Sub"]) for each in as_list(statement["Resource"])]
    return {(action, resource.split(":", 5)[-1]) for action in as_list(statement["Action"]) for resource in resources}


def test_every_function_has_a_role_of_its_own(templates):
    roles = [function["Properties"]["Role"]["Fn::GetAtt"][0] for service in ("api", "worker")
             for function in resources_of_type(templates[service], "AWS::Lambda::Function").values()]
    assert len(roles) == len(set(roles)) == len(EXPECTED)
    assert not any(resources_of_type(templates[service], "AWS::IAM::Role").get("IamRoleLambdaExecution") for service in ("api", "worker"))


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


@pytest.mark.parametrize(("service", "function_name"), sorted(EXPECTED))
def test_a_role_grants_exactly_what_its_function_uses(templates, service, function_name):
    template = templates[service]
    logs = assert_grants_exactly(statements_of(template, template["Resources"][function_name]), EXPECTED[(service, function_name)])
    log_group = function_name.removesuffix("LambdaFunction") + "LogGroup"
    assert logs and all(statement["Resource"] == {"Fn::GetAtt": [log_group, "Arn"]} for statement in logs)
