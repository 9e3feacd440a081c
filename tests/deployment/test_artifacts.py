"""The zips a deploy uploads: the layer built for the runtime, the functions small and their own."""

import re
import zipfile
from pathlib import PurePosixPath

import pytest

# 8.2 MB of wheels plus 2.9 MB of their bytecode, which saves ~400 ms of compiling per cold start.
LAYER_LIMIT_BYTES = 12 * 1024 * 1024
FUNCTION_LIMIT_BYTES = 200 * 1024
RUNTIME_TAG = re.compile(r"\.(cpython-313-x86_64-linux-gnu|abi3)\.so$")


def without_bytecode(names: list[str]) -> list[str]:
    """The Python sources in an archive that have no CPython 3.13 bytecode beside them."""
    present = set(names)
    sources = [PurePosixPath(name) for name in names if name.endswith(".py")]
    return [str(source) for source in sources if str(source.parent / "__pycache__" / f"{source.stem}.cpython-313.pyc") not in present]


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
    assert without_bytecode(names) == []


def test_the_shared_code_layer_is_the_pedidos_package(artifacts):
    names = zipfile.ZipFile(artifacts["shared"] / "pedidos.zip").namelist()
    assert "python/pedidos/models/orders.py" in names
    assert all(name.startswith("python/pedidos/") for name in names)
    assert without_bytecode(names) == []


@pytest.mark.parametrize(("service", "package"), [("api", "pedidos_api/"), ("worker", "pedidos_worker/")])
def test_each_function_zip_holds_only_its_own_services_code(artifacts, service, package):
    zips = [each for each in artifacts[service].glob("*.zip")]
    assert zips
    for archive in zips:
        assert archive.stat().st_size < FUNCTION_LIMIT_BYTES
        names = zipfile.ZipFile(archive).namelist()
        assert names and all(name.startswith(package) for name in names), archive.name
        assert without_bytecode(names) == []
        assert all(name.endswith(".cpython-313.pyc") for name in names if "__pycache__" in name)
