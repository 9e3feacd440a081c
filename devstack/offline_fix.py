"""Makes serverless offline 14.8.2 behave like Lambda and API Gateway where Pedidos relies on it.

Two fixes, each a patch of the pinned version's code:

- **Failed invocations.** Its Python runner runs each handler in a long-lived
  process whose loop has no guard: a handler that raises kills the process, and
  the caller waits for the function's timeout. On Lambda the invocation fails and
  the runtime lives on. A token authorizer rejects a token precisely by raising
  "Unauthorized", so locally every rejected token cost the authorizer's whole
  timeout. The guard turns a raised "Unauthorized" into the 401 the emulator
  expects, and any other exception into a Lambda-style error result.
- **No CORS.** It answers every request that has an `Origin` with that origin
  allowed, credentials included, and answers every preflight, whatever the
  service declares; the deployed REST API declares no CORS, so a browser on
  another origin gets nothing from it. A page tested against the local API would
  work there and fail on AWS. With `noCors: true` in `custom.serverless-offline`
  (services/api/serverless.yml) it adds no CORS header and answers no preflight.

Applied by every `npm ci`, in `make` and in the Dockerfile alike: it is
package.json's `postinstall`, run by whichever python3 is on PATH (Debian's
in the image, the venv's under `make`), so it imports nothing but the
standard library. Idempotent; fails loudly if the pinned version's code is
not what it expects.

    python3 devstack/offline_fix.py
"""

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFLINE = ROOT / "node_modules" / "serverless-offline" / "src"


@dataclass(frozen=True)
class Patch:
    path: Path
    original: str
    patched: str

    def apply(self) -> bool:
        """Patches the file; returns False when it was patched already."""
        source = self.path.read_text()
        if self.patched in source:
            return False
        if source.count(self.original) != 1:
            raise RuntimeError(f"{self.path} is not the serverless-offline 14.8.2 code this fix expects")
        self.path.write_text(source.replace(self.original, self.patched))
        return True


RUNNER_GUARD = Patch(
    OFFLINE / "lambda" / "handler-runner" / "python-runner" / "invoke.py",
    "        result = handler(input['event'], context)\n",
    """        try:
            result = handler(input['event'], context)
        except Exception as error:  # pedidos: fail the invocation, keep the runtime (devstack/offline_fix.py)
            import traceback
            traceback.print_exc()
            result = 'Unauthorized' if str(error) == 'Unauthorized' else {'errorType': type(error).__name__, 'errorMessage': str(error)}
""",
)
# The routes' CORS settings (hapi's, which answer preflights): none at all.
NO_ROUTE_CORS = Patch(
    OFFLINE / "ServerlessOffline.js",
    "    this.#options.corsConfig = {\n",
    "    // pedidos: noCors leaves every route without CORS, as API Gateway without it (devstack/offline_fix.py)\n"
    "    this.#options.corsConfig = this.#options.noCors ? false : {\n",
)
# The hook that allows any request's Origin, with credentials: skipped.
NO_ORIGIN_REFLECTION = Patch(
    OFFLINE / "events" / "http" / "HttpServer.js",
    '    this.#server.ext("onPreResponse", (request, h) => {\n      if (request.headers.origin) {\n',
    '    this.#server.ext("onPreResponse", (request, h) => {\n'
    "      // pedidos: noCors allows no origin (devstack/offline_fix.py)\n"
    "      if (request.headers.origin && !this.#options.noCors) {\n",
)
PATCHES = (RUNNER_GUARD, NO_ROUTE_CORS, NO_ORIGIN_REFLECTION)


def apply(patches: tuple[Patch, ...] = PATCHES) -> bool:
    """Applies every patch; returns False when all were applied already."""
    return any([patch.apply() for patch in patches])


if __name__ == "__main__":
    apply()
