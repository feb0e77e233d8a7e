"""Outside checkers on the published pages: the W3C Nu HTML checker (vnu-jar, on Debian's
Java) and axe-core in Debian's Chromium (through Playwright). Both npm packages are installed
by `scripts/setup --dev` into .tools/node, never globally."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from publisher.pipeline import build_document
from publisher.render import RenderOptions, render

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / ".tools" / "node" / "node_modules"
VNU = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
RECORDS = SAMPLES + sorted((ROOT / "tests" / "render" / "records").glob("*.txt"))  # ours: wide table, long Latin


def need(path: Path) -> None:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run bash scripts/setup --dev")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The standalone page of each record, plain and with the report, written to files."""
    folder = tmp_path_factory.mktemp("pages")
    out: dict[str, Path] = {}
    for record in RECORDS:
        doc = build_document(record)
        for suffix, options in (("", RenderOptions()), ("-report", RenderOptions(report_in_html=True))):
            path = folder / f"{record.stem}{suffix}.html"
            path.write_bytes(render(doc, "html", options).value)  # type: ignore[arg-type]
            out[path.name] = path
    return out


@pytest.mark.slow
def test_w3c_nu_checker_finds_no_error(pages: dict[str, Path]) -> None:
    need(VNU)
    java = shutil.which("java")
    assert java, "Java is part of the setup (default-jre-headless)"
    done = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages.values())],
        capture_output=True, text=True, timeout=300, check=False,
    )
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    assert messages == [], messages[:5]


@pytest.mark.slow
@pytest.mark.parametrize("width", [1000, 400])
def test_axe_finds_no_serious_or_critical_violation(pages: dict[str, Path], browser: Any, width: int) -> None:
    need(AXE)
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        found: dict[str, list[str]] = {}
        for name, path in pages.items():
            page = context.new_page()
            page.goto(path.as_uri())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run(document)")
            bad = [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes)" for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
            if bad:
                found[name] = bad
            page.close()
        assert not found
    finally:
        context.close()
