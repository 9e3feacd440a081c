"""How the browser tests and the screenshots script launch Debian's chromium: one definition of both.

Playwright never fetches a browser: it launches /usr/bin/chromium (`make test`
installs Debian's package first).
"""

from typing import Any

CHROMIUM = "/usr/bin/chromium"
INSTALL = "apt-get update && apt-get install -y chromium"
LAUNCH: dict[str, Any] = {
    "executable_path": CHROMIUM,
    "headless": True,
    # No sandbox: the tests run as root in a container; nothing reaches out of this machine.
    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
}
