"""Makes serverless offline's Python runner fail an invocation the way Lambda does.

serverless-offline 14.8.2 runs each Python handler in a long-lived process
whose loop has no guard: a handler that raises kills the process, and the
caller waits for the function's timeout. On Lambda the invocation fails and
the runtime lives on. A token authorizer rejects a token precisely by raising
"Unauthorized", so locally every rejected token cost the authorizer's whole
timeout. This guards the loop: a raised "Unauthorized" becomes the 401 the
emulator expects, and any other exception a Lambda-style error result.

Applied by every `npm ci`, in `make` and in the Dockerfile alike: it is
package.json's `postinstall`, run by whichever python3 is on PATH (Debian's
in the image, the venv's under `make`), so it imports nothing but the
standard library. Idempotent; fails loudly if the pinned
version's code is not what it expects.

    python3 devstack/offline_fix.py
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INVOKE = ROOT / "node_modules" / "serverless-offline" / "src" / "lambda" / "handler-runner" / "python-runner" / "invoke.py"
ORIGINAL = "        result = handler(input['event'], context)\n"
GUARDED = """        try:
            result = handler(input['event'], context)
        except Exception as error:  # pedidos: fail the invocation, keep the runtime (devstack/offline_fix.py)
            import traceback
            traceback.print_exc()
            result = 'Unauthorized' if str(error) == 'Unauthorized' else {'errorType': type(error).__name__, 'errorMessage': str(error)}
"""


def apply() -> bool:
    """Guards the runner's loop; returns False when it was guarded already."""
    source = INVOKE.read_text()
    if GUARDED in source:
        return False
    if source.count(ORIGINAL) != 1:
        raise RuntimeError(f"{INVOKE} is not the serverless-offline 14.8.2 runner this fix expects")
    INVOKE.write_text(source.replace(ORIGINAL, GUARDED))
    return True


if __name__ == "__main__":
    apply()
