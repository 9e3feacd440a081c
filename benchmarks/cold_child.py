"""One cold start: a fresh interpreter imports a handler and serves its first event.

Run by benchmarks.run in a new process each time, as a script with only the
function's Lambda import path (see infra/lambda_layout.py); prints one JSON line.
It imports nothing the handler would not (hence its own Context, not devstack's
LambdaContext): whatever it loaded first would be missing from the measured import.

    python -S -P cold_child.py <module> <handler> <event as JSON>
"""

import json
import resource
import sys
import time

started = time.perf_counter()


class Context:
    function_name = "bench"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "bench"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def main(module_name: str, attribute: str, event: dict) -> None:
    module = __import__(module_name, fromlist=[attribute])
    imported = time.perf_counter()
    try:
        getattr(module, attribute)(event, Context())
    except Exception as error:  # the authorizer rejects by raising; a cold start is a cold start
        if str(error) != "Unauthorized":
            raise
    served = time.perf_counter()
    figures = {
        "import_ms": (imported - started) * 1000,
        "total_ms": (served - started) * 1000,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]))
