"""`make package`: the deployment artifacts of every service, built by compose with no AWS account.

The artifacts are the ones `serverless deploy` uploads: each service's
CloudFormation template and zips under ``services/<name>/.serverless/``.

    python -m infra.packaging [--stage prod] [--python python3.13]

Two things stand in for AWS while packaging:
- moto's threaded server, in this process on a free port, answers the
  CloudFormation calls packaging makes (DescribeStacks, for a service that
  defines layers): nothing else of the local system is needed;
- compose resolves ``${shared.Output}`` and ``${api.Output}`` from its state,
  which a stage never deployed from this checkout does not have. For such a
  stage the state is seeded, for the duration of the run, with the outputs the
  shared and api stacks will have: names from shared's definition, ARNs and
  URLs in the example account 123456789012, layers at version 1, example ids
  for the user pool, its client and the REST API. A stage with real state
  uses it as is.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from moto.server import ThreadedMotoServer

from infra.definitions import ROOT, SERVERLESS, SERVICES, resolved_config

PLACEHOLDER_ACCOUNT = "123456789012"
PLACEHOLDER_REST_API_ID = "a1b2c3d4e5"
SERVICE_NAMES = ("shared", "api", "worker", "web")


def _region(stage: str) -> str:
    """Where compose deploys the stage: the region every service's definition defaults to."""
    return resolved_config("shared", stage=stage)["provider"]["region"]


def _arn(service: str, resource: str, region: str) -> str:
    return f"arn:aws:{service}:{region}:{PLACEHOLDER_ACCOUNT}:{resource}"


def expected_shared_outputs(stage: str) -> dict[str, str]:
    """What the shared stack's outputs will be once deployed (names exact, account a placeholder)."""
    shared = resolved_config("shared", stage=stage)
    region = _region(stage)
    resources = shared["resources"]["Resources"]
    parameters = {each["ParameterKey"]: each["ParameterValue"] for each in shared["provider"].get("stackParameters", [])}

    def holds(condition: dict[str, Any]) -> bool:
        if "Fn::Not" in condition:
            return not holds(condition["Fn::Not"][0])
        left, right = (value(side) if isinstance(side, dict) else side for side in condition["Fn::Equals"])
        return left == right

    def value(expression: dict[str, Any]) -> str:
        if "Fn::If" in expression:
            condition, when_true, when_false = expression["Fn::If"]
            chosen = when_true if holds(shared["resources"]["Conditions"][condition]) else when_false
            return value(chosen) if isinstance(chosen, dict) else chosen
        if "Fn::Sub" in expression:
            pseudo = {"AWS::Region": region, "AWS::AccountId": PLACEHOLDER_ACCOUNT}
            return re.sub(r"\$\{([^}]+)\}", lambda name: pseudo.get(name[1]) or value({"Ref": name[1]}), expression["Fn::Sub"])
        if "Ref" in expression:
            logical, attribute = expression["Ref"], "Ref"
        else:
            logical, attribute = expression["Fn::GetAtt"]
        if logical in parameters:
            return parameters[logical]
        resource = resources[logical]
        properties = resource["Properties"]
        if resource["Type"] == "AWS::Cognito::UserPool":
            return f"{region}_EXAMPLE"
        if resource["Type"] == "AWS::Cognito::UserPoolClient":
            return "exampleconsoleclientid0123"
        if resource["Type"] == "AWS::SNS::Topic":
            return _arn("sns", properties["TopicName"], region)
        if resource["Type"] == "AWS::DynamoDB::Table":
            name = properties["TableName"]
            return name if attribute == "Ref" else _arn("dynamodb", f"table/{name}", region)
        name = properties["QueueName"]
        return f"https://sqs.{region}.amazonaws.com/{PLACEHOLDER_ACCOUNT}/{name}" if attribute == "Ref" else _arn("sqs", name, region)

    outputs = {name: value(output["Value"]) for name, output in shared["resources"]["Outputs"].items()}
    # The framework adds one output per layer, named after the layer's logical id.
    outputs["PedidosLambdaLayerQualifiedArn"] = _arn("lambda", f"layer:{shared['layers']['pedidos']['name']}:1", region)
    requirements_layer = shared["custom"]["pythonRequirements"]["layer"]["name"]
    outputs["PythonRequirementsLambdaLayerQualifiedArn"] = _arn("lambda", f"layer:{requirements_layer}:1", region)
    return outputs


def expected_api_outputs(stage: str) -> dict[str, str]:
    """What the api stack's outputs will be once deployed (the REST API's id a placeholder)."""
    region = _region(stage)
    domain = f"{PLACEHOLDER_REST_API_ID}.execute-api.{region}.amazonaws.com"
    return {"ApiDomain": domain, "ApiStagePath": f"/{stage}", "ServiceEndpoint": f"https://{domain}/{stage}"}


def package(stage: str, python: str) -> dict[str, Path]:
    """Packages every service for ``stage`` through compose; returns each one's artifact folder."""
    state_file = ROOT / ".serverless" / f"state.{stage}.json"
    seeded = not state_file.exists()
    if seeded:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        outputs = {"shared": expected_shared_outputs(stage), "api": expected_api_outputs(stage)}
        state_file.write_text(json.dumps({"components": {name: {"outputs": each} for name, each in outputs.items()}}, indent=2))
    endpoint = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    endpoint.start()
    try:
        host, port = endpoint.get_host_and_port()
        # Compose runs each service's `serverless` from PATH, as `npx` would put it there.
        path = f"{SERVERLESS.parent}{os.pathsep}{os.environ.get('PATH', '')}"
        # moto accepts any credentials; these are not secrets.
        region = _region(stage)
        aws = {"AWS_ENDPOINT_URL": f"http://{host}:{port}", "AWS_REGION": region, "AWS_DEFAULT_REGION": region,
               "AWS_ACCESS_KEY_ID": "packaging", "AWS_SECRET_ACCESS_KEY": "packaging"}
        env = {**os.environ, **aws, "PEDIDOS_PYTHON": python, "PATH": path}
        subprocess.run([str(SERVERLESS), "package", "--stage", stage], cwd=ROOT, env=env, check=True)
    finally:
        endpoint.stop()
        if seeded:
            state_file.unlink(missing_ok=True)
    return {name: SERVICES / name / ".serverless" for name in SERVICE_NAMES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", default="prod")
    parser.add_argument("--python", default=sys.executable, help="the Python that builds the layer's wheels")
    arguments = parser.parse_args()
    folders = package(arguments.stage, arguments.python)
    print(f"\nArtifacts for stage {arguments.stage} (what `serverless deploy` uploads):")
    for name, folder in folders.items():
        print(f"  {name:7} {folder}: {', '.join(sorted(each.name for each in folder.iterdir() if each.suffix in ('.json', '.zip')))}")


if __name__ == "__main__":
    main()
