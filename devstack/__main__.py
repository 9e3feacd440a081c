"""The local system's command line.

    python -m devstack up                     everything, until Ctrl-C (`make dev`)
    python -m devstack token USER [--admin]   USER's access token from the running stack's user pool (`make token`)
    python -m devstack provision              tables, queues, demo data on the configured endpoints
    python -m devstack serve api|worker       one service in the foreground (docker-compose.yml)
    python -m devstack redrive                the local dead letters back to the orders queue (`make redrive`)
"""

import argparse
import logging
import signal
import sys
import time

from devstack.cognito import add_demo_users, provision_user_pool
from devstack.demo_data import seed
from devstack.provision import provision as create_shared_resources
from devstack.stack import LOG_DIR, DevStack, port_open, wait_for
from infra.definitions import resolved_config
from ops.redrive import redrive


def up() -> None:
    started = time.monotonic()
    print("Starting Pedidos: local AWS endpoint, api and worker (serverless offline), queue delivery...", flush=True)
    # Ctrl-C and SIGTERM both stop everything, even when started from a script
    # that runs us with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    stack = DevStack().start()
    try:
        seeded = seed(stack.client("dynamodb"))
        pool = stack.user_pool
        customer, admin = add_demo_users(pool)
        customer_token, admin_token = (pool.sign_in(user.username, user.password).access_token for user in (customer, admin))
        print(
            f"""
Pedidos is up in {time.monotonic() - started:.0f}s.

  Console      {stack.console_url}   (sign in as a demo user below)
  API          {stack.api_url}
  Swagger UI   {stack.api_url}/docs
  OpenAPI      {stack.api_url}/openapi.json
  AWS endpoint {stack.env['AWS_ENDPOINT_URL']}   (moto: DynamoDB, SQS, Cognito)
  Logs         {LOG_DIR}/{{aws,api,worker}}.log
  Demo data    {', '.join(seeded)}

Sign in (user pool {pool.pool_id}, app client {pool.client_id}; dev-only passwords, new each run):
  customer       {customer.username}  {customer.password}
  administrator  {admin.username}  {admin.password}   (group admin)

Their access tokens (valid 1 h; `make token SUB=<user> [ADMIN=1]` signs in anyone):
  export CUSTOMER_TOKEN={customer_token}
  export ADMIN_TOKEN={admin_token}

Try:
  curl -s {stack.api_url}/products -H "Authorization: Bearer $CUSTOMER_TOKEN"
  curl -s -X POST {stack.api_url}/orders -H "Authorization: Bearer $CUSTOMER_TOKEN" \\
       -H 'Content-Type: application/json' -d '{{"lines": [{{"sku": "MUG-RED", "quantity": 2}}]}}'

Ctrl-C stops everything.""",
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
    finally:
        stack.stop()
        print("Stopped.", flush=True)


def print_token(username: str, admin: bool) -> None:
    """`make token`: ``username`` (created, or reused with a new password) signed in to the running stack's pool."""
    stack = DevStack()
    if not port_open(stack.ports.aws):
        sys.exit(f"no local AWS endpoint on port {stack.ports.aws}: start `make dev` first")
    print(provision_user_pool(stack.client("cognito-idp")).token_for(username, admin=admin).access_token)


def provision_and_seed() -> None:
    """Creates the shared stack's tables, queues and user pool, and the demo products and users, on the endpoints the environment names."""
    stack = DevStack(external_endpoints=True)
    dynamodb, sqs, cognito = stack.client("dynamodb"), stack.client("sqs"), stack.client("cognito-idp")
    # Containers start together: the endpoints may still be booting.
    wait_for(lambda: dynamodb.list_tables() and sqs.list_queues() and cognito.list_user_pools(MaxResults=1), "the AWS endpoints", timeout=120)
    created = create_shared_resources(dynamodb, sqs)
    pool = provision_user_pool(cognito)
    users = add_demo_users(pool)
    print(f"Created {created}, user pool {pool.pool_id}; demo products {', '.join(seed(stack.client('dynamodb')))}", flush=True)
    for user in users:
        print(f"Demo user {user.username}, password {user.password}" + (" (admin)" if user.admin else ""), flush=True)


def redrive_locally() -> None:
    """`make redrive`: the dead letters of the system `make dev` runs, back to the orders queue."""
    names = resolved_config("shared")["custom"]["names"]
    sqs = DevStack().client("sqs")
    dead_letters, orders = (sqs.get_queue_url(QueueName=names[name])["QueueUrl"] for name in ("deadLetterQueue", "ordersQueue"))
    moved, failed = redrive(sqs, dead_letters, orders)
    print(f"moved {moved} message(s) from {names['deadLetterQueue']} to {names['ordersQueue']}" + (f"; {failed} failed and stay" if failed else ""))


def serve(service: str) -> None:
    """Runs one service under serverless offline in the foreground (the containers' entry point)."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    stack = DevStack(external_endpoints=True, log_dir=LOG_DIR / service)
    try:
        if service == "api":
            # The pool `provision` made: the api verifies its tokens.
            stack.user_pool = provision_user_pool(stack.client("cognito-idp"))
            stack.start_api()
        else:
            stack.start_worker()
        print(f"{service} is up", flush=True)
        stack.wait()
    finally:
        stack.stop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="devstack", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="run the whole system until Ctrl-C")
    token = commands.add_parser("token", help="sign a user of the running stack's pool in; print the access token")
    token.add_argument("username")
    token.add_argument("--admin", action="store_true")
    commands.add_parser("redrive", help="move the local dead-letter queue back to the orders queue")
    commands.add_parser("provision", help="create the tables, queues and demo data on the configured endpoints")
    serving = commands.add_parser("serve", help="run the api or the worker in the foreground (containers)")
    serving.add_argument("service", choices=["api", "worker"])
    return parser


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    arguments = build_parser().parse_args()
    if arguments.command == "up":
        up()
    elif arguments.command == "provision":
        provision_and_seed()
    elif arguments.command == "redrive":
        redrive_locally()
    elif arguments.command == "serve":
        serve(arguments.service)
    else:
        print_token(arguments.username, arguments.admin)


if __name__ == "__main__":
    main()
