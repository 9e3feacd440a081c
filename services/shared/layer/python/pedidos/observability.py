"""Logger, metrics and tracer shared by every function.

Each function names itself through ``POWERTOOLS_SERVICE_NAME``; the metrics
namespace is the product's, so dashboards see the whole flow in one place.
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics(namespace="Pedidos")
tracer = Tracer()
