"""The query parameters every listing route takes: a page size and the previous page's cursor."""

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1-100.")]
Cursor = Annotated[str | None, Query(max_length=2048, description="`next_cursor` of the previous page.")]
