"""The whole compose deployed, updated and removed on the local endpoint, with the commands of docs/deployment.md.

One endpoint on a free port (``--cloudformation``: moto with devstack/cloud_fixes.py)
gets the `ci` stage from a copy of this checkout (a deploy writes `.serverless/`
folders; the update edits files): `serverless deploy`, then a team's update of the
shared layer and of one api setting (`shared:deploy`, then `api:deploy`), then
`serverless remove`. Each step's effect is read back through the emulator's APIs.

What moto accepts but does not create (it warns and skips them) is covered by the
template tests instead: the API's token authorizer and gateway responses
(test_templates.py: the authorizer's routes, the gateways' problem+json), the
CloudWatch alarms and dashboard, the Lambda async-retry settings, the S3 bucket
policy and CloudFront response headers policies (test_web.py); and what it creates
but ignores: TTL, point-in-time recovery, encryption, the stage's throttling and
tracing, the distribution's behaviours and function associations.
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from devstack.stack import DevStack, Ports, aws_env, region
from infra.definitions import ROOT
from infra.packaging import PLACEHOLDER_REST_API_ID, expected_api_outputs, expected_shared_outputs
from tests.deployment.conftest import DEPLOY_TIMES
from tests.deployment.grants import assert_grants_exactly, expected_grants

STAGE = "ci"
SERVICES = ("shared", "api", "worker", "web")
# What the framework adds to every stack's outputs, and to shared's per layer.
FRAMEWORK_OUTPUTS = {"ServerlessDeploymentBucketName"}
LAYER_OUTPUTS = {f"{layer}LambdaLayer{suffix}" for layer in ("Pedidos", "PythonRequirements") for suffix in ("Hash", "S3Key")}
# The update: a module added to the shared layer, and the api's log level (its default params).
LAYER_MARKER = "services/shared/layer/python/pedidos/deployed_marker.py"
API_LOG_LEVEL = ("    logLevel: INFO\n", "    logLevel: DEBUG\n")


@dataclass
class Deployment:
    """A copy of the checkout, the endpoint it deploys to, and how long each command took."""

    root: Path
    endpoint: DevStack
    log_dir: Path
    times: dict[str, float] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        # Nothing of the calling shell's stage settings or endpoints: the `ci` stage's defaults.
        inherited = {name: value for name, value in os.environ.items() if not name.startswith(("PEDIDOS_", "AWS_"))}
        # Compose runs each service's `serverless` from PATH, as `npx` would put it there.
        path = f"{self.root / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"
        return {**inherited, **aws_env(self.endpoint.ports), "PEDIDOS_PYTHON": sys.executable, "PATH": path}

    def serverless(self, *arguments: str) -> str:
        """Runs ``serverless <arguments> --stage ci`` at the copy's root, as a user types it; records its time, returns its output."""
        command = ["node_modules/.bin/serverless", *arguments, "--stage", STAGE]
        log = self.log_dir / f"{'-'.join(arguments).replace(':', '-')}.log"
        started = time.monotonic()
        with log.open("w") as output:
            result = subprocess.run(command, cwd=self.root, env=self.env, stdout=output, stderr=subprocess.STDOUT, timeout=600)
        self.times[" ".join(command[1:])] = time.monotonic() - started
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{log.read_text()[-4000:]}"
        return log.read_text()

    def client(self, service: str) -> Any:
        return self.endpoint.client(service)

    def outputs(self, service: str) -> dict[str, str]:
        [stack] = self.client("cloudformation").describe_stacks(StackName=f"pedidos-{service}-{STAGE}")["Stacks"]
        return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}

    def compose_state(self) -> dict[str, dict[str, str]]:
        state = json.loads((self.root / ".serverless" / f"state.{STAGE}.json").read_text())
        return {name: component["outputs"] for name, component in state["components"].items()}

    def template(self, service: str) -> dict:
        """The template the last deploy of ``service`` uploaded."""
        return json.loads((self.root / "services" / service / ".serverless" / "cloudformation-template-update-stack.json").read_text())

    def functions(self, service: str) -> dict[str, dict]:
        """The service's deployed functions' configurations, by logical id."""
        resources = self.client("cloudformation").list_stack_resources(StackName=f"pedidos-{service}-{STAGE}")["StackResourceSummaries"]
        lambda_client = self.client("lambda")
        return {
            each["LogicalResourceId"]: lambda_client.get_function_configuration(FunctionName=each["PhysicalResourceId"])
            for each in resources
            if each["ResourceType"] == "AWS::Lambda::Function"
        }

    def layer_version_arn(self, name: str) -> str:
        """The newest version of the layer ``name``."""
        versions = self.client("lambda").list_layer_versions(LayerName=name)["LayerVersions"]
        return max(versions, key=lambda version: version["Version"])["LayerVersionArn"]


