"""Dev-only secrets, generated on first use into .local/ (ignored by git).

They sign local tokens and cursors and nothing else; real stages take their
keys from the issuer's JWKS and from SSM.
"""

import json
import secrets
from pathlib import Path

from devstack.serverless import ROOT

SECRETS_FILE = ROOT / ".local" / "dev-secrets.json"


def dev_secrets(path: Path = SECRETS_FILE) -> dict[str, str]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generated = {"jwt_secret": secrets.token_urlsafe(48), "cursor_key": secrets.token_urlsafe(48)}
        path.write_text(json.dumps(generated, indent=2))
        path.chmod(0o600)
    return json.loads(path.read_text())


def secrets_env() -> dict[str, str]:
    """The variables through which api's serverless.yml takes the dev secrets on the local stage."""
    values = dev_secrets()
    return {"PEDIDOS_DEV_JWT_SECRET": values["jwt_secret"], "PEDIDOS_DEV_CURSOR_KEY": values["cursor_key"]}
