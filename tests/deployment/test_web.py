"""The packaged web service: a private bucket read only by CloudFront, HTTPS only, strict headers, /api on the same origin."""

import json

import pytest

from devstack.cognito import LocalUserPool
from devstack.console import ConsoleConfig, HeadersPolicy
from infra.definitions import SERVICES, resolved_config
from infra.packaging import expected_api_outputs, expected_shared_outputs
from tests.deployment.conftest import STAGE, resources_of_type

REGION = "eu-west-1"
COGNITO = f"https://cognito-idp.{REGION}.amazonaws.com"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"connect-src 'self' {COGNITO}; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'"
)
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_METHODS = {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}


@pytest.fixture(scope="module")
def web(templates: dict[str, dict]) -> dict:
    return templates["web"]


@pytest.fixture(scope="module")
def distribution(web: dict) -> dict:
    [distribution] = resources_of_type(web, "AWS::CloudFront::Distribution").values()
    return distribution["Properties"]["DistributionConfig"]


def behaviour_for(distribution: dict, pattern: str) -> dict:
    [behaviour] = [each for each in distribution["CacheBehaviors"] if each["PathPattern"] == pattern]
    return behaviour


def function_of(web: dict, behaviour: dict) -> dict:
    [association] = behaviour["FunctionAssociations"]
    assert association["EventType"] == "viewer-request"
    name, attribute = association["FunctionARN"]["Fn::GetAtt"]
    assert attribute == "FunctionMetadata.FunctionARN"
    return web["Resources"][name]["Properties"]