def copy_of_checkout(destination: Path) -> Path:
    """The checkout's files as they are now (tracked ones, edits included), and its installed node_modules."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    (destination / "node_modules").symlink_to(ROOT / "node_modules")
    return destination


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Deployment]:
    log_dir = tmp_path_factory.mktemp("deploy-logs")
    endpoint = DevStack(ports=Ports.free(), log_dir=log_dir)
    endpoint.start_aws_endpoint(provision=False, cloudformation=True)
    deployment = Deployment(copy_of_checkout(tmp_path_factory.mktemp("checkout")), endpoint, log_dir)
    request.config.stash[DEPLOY_TIMES] = deployment.times
    try:
        yield deployment
    finally:
        endpoint.stop()


@pytest.fixture(scope="module")
def deployed(deployment: Deployment) -> Deployment:
    deployment.serverless("deploy")
    return deployment


@pytest.fixture(scope="module")
def shared_outputs(deployed: Deployment) -> dict[str, str]:
    return deployed.outputs("shared")


@pytest.fixture(scope="module")
def updated(deployed: Deployment, shared_outputs: dict[str, str]) -> Deployment:
    """As a team would: the shared layer's code and an api setting change; only those two services are deployed."""
    (deployed.root / LAYER_MARKER).write_text('"""Present only in the layer the update deploys."""\n')
    api_definition = deployed.root / "services" / "api" / "serverless.yml"
    text = api_definition.read_text()
    assert text.count(API_LOG_LEVEL[0]) == 1, "the api's default params set logLevel once (the local stage's are in shared/resources/local-stage.yml)"
    api_definition.write_text(text.replace(*API_LOG_LEVEL))
    deployed.serverless("shared:deploy")
    deployed.serverless("api:deploy")
    return deployed


@pytest.fixture(scope="module")
def removed(updated: Deployment) -> Deployment:
    updated.serverless("remove")
    return updated


def rest_api_id(deployment: Deployment) -> str:
    [api] = [api for api in deployment.client("apigateway").get_rest_apis()["items"] if api["name"] == f"{STAGE}-pedidos-api"]
    return api["id"]


def test_shared_outputs_are_what_packaging_seeds_for_a_first_deploy(deployed, shared_outputs):
    cognito = deployed.client("cognito-idp")
    pool = cognito.describe_user_pool(UserPoolId=shared_outputs["UserPoolId"])["UserPool"]
    client = cognito.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=shared_outputs["UserPoolClientId"])["UserPoolClient"]
    assert (pool["Name"], client["ClientName"]) == (f"pedidos-{STAGE}-users", f"pedidos-{STAGE}-console")
    # Packaging's seed (infra/packaging.py) with the ids only a deploy knows.
    seeded = json.dumps(expected_shared_outputs(STAGE))
    expected = json.loads(seeded.replace(f"{region()}_EXAMPLE", pool["Id"]).replace("exampleconsoleclientid0123", client["ClientId"]))
    assert set(shared_outputs) == set(expected) | FRAMEWORK_OUTPUTS | LAYER_OUTPUTS
    assert {name: shared_outputs[name] for name in expected} == expected
    assert shared_outputs["PedidosLambdaLayerQualifiedArn"] == deployed.layer_version_arn(f"pedidos-{STAGE}-shared")
    assert deployed.client("dynamodb").describe_table(TableName=shared_outputs["TableName"])["Table"]["TableArn"] == shared_outputs["TableArn"]


def test_api_and_web_outputs_and_compose_state_hold_every_stacks_outputs(deployed):
    api_id = rest_api_id(deployed)
    api_outputs = deployed.outputs("api")
    expected_api = json.loads(json.dumps(expected_api_outputs(STAGE)).replace(PLACEHOLDER_REST_API_ID, api_id))
    assert {name: api_outputs[name] for name in expected_api} == expected_api
    web_outputs = deployed.outputs("web")
    distribution = deployed.client("cloudfront").get_distribution(Id=web_outputs["DistributionId"])["Distribution"]
    assert web_outputs["ConsoleUrl"] == f"https://{distribution['DomainName']}"
    assert deployed.compose_state() == {service: deployed.outputs(service) for service in SERVICES}
    # What `serverless outputs` shows a user: compose's state.
    shown = deployed.serverless("outputs")
    for service in SERVICES:
        assert all(f"{name}: {value}" in shown for name, value in deployed.outputs(service).items()), service


