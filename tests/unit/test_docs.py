"""The documentation matches the tree: its links resolve, its paths exist, and its lists are complete.

Read from the files alone: the README's folder table names every module, the
configuration guide every variable a function or a definition reads, the operations
guide every alarm the definitions create and only metrics the code emits.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
GUIDES = sorted((ROOT / "docs").glob("*.md"))
DOCUMENTS = [README, *GUIDES, *[path for path in [ROOT / "benchmarks" / "README.md"] if path.exists()]]
# Where a path like `pedidos/limits.py` or `pedidos_api/app.py` lives: the Lambda layout's roots.
CODE_ROOTS = [ROOT, ROOT / "services/shared/layer/python", ROOT / "services/api", ROOT / "services/worker"]
SERVICES = ["shared", "api", "worker", "web"]
# What the folder table must name: every module of the product, its tooling and the local system.
MODULE_FOLDERS = ["services", "devstack", "infra", "ops", "benchmarks", "tools"]
BUILT_OR_INSTALLED = {"node_modules", ".serverless", "__pycache__"}
# Folders git ignores (.local/, .venv/...) hold what runs produce: a guide may name them before they exist.
GENERATED = {line.strip().strip("/") for line in (ROOT / ".gitignore").read_text().splitlines() if line.strip().endswith("/")}

FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
INLINE_CODE = re.compile(r"`([^`\n]+)`")
PATH_LIKE = re.compile(r"^\.{0,2}[\w-][\w.-]*(/[\w.-]+)*/?$")


def prose(document: Path) -> str:
    """The document without its fenced blocks (commands and diagrams, not references)."""
    return FENCE.sub("", document.read_text())


def anchors(document: Path) -> set[str]:
    """The anchors GitHub gives the document's headings."""
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", prose(document), re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        candidate, count = slug, 0
        while candidate in found:
            count += 1
            candidate = f"{slug}-{count}"
        found.add(candidate)
    return found


def relative_links(document: Path) -> list[str]:
    return [target for target in LINK.findall(prose(document)) if not re.match(r"^[a-z]+:", target)]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_names_a_file_and_a_heading_that_exist(document: Path):
    broken = []
    for target in relative_links(document):
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(target)
    assert not broken, f"{document.name} links to what does not exist: {broken}"


def named_paths(document: Path) -> list[str]:
    """Inline-code spans that are repository paths: their first folder is one of the tree's."""
    paths = []
    for span in INLINE_CODE.findall(prose(document)):
        if "/" not in span or not PATH_LIKE.match(span) or span.startswith("../"):
            continue
        first = span.split("/")[0]
        if first not in GENERATED and any((root / first).is_dir() for root in CODE_ROOTS):
            paths.append(span)
    return paths


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_path_a_document_names_exists(document: Path):
    missing = [path for path in named_paths(document) if not any((root / path).exists() for root in CODE_ROOTS)]
    assert not missing, f"{document.name} names paths that do not exist: {missing}"


def folder_table() -> dict[str, str]:
    """The README's folder table: each row's folder, and the rest of the row."""
    text = README.read_text()
    start = text.index("| folder | what is there |")
    table = text[start : text.index("\n\n", start)].splitlines()[2:]
    rows = {}
    for line in table:
        row = re.match(r"^\| `([^`]+)` \| (.+) \|$", line)
        assert row, f"not a folder row: {line}"
        folder, rest = row.groups()
        rows[folder.rstrip("/")] = rest
    return rows


def modules() -> list[Path]:
    return sorted(
        path
        for folder in MODULE_FOLDERS
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "__init__.py" and not BUILT_OR_INSTALLED & set(path.relative_to(ROOT).parts)
    )


def test_the_folder_table_names_every_module_in_the_row_of_its_folder():
    rows = folder_table()
    unnamed = []
    for module in modules():
        relative = module.relative_to(ROOT).as_posix()
        holders = [folder for folder in rows if relative.startswith(folder + "/")]
        row = rows[max(holders, key=len)] if holders else ""
        if f"`{module.name}`" not in row and f"/{module.name}`" not in row:
            unnamed.append(relative)
    assert not unnamed, f"the README's folder table does not name: {unnamed}"


def test_every_row_of_the_folder_table_is_a_folder_that_exists():
    rows = folder_table()
    assert "services/shared/layer/python/pedidos" in rows
    assert [folder for folder in rows if not (ROOT / folder).is_dir()] == []


class _IgnoreTags(yaml.SafeLoader):
    """Reads a serverless.yml as plain data: CloudFormation's tags (!Ref, !Sub...) become None."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)


def definition(service: str) -> dict:
    return yaml.load((ROOT / "services" / service / "serverless.yml").read_text(), Loader=_IgnoreTags)


def variables_read() -> set[str]:
    """Every variable the functions get or the settings read, and every one a definition reads when resolved."""
    names: set[str] = set()
    for service in SERVICES:
        config = definition(service)
        names |= set((config.get("provider") or {}).get("environment") or {})
        for function in (config.get("functions") or {}).values():
            names |= set(function.get("environment") or {})
        names |= set(re.findall(r"\$\{env:(\w+)", (ROOT / "services" / service / "serverless.yml").read_text()))
    for settings in (ROOT / "services").rglob("settings.py"):
        names |= set(re.findall(r'alias="(\w+)"', settings.read_text()))
    return names - {"HOME"}


def test_the_configuration_guide_names_every_variable_the_code_and_the_definitions_read():
    guide = (ROOT / "docs" / "configuration.md").read_text()
    assert "SWEEP_GRACE_SECONDS" in variables_read()
    assert sorted(name for name in variables_read() if f"`{name}`" not in guide) == []


def alarms_defined() -> set[str]:
    names = set()
    for service in SERVICES:
        text = (ROOT / "services" / service / "serverless.yml").read_text()
        names |= {f"pedidos-<stage>-{suffix}" for suffix in re.findall(r"AlarmName: pedidos-\$\{sls:stage\}-([\w-]+)", text)}
    return names


def test_the_runbook_covers_every_alarm_and_names_no_other():
    runbook = (ROOT / "docs" / "operations.md").read_text()
    named = set(re.findall(r"`(pedidos-<stage>-[\w-]+)`", runbook)) - {"pedidos-<stage>-alarms"}
    assert alarms_defined() and named == alarms_defined()


def test_the_operations_guide_lists_the_dashboards_metrics_and_only_names_the_code_emits():
    code = "\n".join(path.read_text() for path in (ROOT / "services").rglob("*.py"))
    guide = (ROOT / "docs" / "operations.md").read_text()
    table = guide[guide.index("| metric |") : guide.index("\n\n", guide.index("| metric |"))]
    listed = set(re.findall(r"`(\w+)`", table))
    dashboard = json.loads((ROOT / "services/shared/resources/dashboard.json").read_text())
    shown = {metric[1] for widget in dashboard["widgets"] for metric in widget["properties"].get("metrics", []) if not metric[0].startswith("AWS/")}
    assert shown and shown <= listed
    assert sorted(name for name in listed if f'"{name}"' not in code) == []


def test_the_readme_table_layout_has_a_column_for_every_index_of_the_orders_table():
    table = definition("shared")["resources"]["Resources"]["OrdersTable"]["Properties"]
    indexes = {index["IndexName"] for index in table["GlobalSecondaryIndexes"]}
    text = README.read_text()
    header = next(line for line in text.splitlines() if line.startswith("| item | PK | SK |"))
    columns = set(re.findall(r"(GSI\d+)PK", header))
    assert "GSI3" in indexes and columns == indexes
