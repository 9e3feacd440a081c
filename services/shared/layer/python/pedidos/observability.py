"""Logger, metrics and tracer shared by every function.

Each function names itself through ``POWERTOOLS_SERVICE_NAME``; the metrics
namespace is the product's, so dashboards see the whole flow in one place:
``POWERTOOLS_METRICS_NAMESPACE``, which every function is given from
services/shared/resources/names.yml, as the alarms and the dashboard are.
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
metrics = Metrics()
# Each handler patches only the libraries it calls out through (`tracer.patch([...])`):
# patching every library X-Ray knows imports them all, botocore and sqlite3 included,
# which cost the authorizer (no AWS calls) ~150 ms of its cold start.
tracer = Tracer(auto_patch=False)
