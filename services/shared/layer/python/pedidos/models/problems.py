"""RFC 9457 problem details: the body of every error response."""

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    location: list[str | int] = Field(description="Where the offending value is, e.g. ['body', 'lines', 0, 'quantity'].")
    message: str
    type: str = Field(description="Machine-readable error type, e.g. 'greater_than_equal'.")


class Problem(BaseModel):
    type: str = Field(default="about:blank", description="URI reference identifying the problem type.")
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = Field(default=None, description="The offending fields of a validation error.")
