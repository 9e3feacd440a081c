"""The worker service's own settings."""

import os
from functools import cache

from pydantic import BaseModel, ConfigDict, Field


class SweepSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    # Longer than a healthy hand-off ever takes, so the sweep only finds the lost ones.
    grace_seconds: int = Field(alias="SWEEP_GRACE_SECONDS", default=180, ge=30)


@cache
def sweep_settings() -> SweepSettings:
    return SweepSettings.model_validate(dict(os.environ))
