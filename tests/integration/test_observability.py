"""What the functions tell operators: structured logs carrying the correlation id, and EMF metrics."""

import io
import json
import logging
import uuid

import pytest

from devstack.lambda_events import LambdaContext, sqs_event
from pedidos.observability import logger
from pedidos_worker.handlers.orders_queue import handler as worker_handler

ADMIN = {"customer": "admin-1", "admin": True}


def json_lines(text: str) -> list[dict]:
    lines = []
    for line in text.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            lines.append(value)
    return lines


def metrics_in(lines: list[dict]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for line in lines:
        if "_aws" not in line:
            continue
        assert line["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "Pedidos"
        for metric in line["_aws"]["CloudWatchMetrics"][0]["Metrics"]:
            values = line[metric["Name"]]
            found.setdefault(metric["Name"], []).extend(values if isinstance(values, list) else [values])
    return found


class Output:
    """What the functions write: log lines (JSON, one per line) and EMF metrics on standard output."""

    def __init__(self, capsys) -> None:
        self._capsys = capsys
        self.logs = io.StringIO()

    def read(self) -> list[dict]:
        lines = json_lines(self.logs.getvalue()) + json_lines(self._capsys.readouterr().out)
        self.logs.seek(0)
        self.logs.truncate()
        return lines


@pytest.fixture
def output(capsys):
    captured, handler = Output(capsys), logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(captured.logs)
    yield captured
    handler.setStream(previous)


def test_the_correlation_id_goes_from_the_request_through_the_event_into_every_worker_log_line(
    call_api, new_sku, local_aws, lambda_environment, output
):
    sku = new_sku()
    call_api("POST", "/products", body={"sku": sku, "name": "Thing", "price_cents": 100, "stock": 5}, **ADMIN)
    correlation = f"trace-{uuid.uuid4().hex[:12]}"
    output.read()
    placed = call_api("POST", "/orders", body={"lines": [{"sku": sku, "quantity": 1}]}, headers={"X-Correlation-Id": correlation}, customer="watched")
    api_output = output.read()
    assert metrics_in(api_output)["OrdersPlaced"] == [1.0]
    api_logs = [line for line in api_output if "level" in line]
    assert api_logs and all(line["correlation_id"] == correlation for line in api_logs)

    sqs = local_aws.client("sqs")
    url = lambda_environment["ORDERS_QUEUE_URL"]
    bodies = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            bodies.append(message["Body"])
    [event] = [body for body in bodies if json.loads(body)["order_id"] == placed.json()["id"]]
    worker_handler(sqs_event([event]), LambdaContext(function_name="pedidos-worker"))

    worker_output = output.read()
    about_the_order = [line for line in worker_output if "level" in line and line.get("order_id") == placed.json()["id"]]
    assert about_the_order and all(line["correlation_id"] == correlation for line in about_the_order)
    metrics = metrics_in(worker_output)
    assert metrics["OrdersConfirmed"] == [1.0]
    assert len(metrics["DecisionLatency"]) == 1 and metrics["DecisionLatency"][0] >= 0


def test_a_failing_event_is_logged_and_counted(output):
    poison = json.dumps({"type": "OrderPlaced", "version": 1, "event_id": "e", "order_id": str(uuid.uuid4()), "customer_id": "c",
                         "occurred_at": "2026-01-01T00:00:00Z", "correlation_id": "trace-poison"})
    output.read()
    response = worker_handler(sqs_event([poison]), LambdaContext(function_name="pedidos-worker"))
    assert len(response["batchItemFailures"]) == 1
    lines = output.read()
    errors = [line for line in lines if line.get("level") == "ERROR"]
    assert errors and errors[0]["correlation_id"] == "trace-poison"
    assert metrics_in(lines)["EventsFailed"] == [1.0]