def test_the_bucket_is_private_owner_enforced_encrypted_and_versioned(web):
    properties = web["Resources"]["ConsoleBucket"]["Properties"]
    assert properties["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    assert properties["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    [rule] = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    [lifecycle] = properties["LifecycleConfiguration"]["Rules"]
    assert lifecycle["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
    assert "WebsiteConfiguration" not in properties and "AccessControl" not in properties


def test_only_this_distribution_may_read_the_bucket_and_only_over_tls(web):
    [policy] = [each["Properties"] for each in resources_of_type(web, "AWS::S3::BucketPolicy").values() if each["Properties"]["Bucket"] == {"Ref": "ConsoleBucket"}]
    allow, deny = policy["PolicyDocument"]["Statement"]
    assert allow["Effect"] == "Allow"
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert allow["Resource"] == {"Fn::Sub": "${ConsoleBucket.Arn}/*"}
    assert allow["Condition"] == {
        "StringEquals": {"AWS:SourceArn": {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"}}
    }
    assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", "*", "s3:*")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_cloudfront_reads_the_bucket_through_origin_access_control(web, distribution):
    [control] = resources_of_type(web, "AWS::CloudFront::OriginAccessControl").values()
    config = control["Properties"]["OriginAccessControlConfig"]
    assert (config["OriginAccessControlOriginType"], config["SigningBehavior"], config["SigningProtocol"]) == ("s3", "always", "sigv4")
    assert not resources_of_type(web, "AWS::CloudFront::CloudFrontOriginAccessIdentity")
    [console] = [origin for origin in distribution["Origins"] if origin["Id"] == "console"]
    assert console["DomainName"] == {"Fn::GetAtt": ["ConsoleBucket", "RegionalDomainName"]}
    assert console["OriginAccessControlId"] == {"Fn::GetAtt": ["ConsoleOriginAccessControl", "Id"]}
    assert console["S3OriginConfig"] == {"OriginAccessIdentity": ""}


def test_viewers_get_https_only_http2_and_3_and_tls_1_2_with_a_certificate(distribution):
    assert distribution["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert {behaviour["ViewerProtocolPolicy"] for behaviour in distribution["CacheBehaviors"]} == {"https-only"}
    assert distribution["HttpVersion"] == "http2and3"
    assert distribution["DefaultRootObject"] == "index.html"
    condition, with_certificate, without = distribution["ViewerCertificate"]["Fn::If"]
    assert condition == "HasCertificate"
    assert with_certificate == {"AcmCertificateArn": {"Ref": "CertificateArn"}, "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
    assert without == {"CloudFrontDefaultCertificate": True}


def test_the_console_gets_the_strict_headers_policy(web, distribution):
    policy_name = distribution["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]["Ref"]
    headers = web["Resources"][policy_name]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers == {
        "ContentSecurityPolicy": {"ContentSecurityPolicy": CSP, "Override": True},
        "StrictTransportSecurity": {"AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": True, "Override": True},
        "ContentTypeOptions": {"Override": True},
        "FrameOptions": {"FrameOption": "DENY", "Override": True},
        "ReferrerPolicy": {"ReferrerPolicy": "no-referrer", "Override": True},
    }


def test_the_api_answers_under_api_on_the_same_origin_uncached_with_everything_but_host(web, distribution):
    api = expected_api_outputs(STAGE)
    [origin] = [origin for origin in distribution["Origins"] if origin["Id"] == "api"]
    assert (origin["DomainName"], origin["OriginPath"]) == (api["ApiDomain"], f"/{STAGE}")
    assert origin["CustomOriginConfig"] == {"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]}
    behaviour = behaviour_for(distribution, "/api/*")
    assert [each["PathPattern"] for each in distribution["CacheBehaviors"]] == ["/api/*"]
    assert behaviour["TargetOriginId"] == "api"
    assert set(behaviour["AllowedMethods"]) == ALL_METHODS
    assert behaviour["CachePolicyId"] == CACHING_DISABLED
    assert behaviour["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    function = function_of(web, behaviour)
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["FunctionCode"] == (SERVICES / "web" / "functions" / "strip-api-prefix.js").read_text()
    # The API's answers keep the security headers; a policy the API sends itself (/docs) is kept.
    policy_name = behaviour["ResponseHeadersPolicyId"]["Ref"]
    headers = web["Resources"][policy_name]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["ContentSecurityPolicy"]["Override"] is False
    assert headers["ContentSecurityPolicy"]["ContentSecurityPolicy"].startswith("default-src 'none';")
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["FrameOptions"]["FrameOption"] == "DENY"


def test_the_api_behind_api_is_regional_so_this_distribution_is_its_only_edge(templates):
    # Edge-optimized, the API would sit behind an AWS-managed distribution of its own:
    # two CloudFront hops per call. Regional, its host is the origin this distribution names.
    api = templates["api"]
    [rest_api] = resources_of_type(api, "AWS::ApiGateway::RestApi").values()
    assert rest_api["Properties"]["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    assert api["Outputs"]["ApiDomain"]["Value"] == {"Fn::Sub": "${ApiGatewayRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"}


def test_console_routes_get_index_html_from_a_function_not_an_error_rewrite(web, distribution):
    default = distribution["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "console"
    assert default["CachePolicyId"] == CACHING_OPTIMIZED
    assert set(default["AllowedMethods"]) == {"GET", "HEAD"}
    function = function_of(web, default)
    assert function["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert function["FunctionCode"] == (SERVICES / "web" / "functions" / "spa-routes.js").read_text()
    # A 403/404 rewritten to index.html would mask the API's errors too.
    assert "CustomErrorResponses" not in distribution


def test_the_settings_file_is_made_of_the_other_stacks_outputs(artifacts):
    state = json.loads((artifacts["web"] / "serverless-state.json").read_text())
    assert "serverless-console-files" in state["service"]["plugins"]
    shared = expected_shared_outputs(STAGE)
    assert state["service"]["custom"]["consoleFiles"] == {
        "folder": "public",
        "settings": {
            "apiBaseUrl": "/api",
            "region": REGION,
            "cognitoEndpoint": COGNITO,
            "userPoolId": shared["UserPoolId"],
            "clientId": shared["UserPoolClientId"],
            "currency": "EUR",
        },
    }


def test_the_local_console_server_sends_the_deployed_policies_but_for_the_cognito_origin(web, distribution):
    local_pool = LocalUserPool(pool_id="eu-west-1_local", client_id="c", issuer="", jwks_url="", endpoint="http://127.0.0.1:4566", region=REGION, cognito=None, admin_group="admin")
    local = ConsoleConfig.of(resolved_config("web", env=local_pool.web_env))

    def deployed(behaviour: dict) -> HeadersPolicy:
        config = web["Resources"][behaviour["ResponseHeadersPolicyId"]["Ref"]]["Properties"]["ResponseHeadersPolicyConfig"]
        return HeadersPolicy.of(config["SecurityHeadersConfig"])

    assert local.api_headers == deployed(behaviour_for(distribution, "/api/*"))
    console = deployed(distribution["DefaultCacheBehavior"])
    assert local.console_headers.headers == {
        **console.headers,
        "Content-Security-Policy": (CSP.replace(COGNITO, local_pool.endpoint), True),
    }
    assert console.headers["Content-Security-Policy"] == (CSP, True)


def test_the_web_stack_runs_no_lambda_and_needs_no_role(web):
    assert not resources_of_type(web, "AWS::Lambda::Function")
    assert not resources_of_type(web, "AWS::IAM::Role")
    assert {"ConsoleBucketName", "DistributionId"} <= set(web["Outputs"])
