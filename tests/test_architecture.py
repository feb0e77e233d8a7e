"""The layout the team agreed on, checked: stages import only what runs before them, and the
heavy libraries stay in the writers (and jinja2 in the service)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "publisher"
# Lower rank runs earlier; a module may import only its own rank or lower ones.
RANKS: dict[str, int] = {
    # the ground, below every stage
    "errors": 0, "text": 0, "i18n": 0, "formats": 0, "urls": 0, "regex_cache": 0, "source": 1, "model": 1, "model_checks": 1, "model_copy": 1, "result": 2, "schema": 2,
    "markdown": 3,
    # the stages, in pipeline order
    "read": 10, "clean": 11, "assemble": 12, "tables": 13, "cite": 14, "render": 15,
    "guard": 14,  # the silent-loss guard reads every stage's result before render
    "places": 14,  # where each report line is in the published article
    # the entrances
    "pipeline": 20, "api": 21, "batch": 22, "service": 23, "cli": 24, "resident": 24, "command": 25, "__main__": 25, "__init__": 25,
}
HEAVY = {"pypandoc", "docx", "lxml", "typst", "jinja2"}
ALLOWED_HEAVY = {"render": HEAVY, "service": {"jinja2"}}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import, including lazy ones inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, node.lineno))
    return out


def test_every_part_has_a_rank() -> None:
    assert {_part(p) for p in _modules()} <= set(RANKS)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_down_the_pipeline(path: Path) -> None:
    here = _part(path)
    for module, line in _imports(path):
        top = module.split(".")
        if top[0] == "publisher" and len(top) > 1:
            there = top[1]
            if there == "__init__" or (here == "__init__" and path.parent == PACKAGE):
                continue
            assert RANKS[there] <= RANKS[here], f"{path.name}:{line} imports {module}, which runs after {here}"
        elif top[0] in HEAVY:
            assert top[0] in ALLOWED_HEAVY.get(here, set()), f"{path.name}:{line} imports {module} outside render/"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_fit_in_a_head(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 420, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by what it owns"


# Constants every stage must agree on live in publisher/text.py; a module that spells its own
# copy drifts from the others (issue 10 found five CJK ranges and four language-tag tables).
HAN_RANGE_SPELLINGS = ("\\u4e00", "\\u9fff", "\\u3400", "[一-")
BCP47_TAGS = {"zh-CN", "en-US", "zh-Hans", "en-GB"}


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_shared_constants_have_one_home(path: Path) -> None:
    if path == PACKAGE / "text.py":
        return
    source = path.read_text(encoding="utf-8")
    spelled = [s for s in HAN_RANGE_SPELLINGS if s in source]
    assert not spelled, f"{path.name} spells a Han range ({spelled[0]}); use publisher.text.IDEOGRAPHS or WIDE"
    tree = ast.parse(source)
    tags = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in BCP47_TAGS}
    assert not tags, f"{path.name} spells the language tag {sorted(tags)[0]}; use publisher.text.LANG_TAGS"
    names = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    assert "LANG_TAGS" not in names and "IDEOGRAPHS" not in names, f"{path.name} defines its own copy"
