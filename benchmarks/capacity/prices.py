"""AWS list prices the cost model uses: us-east-1, on-demand, in US dollars, in one dated table.

Each price names the public AWS pricing page it is published on. This machine has no
network, so nothing is fetched at run time: the figures are as published on those pages
as known in 2025 (``KNOWN_AS_OF``), not re-checked on the day the report runs; check them
there before deciding on money (docs/capacity.md, "Cost per million orders", lists the
ones least certain). The deployed region is eu-west-1, whose prices differ by a few
per cent for some services (DynamoDB, CloudWatch Logs); the structure of the bill does not.

Free allowances (the first million SQS requests a month, 100,000 traces, 10 million
CloudFront requests...) are the account's, not an order's: they are named in the notes and
left out of the tiers.

A price with tiers charges each month's usage tier by tier (``Price.monthly``): at a
large shop's volume the later, cheaper tiers dominate, so the report gives the cost per
million orders both at the first tier and at the load model's month.
"""

import math
from dataclasses import dataclass

KNOWN_AS_OF = "2025"
REGION = "us-east-1"


@dataclass(frozen=True)
class Price:
    """Dollars per ``per`` units of ``unit``, in tiers of monthly usage: ``tiers`` is ((units up to, dollars per
    ``per`` units), ...), the last tier open-ended (``math.inf``)."""

    service: str
    unit: str
    per: float
    tiers: tuple[tuple[float, float], ...]
    page: str
    note: str = ""

    @property
    def first_tier(self) -> float:
        """Dollars per single unit at the first tier."""
        return self.tiers[0][1] / self.per

    def monthly(self, units: float) -> float:
        """Dollars for ``units`` used in one month, tier by tier."""
        dollars, below = 0.0, 0.0
        for up_to, dollars_per in self.tiers:
            in_tier = min(units, up_to) - below
            if in_tier <= 0:
                break
            dollars += in_tier * dollars_per / self.per
            below = up_to
        return dollars


MILLION = 1_000_000
BILLION = 1_000 * MILLION
GB = 1024**3

API_GATEWAY_PAGE = "https://aws.amazon.com/api-gateway/pricing/"
LAMBDA_PAGE = "https://aws.amazon.com/lambda/pricing/"

