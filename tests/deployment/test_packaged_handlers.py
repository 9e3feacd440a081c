"""Every packaged function imports its handler from what ships, and nothing else.

The zips are unzipped as Lambda lays them out (function code, then the layers,
then the runtime's boto3) and each handler is imported in a fresh interpreter
that sees only those folders, in a traced Lambda environment: a library the
layer lacks, or bytecode that does not load, fails here and not at a cold start.
"""

import os

import pytest

from infra.lambda_layout import TRACED_INVOCATION_ENV, LambdaLayout
from tests.deployment.conftest import resources_of_type


@pytest.fixture(scope="module")
def layout(artifacts, tmp_path_factory) -> LambdaLayout:
    return LambdaLayout.unpack(artifacts, tmp_path_factory.mktemp("lambda"))


def packaged_functions(templates: dict, service: str) -> list[tuple[str, str]]:
    """(zip name, handler) of each function of ``service``, as the template declares them."""
    functions = resources_of_type(templates[service], "AWS::Lambda::Function").values()
    return [(function["Properties"]["Code"]["S3Key"].rsplit("/", 1)[1].removesuffix(".zip"), function["Properties"]["Handler"]) for function in functions]


@pytest.mark.parametrize("service", ["api", "worker"])
def test_each_function_imports_its_handler_from_its_zip_and_the_layers_alone(templates, layout, service):
    functions = packaged_functions(templates, service)
    assert functions
    for function, handler in functions:
        module, attribute = handler.replace("/", ".").rsplit(".", 1)
        probe = f"import sys, {module}; assert callable({module}.{attribute}); assert '/.venv/' not in ''.join(m.__file__ or '' for m in sys.modules.values() if hasattr(m, '__file__'))"
        result = layout.python(function, ["-c", probe], {**os.environ, **TRACED_INVOCATION_ENV, "AWS_DEFAULT_REGION": "eu-west-1"})
        assert result.returncode == 0, f"{function}: {result.stderr[-2000:]}"
