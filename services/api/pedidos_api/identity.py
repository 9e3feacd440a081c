"""Who is calling: the principal the authorizer verified, as the API sees it."""

from dataclasses import dataclass

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

ADMIN_SCOPE = "admin"


class Forbidden(Exception):
    """The caller is authenticated but lacks the right for this action."""


@dataclass(frozen=True)
class Principal:
    subject: str
    scopes: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return ADMIN_SCOPE in self.scopes

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("this action needs the admin scope")


def principal_of(event: APIGatewayProxyEvent) -> Principal:
    """The principal from the authorizer's context, which API Gateway passes on verified."""
    context = event.request_context.authorizer.get_context()
    subject = context.get("customer_id") or context.get("principalId")
    if not subject:
        # Only reachable if a route was deployed without the authorizer.
        raise Forbidden("the request carries no verified identity")
    return Principal(subject=str(subject), scopes=frozenset(str(context.get("scope") or "").split()))