REST_API_REQUEST = Price(
    "API Gateway REST API", "request", MILLION,
    ((333 * MILLION, 3.50), (BILLION, 2.80), (20 * BILLION, 2.38), (math.inf, 1.51)),
    API_GATEWAY_PAGE,
    "tiers: first 333 million, next 667 million, next 19 billion, over 20 billion a month",
)
HTTP_API_REQUEST = Price(
    "API Gateway HTTP API", "request", MILLION,
    ((300 * MILLION, 1.00), (math.inf, 0.90)),
    API_GATEWAY_PAGE,
    "metered in 512 KB increments (every Pedidos request and response is far smaller)",
)
LAMBDA_REQUEST = Price("Lambda", "invocation", MILLION, ((math.inf, 0.20),), LAMBDA_PAGE, "x86_64 and arm64 alike")
LAMBDA_GB_SECOND = {
    "x86_64": Price(
        "Lambda x86_64", "GB-second", 1,
        ((6 * BILLION, 0.0000166667), (15 * BILLION, 0.0000150000), (math.inf, 0.0000133334)),
        LAMBDA_PAGE,
        "billed per 1 ms; memory in MB / 1024 = GB; tiers: first 6 billion GB-s, next 9 billion, over 15 billion a month",
    ),
    "arm64": Price(
        "Lambda arm64", "GB-second", 1,
        ((7.5 * BILLION, 0.0000133334), (18.75 * BILLION, 0.0000120001), (math.inf, 0.0000106667)),
        LAMBDA_PAGE,
        "tiers: first 7.5 billion GB-s, next 11.25 billion, over 18.75 billion a month",
    ),
}
DYNAMODB_PAGE = "https://aws.amazon.com/dynamodb/pricing/on-demand/"
DYNAMODB_WRITE_UNIT = Price(
    "DynamoDB on-demand", "write request unit", MILLION, ((math.inf, 0.625),), DYNAMODB_PAGE,
    "1 WRU per KB written; a transactional write is 2 WRU per KB; each GSI write is its own WRU "
    "(the ledger counts all three); the price since the on-demand cut of November 2024",
)
DYNAMODB_READ_UNIT = Price(
    "DynamoDB on-demand", "read request unit", MILLION, ((math.inf, 0.125),), DYNAMODB_PAGE,
    "1 RRU per 4 KB strongly consistent read, half for eventually consistent, 2 for transactional",
)
DYNAMODB_STORAGE = Price(
    "DynamoDB", "GB-month stored", 1, ((math.inf, 0.25),), DYNAMODB_PAGE,
    "not per order: the table's size, not its traffic (first 25 GB a month free)",
)
SQS_REQUEST = Price(
    "SQS standard queue", "request", MILLION,
    ((100 * BILLION, 0.40), (200 * BILLION, 0.30), (math.inf, 0.24)),
    "https://aws.amazon.com/sqs/pricing/",
    "every 64 KB chunk of a request's payload is one request; a batch of 10 small messages is one; first million a month free",
)
CLOUDWATCH_PAGE = "https://aws.amazon.com/cloudwatch/pricing/"
LOGS_INGESTED = Price(
    "CloudWatch Logs (Lambda logs)", "GB ingested", 1,
    ((10 * 1024, 0.50), (30 * 1024, 0.25), (50 * 1024, 0.10), (math.inf, 0.05)),
    CLOUDWATCH_PAGE,
    "Lambda's logs are vended logs, tiered by volume since May 2025: first 10 TB, next 20 TB, next 20 TB, over 50 TB a month",
)
LOGS_STORED = Price(
    "CloudWatch Logs", "GB-month stored", 1, ((math.inf, 0.03),), CLOUDWATCH_PAGE,
    "compressed; the log groups keep 30 days, so a month of logs is stored about once",
)
CUSTOM_METRIC = Price(
    "CloudWatch custom metrics", "metric-month", 1, ((10_000, 0.30), (240_000, 0.10), (math.inf, 0.05)), CLOUDWATCH_PAGE,
    "not per order: one per metric name and dimension set (EMF lines are billed as the logs they are)",
)
XRAY_TRACE = Price(
    "X-Ray", "trace recorded", MILLION, ((math.inf, 5.00),), "https://aws.amazon.com/xray/pricing/",
    "first 100,000 traces a month free; traces retrieved or scanned are $0.50 a million more, not modelled",
)
CLOUDFRONT_REQUEST = Price(
    "CloudFront (the console's /api/* edge)", "HTTPS request", 10_000,
    ((math.inf, 0.0100),),
    "https://aws.amazon.com/cloudfront/pricing/",
    "North America and Europe; first 10 million a month free; data transfer out ($0.085/GB) not modelled",
)
SNAPSTART_RESTORE = Price(
    "Lambda SnapStart (Python)", "GB restored", 1, ((math.inf, 0.0001397998),), LAMBDA_PAGE,
    "per cold start of a prod API function, plus $0.0000015046 a GB-s to keep each published version's snapshot: not per order",
)
COGNITO_NOTE = (
    "Cognito bills monthly active users (Essentials tier, beyond the free 10,000), not requests: "
    "a token is checked by the authorizer, never by Cognito, so orders cost Cognito nothing"
)

EVERY_PRICE = (
    REST_API_REQUEST, HTTP_API_REQUEST, LAMBDA_REQUEST, *LAMBDA_GB_SECOND.values(), DYNAMODB_WRITE_UNIT, DYNAMODB_READ_UNIT,
    DYNAMODB_STORAGE, SQS_REQUEST, LOGS_INGESTED, LOGS_STORED, CUSTOM_METRIC, XRAY_TRACE, CLOUDFRONT_REQUEST, SNAPSTART_RESTORE,
)
