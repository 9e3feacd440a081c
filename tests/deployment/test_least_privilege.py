"""Each function's role allows exactly what the function calls, on exactly what it touches.

The expectation is written here, from what the code does, not read back from
the templates: a new permission fails this test until someone adds it here.
"""

import pytest

from tests.deployment.conftest import STAGE, resources_of_type
from tests.deployment.grants import assert_grants_exactly, expected_grants

EXPECTED = expected_grants(STAGE)


def statements_of(template: dict, function: dict) -> list[dict]:
    role_name = function["Properties"]["Role"]["Fn::GetAtt"][0]
    role = template["Resources"][role_name]
    return [statement for policy in role["Properties"]["Policies"] for statement in policy["PolicyDocument"]["Statement"]]


def test_every_function_has_a_role_of_its_own(templates):
    roles = [function["Properties"]["Role"]["Fn::GetAtt"][0] for service in ("api", "worker")
             for function in resources_of_type(templates[service], "AWS::Lambda::Function").values()]
    assert len(roles) == len(set(roles)) == len(EXPECTED)
    assert not any(resources_of_type(templates[service], "AWS::IAM::Role").get("IamRoleLambdaExecution") for service in ("api", "worker"))


@pytest.mark.parametrize(("service", "function_name"), sorted(EXPECTED))
def test_a_role_grants_exactly_what_its_function_uses(templates, service, function_name):
    template = templates[service]
    logs = assert_grants_exactly(statements_of(template, template["Resources"][function_name]), EXPECTED[(service, function_name)])
    log_group = function_name.removesuffix("LambdaFunction") + "LogGroup"
    assert logs and all(statement["Resource"] == {"Fn::GetAtt": [log_group, "Arn"]} for statement in logs)