@pytest.mark.parametrize("service", ["api", "worker"])
def test_functions_run_with_the_shared_outputs_the_current_layers_and_tracing(deployed, shared_outputs, service):
    functions = deployed.functions(service)
    template = deployed.template(service)
    assert set(functions) == {name for name, each in template["Resources"].items() if each["Type"] == "AWS::Lambda::Function"}
    layers = [shared_outputs["PythonRequirementsLambdaLayerQualifiedArn"], shared_outputs["PedidosLambdaLayerQualifiedArn"]]
    for name, function in functions.items():
        variables = function["Environment"]["Variables"]
        assert variables == template["Resources"][name]["Properties"]["Environment"]["Variables"]
        assert (variables["TABLE_NAME"], variables["ORDERS_QUEUE_URL"]) == (shared_outputs["TableName"], shared_outputs["OrdersQueueUrl"])
        assert [layer["Arn"] for layer in function["Layers"]] == layers
        assert function["TracingConfig"] == {"Mode": "Active"}
        assert function["Runtime"] == "python3.13"
    if service == "api":
        assert {variables["JWT_ISSUER"] for variables in (each["Environment"]["Variables"] for each in functions.values())} == {
            shared_outputs["TokenIssuer"]
        }


@pytest.mark.parametrize("service", ["api", "worker"])
def test_the_outputs_name_each_functions_published_version(deployed, service):
    outputs = deployed.outputs(service)
    functions = deployed.functions(service)
    own = set(expected_api_outputs(STAGE)) if service == "api" else set()
    assert set(outputs) == FRAMEWORK_OUTPUTS | own | {f"{name}QualifiedArn" for name in functions}
    lambda_client = deployed.client("lambda")
    for name, function in functions.items():
        version = lambda_client.get_function_configuration(FunctionName=function["FunctionName"], Qualifier=outputs[f"{name}QualifiedArn"].rsplit(":", 1)[1])
        assert version["FunctionArn"] == outputs[f"{name}QualifiedArn"] == f"{function['FunctionArn']}:{version['Version']}"


def test_the_worker_takes_the_orders_queue_in_batches_reporting_partial_failures_and_sweeps_every_two_minutes(deployed, shared_outputs):
    functions = deployed.functions("worker")
    [mapping] = deployed.client("lambda").list_event_source_mappings(EventSourceArn=shared_outputs["OrdersQueueArn"])["EventSourceMappings"]
    assert mapping["FunctionArn"] == functions["ProcessOrdersLambdaFunction"]["FunctionArn"]
    assert (mapping["BatchSize"], mapping["MaximumBatchingWindowInSeconds"], mapping["State"]) == (10, 1, "Enabled")
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["ScalingConfig"] == {"MaximumConcurrency": 300}  # docs/capacity.md, "The flash sale"

    events = deployed.client("events")
    [rule] = [rule for rule in events.list_rules()["Rules"] if rule["Name"].startswith(f"pedidos-worker-{STAGE}")]
    assert (rule["ScheduleExpression"], rule["State"]) == ("rate(2 minutes)", "ENABLED")
    [target] = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
    assert target["Arn"] == functions["SweepLambdaFunction"]["FunctionArn"]


