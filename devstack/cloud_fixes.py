"""Makes moto 5.2.5's CloudFormation deploy the compose as AWS does, where Pedidos relies on it.

The local endpoint applies these when it serves deploys
(``python -m devstack.aws_endpoint --cloudformation``); the DynamoDB and SQS it
serves to the other tests stay moto's own. Each workaround is a small patch of
one moto function, or models for resource types moto skips, with a docstring
naming the defect:

1. ``Ref`` to a layer version gives a Python repr, not its ARN;
2. a layer's ``LayerName`` is ignored;
3. executing a change set leaves the stack's Outputs as they were;
4. ValidateTemplate refuses cfn-lint's warnings (W3005);
5. functions lose their ``Layers`` and ``TracingConfig``;
6. DeleteStack answers 500 on the exports change sets never registered;
7. an updated layer version is dropped, with its outputs;
8. ``Ref`` to a function version gives its logical id, not its ARN;
9. a role's inline policies read back as Python reprs;
10. Cognito user pools, clients and groups are skipped;
11. CloudFront distributions, functions and origin access controls are skipped.

Before it patches, each checks that moto is the version constraints.txt pins
and that the code it patches is, by its source's sha256, the code it was
written against (where it adds what moto lacks: that moto still lacks it).
An upgrade that fixes or moves a defect fails loudly, as devstack/offline_fix.py
does for serverless offline, instead of being patched blindly.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import moto
from moto.awslambda.models import LambdaFunction, LambdaVersion, LayerVersion, get_backend
from moto.cloudformation.models import ChangeSet, CloudFormationBackend
from moto.cloudformation.parsing import get_model_list, get_model_map, get_name_type_map
from moto.cloudfront.models import cloudfront_backends
from moto.cognitoidp.models import cognitoidp_backends
from moto.core.common_models import CloudFormationModel
from moto.iam.models import Role
from moto.utilities.utils import get_partition

from devstack.moto_patches import Workaround


def layer_ref_is_its_arn(_: None) -> property:
    """Defect: ``Ref`` to an ``AWS::Lambda::LayerVersion`` gives the repr of a Python object.

    CloudFormation's Ref of a layer version is its ARN (with the version), which
    the framework outputs as ``<Layer>LambdaLayerQualifiedArn`` and the other
    services' functions use as their ``Layers``. moto's LayerVersion has no
    ``physical_resource_id``, so its Ref falls back to the object itself.
    """
    return property(lambda layer: layer.arn)


def layer_keeps_its_name(original: classmethod) -> classmethod:
    """Defect: a layer created by CloudFormation ignores its ``LayerName`` and gets a generated one.

    Every layer version ARN then names a layer nobody declared, where
    docs/deployment.md and make package promise ``pedidos-<stage>-shared`` and
    ``pedidos-<stage>-requirements``.
    """
    create = original.__func__

    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs):
        name = cloudformation_json["Properties"].get("LayerName", resource_name)
        return create(cls, name, cloudformation_json, account_id, region_name, **kwargs)

    return classmethod(create_from_cloudformation_json)


def layer_update_publishes_a_version(_: None) -> classmethod:
    """Defect: updating a layer version drops it, and every output that refers to it.

    LayerVersion has no ``update_from_cloudformation_json``, so a changed layer
    (new code: a new S3 key) becomes None in the stack, its output
    ``<Layer>LambdaLayerQualifiedArn`` disappears and the next deploy of api or
    worker cannot resolve it. On AWS a changed layer version is replaced: a new
    version is published, and the old one deleted (the framework does not
    retain it).
    """

    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        replacement = cls.create_from_cloudformation_json(original_resource.name, cloudformation_json, account_id, region_name)
        get_backend(account_id, region_name).delete_layer_version(original_resource.name, original_resource.version)
        return replacement

    return classmethod(update_from_cloudformation_json)


def change_set_updates_outputs(original: Callable) -> Callable:
    """Defect: executing a change set leaves the stack's template and Outputs as they were.

    The framework deploys through change sets; the stack was created empty, so
    after its first deploy it reports no outputs, and compose says
    ``${shared.TableName}`` "cannot be resolved: the referenced output does not
    exist". UpdateStack recomputes them; ExecuteChangeSet does not.
    """

    def apply(change_set: ChangeSet) -> None:
        original(change_set)
        stack = change_set.stack
        stack.template = change_set.template
        stack._parse_template()
        stack.output_map = stack._create_output_map()

    return apply


def change_set_registers_exports(original: Callable) -> Callable:
    """Defect: DeleteStack answers 500 (KeyError on the deployment bucket name's export) for a stack deployed by change sets.

    CreateStack registers a stack's exports with the account; ExecuteChangeSet
    does not, and DeleteStack then pops an export that was never registered
    (the framework's ``sls-<service>-<stage>-ServerlessDeploymentBucketName``).
    The framework retries and the second call succeeds, but ListExports, and
    any ``Fn::ImportValue`` of another stack, would not see the exports.
    Runs after the change set's outputs are recomputed (change_set_updates_outputs).
    """

    def execute_change_set(backend: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
        original(backend, change_set_name, stack_name)
        change_set = backend.describe_change_set(change_set_name)
        for export in change_set.stack.exports:
            backend.exports[export.name] = export

    return execute_change_set


def validation_reports_errors_only(original: Callable) -> Callable:
    """Defect: ValidateTemplate runs cfn-lint and refuses a template it only warns about.

    The framework's templates carry a redundant ``DependsOn`` next to the
    GetAtt that already orders them (cfn-lint's W3005); CloudFormation accepts
    them, and tests/deployment/test_templates.py lints every template itself.
    """

    def validate_template(backend: CloudFormationBackend, template: str) -> list:
        return [match for match in original(backend, template) if match.rule.id.startswith("E")]

    return validate_template


def function_keeps_layers_and_tracing(original: classmethod) -> classmethod:
    """Defect: a function created by CloudFormation loses its ``Layers`` and ``TracingConfig``.

    moto's create_from_cloudformation_json copies only some properties into the
    function it creates: every function would run without the shared layer and
    without X-Ray.
    """
    create = original.__func__

    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs):
        function = create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        keep_layers_and_tracing(function, cloudformation_json["Properties"])
        return function

    return classmethod(create_from_cloudformation_json)


def function_update_keeps_tracing(original: classmethod) -> classmethod:
    """Defect: a function updated by CloudFormation loses its ``TracingConfig``.

    moto's update_configuration knows Layers but not TracingConfig, which an
    update then leaves at moto's default, PassThrough.
    """
    update = original.__func__

    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        function = update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        keep_layers_and_tracing(function, cloudformation_json["Properties"])
        return function

    return classmethod(update_from_cloudformation_json)


def version_ref_is_its_arn(_: None) -> property:
    """Defect: ``Ref`` to an ``AWS::Lambda::Version`` gives its logical id, not the version's ARN.

    The framework outputs each function's current version as
    ``<Function>LambdaFunctionQualifiedArn``; compose's state then holds
    ``SweepLambdaVersion2rnke...`` where AWS has ``arn:...:function:<name>:<version>``.
    The ARN is the one version_knows_its_arn records.
    """
    return property(lambda version: version.arn)


def version_knows_its_arn(original: classmethod) -> classmethod:
    """The other half of version_ref_is_its_arn: moto's LambdaVersion keeps its number only; it also keeps its ARN."""
    create = original.__func__

    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs):
        version = create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        function_name = cloudformation_json["Properties"]["FunctionName"]
        version.arn = get_backend(account_id, region_name).get_function(function_name, str(version.version)).function_arn
        return version

    return classmethod(create_from_cloudformation_json)


def role_policies_are_json(original: classmethod) -> classmethod:
    """Defect: a role created by CloudFormation stores its inline ``Policies`` as Python objects.

    GetRolePolicy then answers the repr of a dict (single quotes) where IAM
    answers a JSON document: no client can read what the role allows, and the
    deployment test compares it with the least-privilege table.
    """
    create = original.__func__

    def create_from_cloudformation_json(cls, resource_name: str, cloudformation_json: dict, account_id: str, region_name: str, **kwargs):
        role = create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        for name, document in role.policies.items():
            role.policies[name] = document if isinstance(document, str) else json.dumps(document)
        return role

    return classmethod(create_from_cloudformation_json)


def keep_layers_and_tracing(function: LambdaFunction, properties: dict) -> None:
    function.layers = function._get_layers_data(properties.get("Layers", []))
    if "TracingConfig" in properties:
        function.tracing_config = properties["TracingConfig"]


@dataclass(frozen=True)
class ResourceSupport:
    """CloudFormation support for resource types moto skips (with a warning): ``define()`` creates the models."""

    types: tuple[str, ...]
    define: Callable[[], tuple[type, ...]]

    def check(self) -> None:
        # The models moto knows, as get_model_list() finds them, without filling its cache
        # (a process that only checks, as the tests do, leaves moto as it found it).
        supported = {model.cloudformation_type() for model in CloudFormationModel.__subclasses__()} & set(self.types)
        if supported:
            raise RuntimeError(f"moto {moto.__version__} now creates {sorted(supported)} itself: re-check the workaround that adds them")

    def apply(self) -> None:
        self.check()
        # moto finds models by __subclasses__(), which holds them weakly: they are kept here.
        ADDED_MODELS.extend(self.define())
        # moto caches its list of models, and its maps of them, on first use.
        for cached in (get_model_list, get_model_map, get_name_type_map):
            cached.cache_clear()


ADDED_MODELS: list[type] = []


class StackResource:
    """One of moto's objects as a stack's resource: its Ref is ``reference``, its GetAtt ``attributes``.

    Each model below subclasses CloudFormationModel directly, as moto finds
    models by ``CloudFormationModel.__subclasses__()``.
    """

    TYPE: str
    # The property that names it, if it has one (else moto generates the name it is created with).
    NAME_PROPERTY = ""

    def __init__(self, resource: Any, reference: str, attributes: dict[str, str] | None = None) -> None:
        self.resource = resource
        self.physical_resource_id = reference
        self.attributes = attributes or {}

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.NAME_PROPERTY

    @classmethod
    def has_cfn_attr(cls, attribute: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute: str) -> str:
        return self.attributes[attribute]

    @classmethod
    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        """A change replaces the resource, as the few properties these stacks change require on AWS."""
        original_resource.delete(account_id, region_name)
        return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)


def without(properties: dict, *names: str) -> dict:
    return {name: value for name, value in properties.items() if name not in names}


def define_user_pools() -> tuple[type, ...]:
    """Defect: moto's CloudFormation skips Cognito user pools, their clients and groups.

    The shared stack's own user pool is the API's token issuer: without it the
    outputs TokenIssuer, TokenAudience, UserPoolId and UserPoolClientId that
    api and web take as params do not exist. moto's Cognito API has them all;
    these models create them through it, their properties being that API's
    parameters (as devstack/cognito.py creates the local stage's pool).
    """

    def cognito(account_id: str, region_name: str) -> Any:
        return cognitoidp_backends[account_id][region_name]

    class UserPool(StackResource, CloudFormationModel):
        TYPE = "AWS::Cognito::UserPool"
        NAME_PROPERTY = "UserPoolName"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            properties = without(cloudformation_json.get("Properties", {}), "UserPoolName")
            pool = cognito(account_id, region_name).create_user_pool(resource_name, properties)
            provider = f"cognito-idp.{region_name}.amazonaws.com/{pool.id}"
            return cls(pool, pool.id, {"Arn": pool.arn, "ProviderName": provider, "ProviderURL": f"https://{provider}", "UserPoolId": pool.id})

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            # In place: replacing the pool would lose its users.
            original_resource.resource.update_extended_config(without(cloudformation_json.get("Properties", {}), "UserPoolName"))
            return original_resource

        def delete(self, account_id: str, region_name: str) -> None:
            cognito(account_id, region_name).delete_user_pool(self.resource.id)

    class UserPoolClient(StackResource, CloudFormationModel):
        TYPE = "AWS::Cognito::UserPoolClient"
        NAME_PROPERTY = "ClientName"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            properties = cloudformation_json["Properties"]
            config = {"ClientName": resource_name, **without(properties, "UserPoolId", "GenerateSecret")}
            client = cognito(account_id, region_name).create_user_pool_client(properties["UserPoolId"], properties.get("GenerateSecret"), config)
            return cls(client, client.id)

        def delete(self, account_id: str, region_name: str) -> None:
            cognito(account_id, region_name).delete_user_pool_client(self.resource.user_pool_id, self.resource.id)

    class UserPoolGroup(StackResource, CloudFormationModel):
        TYPE = "AWS::Cognito::UserPoolGroup"
        NAME_PROPERTY = "GroupName"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            properties = cloudformation_json["Properties"]
            group = cognito(account_id, region_name).create_group(
                properties["UserPoolId"], resource_name, properties.get("Description"), properties.get("RoleArn"), properties.get("Precedence")
            )
            return cls(group, group.group_name)

        def delete(self, account_id: str, region_name: str) -> None:
            cognito(account_id, region_name).delete_group(self.resource.user_pool_id, self.resource.group_name)

    return UserPool, UserPoolClient, UserPoolGroup


def define_distributions() -> tuple[type, ...]:
    """Defect: moto's CloudFormation skips CloudFront distributions, functions and origin access controls.

    Without them the web stack fails outright (its outputs read the
    distribution's id and domain name). moto's CloudFront API has all three;
    these models create them through it. The distribution's configuration is
    translated from CloudFormation's shape (lists) to the API's (Quantity and
    Items) only as far as moto reads it: what the distribution does is the
    template tests' to check (tests/deployment/test_web.py).
    """

    def cloudfront(account_id: str, region_name: str) -> Any:
        return cloudfront_backends[account_id][get_partition(region_name)]

    def items(values: list) -> dict:
        return {"Quantity": len(values), "Items": values}

    def behaviour(properties: dict) -> dict:
        methods = {**items(properties.get("AllowedMethods", ["GET", "HEAD"])), "CachedMethods": items(properties.get("CachedMethods", ["GET", "HEAD"]))}
        return {**properties, "AllowedMethods": methods}

    def origin(properties: dict) -> dict:
        custom = properties.get("CustomOriginConfig")
        if custom is None:
            return properties
        protocols = {"OriginSslProtocols": items(custom.get("OriginSSLProtocols", []))}
        return {**properties, "CustomOriginConfig": {**without(custom, "OriginSSLProtocols"), **protocols}}

    class Distribution(StackResource, CloudFormationModel):
        TYPE = "AWS::CloudFront::Distribution"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            config = cloudformation_json["Properties"]["DistributionConfig"]
            api_config = {
                **config,
                "CallerReference": f"{resource_name}-{uuid.uuid4()}",
                "Aliases": items(config.get("Aliases") or []),
                "Origins": items([origin(each) for each in config["Origins"]]),
                "DefaultCacheBehavior": behaviour(config["DefaultCacheBehavior"]),
                "CacheBehaviors": items([behaviour(each) for each in config.get("CacheBehaviors", [])]),
                "IsIPV6Enabled": config.get("IPV6Enabled", False),
            }
            distribution, _, _ = cloudfront(account_id, region_name).create_distribution(api_config, [])
            return cls(distribution, distribution.distribution_id, {"Id": distribution.distribution_id, "DomainName": distribution.domain_name})

        def delete(self, account_id: str, region_name: str) -> None:
            cloudfront(account_id, region_name).distributions.pop(self.physical_resource_id, None)

    class Function(StackResource, CloudFormationModel):
        TYPE = "AWS::CloudFront::Function"
        NAME_PROPERTY = "Name"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            properties = cloudformation_json["Properties"]
            function = cloudfront(account_id, region_name).create_function(resource_name, properties["FunctionConfig"], properties["FunctionCode"].encode(), [])
            if properties.get("AutoPublish"):
                function.stage, function.status = "LIVE", "UNASSOCIATED"
            return cls(function, function.arn, {"FunctionARN": function.arn, "FunctionMetadata.FunctionARN": function.arn, "Stage": function.stage})

        def delete(self, account_id: str, region_name: str) -> None:
            cloudfront(account_id, region_name).functions.pop(self.resource.name, None)

    class OriginAccessControl(StackResource, CloudFormationModel):
        TYPE = "AWS::CloudFront::OriginAccessControl"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            control = cloudfront(account_id, region_name).create_origin_access_control(cloudformation_json["Properties"]["OriginAccessControlConfig"])
            return cls(control, control.id, {"Id": control.id})

        def delete(self, account_id: str, region_name: str) -> None:
            cloudfront(account_id, region_name).origin_access_controls.pop(self.physical_resource_id, None)

    return Distribution, Function, OriginAccessControl


WORKAROUNDS = (
    Workaround(LayerVersion, "physical_resource_id", None, layer_ref_is_its_arn),
    Workaround(LayerVersion, "create_from_cloudformation_json", "c94eca749b13d478e60558963440784369da9bcadb6960debf78f505681c58b1", layer_keeps_its_name),
    Workaround(LayerVersion, "update_from_cloudformation_json", None, layer_update_publishes_a_version),
    Workaround(ChangeSet, "apply", "1644afa9d35ce8934a91ca2eea6977f8fe5e3811f8bc9b78ce235a1edf3c63ec", change_set_updates_outputs),
    Workaround(CloudFormationBackend, "execute_change_set", "1090cb5b81abc8ff0422a9c1df9b0ea09192550345fbc198b448e9e9a148a050", change_set_registers_exports),
    Workaround(CloudFormationBackend, "validate_template", "150f2b09a25954a86c709a0e8f0b9ba61b7ce64af0307d311dc27d147997db9b", validation_reports_errors_only),
    Workaround(LambdaFunction, "create_from_cloudformation_json", "65dfaf5c180cf9de167353fdfdd0d4f10091ce5449a5f1b11ab4197fe84fbd2b", function_keeps_layers_and_tracing),
    Workaround(LambdaFunction, "update_from_cloudformation_json", "6734c0f3d66e7ceb1d957e3fe383aa7c8a685ee68c9923671a272bb43b6a638b", function_update_keeps_tracing),
    Workaround(LambdaVersion, "physical_resource_id", None, version_ref_is_its_arn),
    Workaround(LambdaVersion, "create_from_cloudformation_json", "2d8cc47a37adfbba7c761cf8d3b70de1b9e98c98ecb095b8f321176e46d3c926", version_knows_its_arn),
    Workaround(Role, "create_from_cloudformation_json", "05f0a3ccfb317f36b62a4ac3351fbcb5e78b3f5689196f7fedd71f015b83e150", role_policies_are_json),
    ResourceSupport(("AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolGroup"), define_user_pools),
    ResourceSupport(("AWS::CloudFront::Distribution", "AWS::CloudFront::Function", "AWS::CloudFront::OriginAccessControl"), define_distributions),
)


def check() -> None:
    """Fails unless every workaround still fits the installed moto (nothing is patched)."""
    for workaround in WORKAROUNDS:
        workaround.check()


def apply() -> None:
    check()
    for workaround in WORKAROUNDS:
        workaround.apply()
