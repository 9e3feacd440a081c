"""The services' own definitions, as the Serverless Framework resolves them."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "services"
SERVERLESS = ROOT / "node_modules" / ".bin" / "serverless"
LOCAL_STAGE = "local"


def resolved_config(service: str, stage: str = LOCAL_STAGE, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``serverless print`` of one service: its serverless.yml with every variable resolved."""
    output = subprocess.run(
        [str(SERVERLESS), "print", "--stage", stage, "--format", "json"],
        cwd=SERVICES / service,
        env={**os.environ, **(env or {})},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)
