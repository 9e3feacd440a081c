"""The worker's settings, the one place it reads its environment.

Typed, and read on first use: importing a handler never needs the environment;
the first call that needs a group of settings reads and validates it, and the
result is kept for the warm life of the process.
"""

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from pedidos.resources import SharedResources


class SweepSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    # Longer than a healthy hand-off ever takes, so the sweep only finds the lost ones.
    grace_seconds: int = Field(alias="SWEEP_GRACE_SECONDS", default=180, ge=30)


@cache
def shared_resources() -> SharedResources:
    return SharedResources.model_validate(dict(os.environ))


@cache
def sweep_settings() -> SweepSettings:
    return SweepSettings.model_validate(dict(os.environ))
