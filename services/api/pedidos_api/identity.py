"""Who is calling: the principal the authorizer verified, as the API sees it."""

from dataclasses import dataclass

from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent


class Forbidden(Exception):
    """The caller is authenticated but lacks the right for this action."""


@dataclass(frozen=True)
class Principal:
    subject: str
    # Decided by the authorizer from the token, as the stage's settings say (a group or a scope).
    is_admin: bool = False

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("this action needs an administrator")

    @property
    def authorizer_context(self) -> dict[str, str]:
        """What the authorizer hands API Gateway for the API to read back (``principal_of``): strings only."""
        return {"customer_id": self.subject, "admin": "true" if self.is_admin else "false"}


def principal_of(event: APIGatewayProxyEvent) -> Principal:
    """The principal from the authorizer's context, which API Gateway passes on verified."""
    context = event.request_context.authorizer.get_context()
    subject = context.get("customer_id") or context.get("principalId")
    if not subject:
        # Only reachable if a route was deployed without the authorizer.
        raise Forbidden("the request carries no verified identity")
    return Principal(subject=str(subject), is_admin=str(context.get("admin")).lower() == "true")
