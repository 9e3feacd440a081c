"""Every failure as an RFC 9457 ``application/problem+json`` response.

The handlers here are the only place that turns an exception into HTTP; the
routes raise domain errors and never build error bodies themselves.
"""

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError, ResponseValidationError
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)

from pedidos.errors import AlreadyExists, Contended, InvalidTransition, NotFound, VersionMismatch
from pedidos.models import FieldError, Problem
from pedidos.observability import logger
from pedidos_api.identity import Forbidden
from pedidos_api.pagination import InvalidCursor
from pedidos_api.preconditions import MalformedPrecondition

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_body(status: HTTPStatus, detail: str, errors: list[FieldError] | None = None) -> str:
    body = Problem(
        type=f"/problems/{status.phrase.lower().replace(' ', '-')}",
        title=status.phrase,
        status=status.value,
        detail=detail,
        errors=errors,
    )
    return body.model_dump_json(exclude_none=True)


def problem(status: HTTPStatus, detail: str, errors: list[FieldError] | None = None) -> Response[str]:
    return Response(status_code=status.value, content_type=PROBLEM_CONTENT_TYPE, body=problem_body(status, detail, errors))


def _field_errors(errors: Sequence[Mapping[str, Any]]) -> list[FieldError]:
    return [
        FieldError(location=list(error.get("loc", ())), message=str(error.get("msg", error.get("type"))), type=error["type"])
        for error in errors
    ]


# Which status each expected failure maps to; anything else is a 500.
_STATUS_OF: dict[type[Exception], HTTPStatus] = {
    NotFound: HTTPStatus.NOT_FOUND,
    AlreadyExists: HTTPStatus.CONFLICT,
    InvalidTransition: HTTPStatus.CONFLICT,
    IdempotencyAlreadyInProgressError: HTTPStatus.CONFLICT,
    VersionMismatch: HTTPStatus.PRECONDITION_FAILED,
    MalformedPrecondition: HTTPStatus.BAD_REQUEST,
    InvalidCursor: HTTPStatus.BAD_REQUEST,
    Forbidden: HTTPStatus.FORBIDDEN,
}

_DETAIL_OF: dict[type[Exception], str] = {
    IdempotencyAlreadyInProgressError: "a request with this Idempotency-Key is still being processed; retry shortly",
}


# A 64 KiB body can hold thousands of offending fields; listing each would answer with ten
# times the bytes it was sent. The first ones are enough to fix a request by.
MAX_LISTED_ERRORS = 50
# Contention passes within the worker's own back-off budget (1.5 s): a second is enough.
CONTENDED_RETRY_AFTER_SECONDS = 1


def register(app: APIGatewayRestResolver) -> None:
    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response[str]:
        errors = _field_errors(error.errors())
        malformed = any(each.type == "json_invalid" for each in errors)
        status = HTTPStatus.BAD_REQUEST if malformed else HTTPStatus.UNPROCESSABLE_ENTITY
        detail = "the body is not valid JSON" if malformed else "the request does not match the API's schema"
        if len(errors) > MAX_LISTED_ERRORS:
            detail += f"; the first {MAX_LISTED_ERRORS} of {len(errors)} errors are listed"
        return problem(status, detail, errors[:MAX_LISTED_ERRORS])

    @app.exception_handler(IdempotencyValidationError)
    def reused_key(error: IdempotencyValidationError) -> Response[str]:
        return problem(HTTPStatus.UNPROCESSABLE_ENTITY, "this Idempotency-Key was already used with a different body")

    @app.exception_handler(list(_STATUS_OF))
    def expected_failure(error: Exception) -> Response[str]:
        status = next(status for kind, status in _STATUS_OF.items() if isinstance(error, kind))
        return problem(status, _DETAIL_OF.get(type(error), str(error)))

    @app.exception_handler(Contended)
    def contended(error: Contended) -> Response[str]:
        # Not the caller's fault and over in moments (a hot product's stock moving under an
        # administrator's change, a throttled table): the same request, sent again, goes through.
        logger.warning("request refused for now: contention", reason=str(error))
        response = problem(HTTPStatus.SERVICE_UNAVAILABLE, "the resource is changing too often right now; retry shortly")
        response.headers["Retry-After"] = str(CONTENDED_RETRY_AFTER_SECONDS)
        return response

    @app.exception_handler(ResponseValidationError)
    def invalid_response(error: ResponseValidationError) -> Response[str]:
        logger.error("response failed its own schema", errors=error.errors())
        return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "the server produced an invalid response")

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response[str]:
        logger.exception("unhandled error")
        return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred; it has been logged")

    @app.not_found
    def no_route(error: Exception) -> Response[str]:
        return problem(HTTPStatus.NOT_FOUND, "no such resource")
