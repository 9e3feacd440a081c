"""Each function's role allows exactly what the function calls, on exactly what it touches.

The expectation is written here, from what the code does, not read back from
the templates: a new permission fails this test until someone adds it here.
"""

import re

import pytest

from tests.deployment.conftest import STAGE, resources_of_type

TABLE = f"table/pedidos-{STAGE}-orders"
INDEXES = f"table/pedidos-{STAGE}-orders/index/*"
IDEMPOTENCY = f"table/pedidos-{STAGE}-idempotency"
QUEUE = f"pedidos-{STAGE}-orders"
CURSOR_KEY = f"parameter/pedidos/{STAGE}/cursor-signing-key"
DATA_SERVICES = ("dynamodb", "sqs", "ssm")

# function -> {(action, resource the ARN ends with)}; logs and traces are checked apart.
EXPECTED = {
    ("api", "AuthorizerLambdaFunction"): set(),
    ("api", "PublicLambdaFunction"): set(),
    ("api", "ReaderLambdaFunction"): {
        ("dynamodb:GetItem", TABLE),
        ("dynamodb:BatchGetItem", TABLE),  # a catalog page's products
        ("dynamodb:Query", TABLE),
        ("dynamodb:GetItem", INDEXES),
        ("dynamodb:Query", INDEXES),
        ("ssm:GetParameter", CURSOR_KEY),
    },
    ("api", "WriterLambdaFunction"): {
        ("dynamodb:GetItem", TABLE),
        ("dynamodb:PutItem", TABLE),
        ("dynamodb:UpdateItem", TABLE),
        *{(f"dynamodb:{action}", IDEMPOTENCY) for action in ("GetItem", "PutItem", "UpdateItem", "DeleteItem")},
        ("sqs:SendMessage", QUEUE),
    },
    ("worker", "SweepLambdaFunction"): {
        ("dynamodb:Query", f"table/pedidos-{STAGE}-orders/index/GSI3"),
        ("dynamodb:UpdateItem", TABLE),
        ("sqs:SendMessage", QUEUE),
    },
    ("worker", "ProcessOrdersLambdaFunction"): {
        ("dynamodb:GetItem", TABLE),
        ("dynamodb:BatchGetItem", TABLE),
        ("dynamodb:UpdateItem", TABLE),
        # What Lambda's SQS event source mapping needs, and no more.
        *{(f"sqs:{action}", QUEUE) for action in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")},
    },
}
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


@pytest.mark.parametrize(("service", "function_name"), sorted(EXPECTED))
def test_a_role_grants_exactly_what_its_function_uses(templates, service, function_name):
    template = templates[service]
    statements = statements_of(template, template["Resources"][function_name])
    assert all(statement["Effect"] == "Allow" for statement in statements)
    data = [statement for statement in statements if any(action.split(":")[0] in DATA_SERVICES for action in as_list(statement["Action"]))]
    for statement in data:
        assert "*" not in as_list(statement["Resource"]) and not any("*" in action for action in as_list(statement["Action"]))
    assert set().union(*map(grants, data)) == EXPECTED[(service, function_name)]

    log_group = function_name.removesuffix("LambdaFunction") + "LogGroup"
    others = [statement for statement in statements if statement not in data]
    assert {action for statement in others for action in as_list(statement["Action"])} == {"logs:CreateLogStream", "logs:PutLogEvents", *TRACES}
    for statement in others:
        if set(as_list(statement["Action"])) & TRACES:
            assert set(as_list(statement["Action"])) == TRACES
        else:
            assert statement["Resource"] == {"Fn::GetAtt": [log_group, "Arn"]}
