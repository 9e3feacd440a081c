"""Update expressions the repositories build from plain values."""

from typing import Any

from pedidos.data.table import to_attributes


def set_and_count(fields: dict[str, Any], remove: tuple[str, ...] = ()) -> dict[str, Any]:
    """``SET`` each field, add one to ``version`` and ``REMOVE`` the named attributes.

    Field names go through ExpressionAttributeNames (``status``, ``name`` are reserved
    words); the caller adds its condition and any values the condition uses.
    """
    values: dict[str, Any] = {f":{name}": value for name, value in fields.items()}
    values[":one"] = 1
    return {
        "UpdateExpression": "SET "
        + ", ".join(f"#{name} = :{name}" for name in fields)
        + " ADD version :one"
        + (" REMOVE " + ", ".join(remove) if remove else ""),
        "ExpressionAttributeNames": {f"#{name}": name for name in fields},
        "ExpressionAttributeValues": to_attributes(values),
    }


def one_of(attribute: str, allowed: tuple[Any, ...], prefix: str) -> tuple[str, dict[str, dict]]:
    """The condition that ``attribute`` (a name placeholder) holds one of ``allowed``, and its values."""
    values = {f":{prefix}{position}": value for position, value in enumerate(allowed)}
    return f"{attribute} IN ({', '.join(values)})", to_attributes(values)
