"""Data flows one way (DESIGN.md §2, STYLE.md item 14): the import pipeline knows no domain,
and the business records know nothing of the assessment built on them."""

from __future__ import annotations

import ast
from pathlib import Path

from kaopei.imports.importing import KINDS
from kaopei.imports.loaders import LOADERS

ROOT = Path(__file__).resolve().parents[2] / "kaopei"
DOMAIN_APPS = ("org", "facts", "assessment", "dashboards", "feedback", "training")


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every module each source file of ``kaopei/<package>`` imports (migrations aside)."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def reaching(package: str, apps: tuple[str, ...]) -> dict[str, list[str]]:
    return {
        path: sorted(n for n in names if n.split(".")[:2] in (["kaopei", a] for a in apps))
        for path, names in imported_modules(package).items()
        if any(n.split(".")[:2] in (["kaopei", a] for a in apps) for n in names)
    }


def test_the_import_pipeline_imports_no_domain_app() -> None:
    assert reaching("imports", DOMAIN_APPS) == {}


def test_the_shared_foundations_import_no_domain_app() -> None:
    # Apps plug in by registering (demo steps, reference data, notification kinds, jobs).
    assert reaching("core", (*DOMAIN_APPS, "imports")) == {}


def test_the_import_pipeline_source_names_no_domain_module() -> None:
    # Also catches lazy imports in strings (job handlers, routers, docstring recipes).
    for path in (ROOT / "imports").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for app in DOMAIN_APPS:
            assert f"kaopei.{app}" not in text, f"{path.relative_to(ROOT)} names kaopei.{app}"


def test_business_records_know_nothing_of_the_assessment() -> None:
    assert reaching("facts", ("assessment",)) == {}
    for path in (ROOT / "facts").rglob("*.py"):
        assert "kaopei.assessment" not in path.read_text(encoding="utf-8"), path.name


def test_every_kind_is_loaded_by_the_app_that_owns_what_it_writes() -> None:
    assert list(LOADERS) == list(KINDS)
    for kind, loader in LOADERS.items():
        app = loader.__module__.split(".")[1]
        assert app in DOMAIN_APPS, f"{kind} is loaded outside its app ({loader.__module__})"
        assert {label.split(".")[0] for label in loader.writes} == {app}, kind
