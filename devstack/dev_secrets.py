"""Dev-only secrets, generated on first use into .local/ (ignored by git).

The cursor key signs local page cursors and nothing else; real stages read
theirs from SSM. (Local tokens come from the local endpoint's user pool.)
"""

import json
import secrets
from pathlib import Path

from infra.definitions import ROOT

SECRETS_FILE = ROOT / ".local" / "dev-secrets.json"


def dev_secrets(path: Path = SECRETS_FILE) -> dict[str, str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generated = {"cursor_key": secrets.token_urlsafe(48)}
        path.write_text(json.dumps(generated, indent=2))
        path.chmod(0o600)
    return json.loads(path.read_text())


def secrets_env() -> dict[str, str]:
    """The variables through which api's serverless.yml takes the dev secrets on the local stage."""
    return {"PEDIDOS_DEV_CURSOR_KEY": dev_secrets()["cursor_key"]}
