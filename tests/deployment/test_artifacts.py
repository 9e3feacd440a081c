"""The zips a deploy uploads: the layer built for the runtime, the functions small and their own."""

import re
import zipfile

import pytest

LAYER_LIMIT_BYTES = 10 * 1024 * 1024
FUNCTION_LIMIT_BYTES = 200 * 1024
RUNTIME_TAG = re.compile(r"\.(cpython-313-x86_64-linux-gnu|abi3)\.so$")


def test_the_requirements_layer_holds_runtime_wheels_only_and_no_boto(artifacts):
    layer = (artifacts["shared"] / "pythonRequirements.zip").resolve()
    assert layer.stat().st_size < LAYER_LIMIT_BYTES
    names = zipfile.ZipFile(layer).namelist()
    assert all(name.startswith("python/") for name in names)
    top_level = {name.split("/")[1] for name in names}
    assert {"pydantic", "pydantic_core", "aws_lambda_powertools", "jwt", "cryptography"} <= top_level
    assert not top_level & {"boto3", "botocore", "s3transfer"}
    compiled = [name for name in names if name.endswith(".so")]
    assert compiled and all(RUNTIME_TAG.search(name) for name in compiled), [name for name in compiled if not RUNTIME_TAG.search(name)]


def test_the_shared_code_layer_is_the_pedidos_package(artifacts):
    names = zipfile.ZipFile(artifacts["shared"] / "pedidos.zip").namelist()
    assert "python/pedidos/models/orders.py" in names
    assert all(name.startswith("python/pedidos/") for name in names)


@pytest.mark.parametrize(("service", "package"), [("api", "pedidos_api/"), ("worker", "pedidos_worker/")])
def test_each_function_zip_holds_only_its_own_services_code(artifacts, service, package):
    zips = [each for each in artifacts[service].glob("*.zip")]
    assert zips
    for archive in zips:
        assert archive.stat().st_size < FUNCTION_LIMIT_BYTES
        names = zipfile.ZipFile(archive).namelist()
        assert names and all(name.startswith(package) for name in names), archive.name
        assert not any("__pycache__" in name for name in names)