def test_every_function_has_a_role_of_its_own_granting_what_the_least_privilege_table_expects(deployed):
    iam = deployed.client("iam")
    expected = expected_grants(STAGE)
    functions = {(service, name): function for service in ("api", "worker") for name, function in deployed.functions(service).items()}
    assert set(functions) == set(expected)
    roles = {key: function["Role"].rsplit("/", 1)[1] for key, function in functions.items()}
    assert len(set(roles.values())) == len(roles)
    for key, role in roles.items():
        documents = [iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"] for name in iam.list_role_policies(RoleName=role)["PolicyNames"]]
        statements = [statement for document in documents for statement in document["Statement"]]
        logs = assert_grants_exactly(statements, expected[key])
        log_group = f"arn:aws:logs:{region()}:123456789012:log-group:/aws/lambda/{functions[key]['FunctionName']}"
        assert logs and all(statement["Resource"].removesuffix(":*") == log_group for statement in logs), key


def test_the_rest_api_serves_every_route_of_the_template_on_the_stage(deployed):
    apigateway = deployed.client("apigateway")
    api_id = rest_api_id(deployed)
    resources = apigateway.get_resources(restApiId=api_id, limit=500)["items"]
    routes = {(method, resource["path"]) for resource in resources for method in resource.get("resourceMethods", {})}
    template = deployed.template("api")["Resources"]
    methods = [each["Properties"] for each in template.values() if each["Type"] == "AWS::ApiGateway::Method"]
    assert len(routes) == len(methods) == 11
    assert {("GET", "/health"), ("POST", "/orders"), ("POST", "/orders/{order_id}/cancel"), ("PATCH", "/products/{sku}")} <= routes
    assert {method["HttpMethod"] for method in methods} == {method for method, _ in routes}
    [stage] = apigateway.get_stages(restApiId=api_id)["item"]
    assert stage["stageName"] == STAGE


def test_the_console_is_uploaded_with_settings_from_the_other_stacks(deployed, shared_outputs):
    web = deployed.outputs("web")
    s3 = deployed.client("s3")
    keys = {each["Key"] for each in s3.list_objects_v2(Bucket=web["ConsoleBucketName"])["Contents"]}
    public = deployed.root / "services" / "web" / "public"
    assert keys == {path.relative_to(public).as_posix() for path in public.rglob("*") if path.is_file()} | {"settings.json"}
    index = s3.get_object(Bucket=web["ConsoleBucketName"], Key="index.html")
    assert (index["ContentType"], index["CacheControl"]) == ("text/html; charset=utf-8", "no-cache")
    settings = json.loads(s3.get_object(Bucket=web["ConsoleBucketName"], Key="settings.json")["Body"].read())
    assert settings == {
        "apiBaseUrl": "/api",
        "region": region(),
        "cognitoEndpoint": f"https://cognito-idp.{region()}.amazonaws.com",
        "userPoolId": shared_outputs["UserPoolId"],
        "clientId": shared_outputs["UserPoolClientId"],
        "currency": "EUR",
    }
    # /api on the console's origin is the API's stage: the distribution's second origin.
    cloudfront = deployed.client("cloudfront")
    config = cloudfront.get_distribution_config(Id=web["DistributionId"])["DistributionConfig"]
    origins = {origin["Id"]: origin for origin in config["Origins"]["Items"]}
    api = deployed.outputs("api")
    assert (origins["api"]["DomainName"], origins["api"]["OriginPath"]) == (api["ApiDomain"], api["ApiStagePath"])
    assert origins["console"]["DomainName"] == f"{web['ConsoleBucketName']}.s3.{region()}.amazonaws.com"
    [invalidation] = cloudfront.list_invalidations(DistributionId=web["DistributionId"])["InvalidationList"]["Items"]
    paths = cloudfront.get_invalidation(DistributionId=web["DistributionId"], Id=invalidation["Id"])["Invalidation"]["InvalidationBatch"]["Paths"]
    assert sorted(paths["Items"]) == ["/index.html", "/settings.json"]


def test_an_update_of_shared_then_api_moves_the_api_to_the_new_layer_version_and_setting(updated, shared_outputs):
    after = updated.outputs("shared")
    new_layer = after["PedidosLambdaLayerQualifiedArn"]
    assert new_layer == updated.layer_version_arn(f"pedidos-{STAGE}-shared") != shared_outputs["PedidosLambdaLayerQualifiedArn"]
    assert new_layer.endswith(":2")
    assert updated.compose_state()["shared"] == after
    for function in updated.functions("api").values():
        assert function["Layers"][1]["Arn"] == new_layer
        assert function["Environment"]["Variables"]["POWERTOOLS_LOG_LEVEL"] == "DEBUG"
        assert function["TracingConfig"] == {"Mode": "Active"}
    # The worker was not deployed: it keeps the version it was deployed with.
    for function in updated.functions("worker").values():
        assert function["Layers"][1]["Arn"] == shared_outputs["PedidosLambdaLayerQualifiedArn"]


def test_remove_deletes_every_stack_and_keeps_the_orders_table_and_the_user_pool(removed, shared_outputs):
    stacks = removed.client("cloudformation").describe_stacks()["Stacks"]
    assert [stack["StackName"] for stack in stacks if stack["StackStatus"] != "DELETE_COMPLETE"] == []
    # Retained: the orders and the users. Everything else of the stage is gone.
    assert removed.client("dynamodb").list_tables()["TableNames"] == [shared_outputs["TableName"]]
    assert removed.client("cognito-idp").describe_user_pool(UserPoolId=shared_outputs["UserPoolId"])["UserPool"]["Id"]
    assert removed.client("sqs").list_queues().get("QueueUrls", []) == []
    assert removed.client("s3").list_buckets()["Buckets"] == []
    assert removed.client("cloudfront").list_distributions()["DistributionList"].get("Items", []) == []
    assert removed.client("lambda").list_functions()["Functions"] == []
