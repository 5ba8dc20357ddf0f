"""Component ids are spelled once: each page has its module in components/ids/, which its layout and
its callbacks import, and no page or callback writes an id as a literal string."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem not in ("__init__", "not_found_404"))


def imported_modules(path: Path) -> set[str]:
    """Modules a file imports, "components.ids.lift" for `from components.ids import lift as ids` too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("page", PAGES)
def test_layout_and_callbacks_import_the_pages_ids(page):
    assert (ROOT / "components" / "ids" / f"{page}.py").exists()
    module = f"components.ids.{page}"
    assert module in imported_modules(ROOT / "pages" / f"{page}.py")
    assert module in imported_modules(ROOT / "callbacks" / f"{page}.py")


def literal_ids(path: Path) -> list[str]:
    """`id="..."` keywords and Input/Output/State("...") of a file: ids not read from a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "id" and isinstance(keyword.value, ast.Constant):
                found.append(f"{path.name}:{node.lineno} id={keyword.value.value!r}")
        name = getattr(node.func, "id", None)
        if name in ("Input", "Output", "State") and node.args and isinstance(node.args[0], ast.Constant):
            found.append(f"{path.name}:{node.lineno} {name}({node.args[0].value!r})")
    return found


def test_no_literal_ids_in_pages_or_callbacks():
    files = sorted((ROOT / "pages").glob("*.py")) + sorted((ROOT / "callbacks").glob("*.py"))
    assert [hit for path in files for hit in literal_ids(path)] == []
