"""Update expressions the repositories build from plain values."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict

from pedidos.data.table import Item, to_attributes


class ConditionalUpdate(TypedDict, closed=True):
    """What an UpdateItem request changes and on what condition, with the names and values both use.

    Closed (nothing else is in it), so that it spreads into the parameters of a request.
    """

    UpdateExpression: str
    ConditionExpression: str
    ExpressionAttributeNames: dict[str, str]
    ExpressionAttributeValues: Item


def set_and_count(fields: dict[str, Any], condition: str, condition_values: Item | None = None, remove: tuple[str, ...] = ()) -> ConditionalUpdate:
    """``SET`` each field, add one to ``version`` and ``REMOVE`` the named attributes, if ``condition`` holds.

    Field names go through ExpressionAttributeNames (``status``, ``name`` are reserved
    words); ``condition_values`` are the values the condition uses.
    """
    values: dict[str, Any] = {f":{name}": value for name, value in fields.items()}
    values[":one"] = 1
    return {
        "UpdateExpression": "SET "
        + ", ".join(f"#{name} = :{name}" for name in fields)
        + " ADD version :one"
        + (" REMOVE " + ", ".join(remove) if remove else ""),
        "ConditionExpression": condition,
        "ExpressionAttributeNames": {f"#{name}": name for name in fields},
        "ExpressionAttributeValues": {**to_attributes(values), **(condition_values or {})},
    }


def one_of(attribute: str, allowed: tuple[Any, ...], prefix: str) -> tuple[str, Item]:
    """The condition that ``attribute`` (a name placeholder) holds one of ``allowed``, and its values."""
    values = {f":{prefix}{position}": value for position, value in enumerate(allowed)}
    return f"{attribute} IN ({', '.join(values)})", to_attributes(values)
