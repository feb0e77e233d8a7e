"""templates/ at the top level, installed as publisher.templates; --templates restyles."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest

from publisher.cli import main
from publisher.render.template_dir import CHECKOUT, installed_templates

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "001_a67d181a6c549fd0.txt"


def test_every_package_folder_is_listed_for_setuptools() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "publisher").rglob("__init__.py")
    }
    assert set(config["packages"]) == folders | {"publisher.templates"}
    assert config["package-dir"] == {"publisher.templates": "templates"}


def test_the_templates_come_from_the_top_level_folder() -> None:
    assert CHECKOUT == ROOT / "templates" and not (ROOT / "publisher" / "templates").exists()
    assert installed_templates() == CHECKOUT  # the editable install maps the package there
    for name in ("reference.docx", "html/page.html.j2", "html/style.css", "pdf/article.typ"):
        assert (installed_templates() / name).is_file()


def test_cli_templates_option_restyles_the_html(tmp_path: Path) -> None:
    look = tmp_path / "look"
    shutil.copytree(installed_templates(), look)
    (look / "html" / "style.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    status = main([str(SAMPLE), "--to", "html", "-o", str(tmp_path / "out"), "--templates", str(look), "-q"])
    assert status == 0
    page = (tmp_path / "out" / (SAMPLE.stem + ".html")).read_text(encoding="utf-8")
    assert "body { color: #123456; }" in page and "max-width: 46rem" not in page


def test_cli_templates_option_must_be_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SAMPLE), "--to", "html", "-o", str(tmp_path), "--templates", str(tmp_path / "nope")]) == 2
    assert "--templates" in capsys.readouterr().err


@pytest.mark.slow
def test_non_editable_install_publishes_every_format_with_the_installed_templates(tmp_path: Path) -> None:
    source = tmp_path / "source"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", str(source)], check=True, timeout=900)
    shutil.rmtree(source)  # nothing may come from the checkout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [python, "-c", "from publisher.render.template_dir import installed_templates; print(installed_templates())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(env_dir) and (Path(where) / "reference.docx").is_file()
    assert (Path(where) / "csl" / "china-national-standard-gb-t-7714-2015-numeric.csl").is_file()
    done = subprocess.run(
        [env_dir / "bin" / "publish", str(SAMPLE), "--to", "all", "-o", "out", "-q"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (elsewhere / "out").iterdir())
    stem = SAMPLE.stem
    assert written == sorted(
        [f"{stem}.json", f"{stem}.html", f"{stem}.md", f"{stem}.docx", f"{stem}.pdf", f"{stem}.xml",
         f"{stem}-sphinx", f"{stem}.csl.json", f"{stem}.ris", f"{stem}.bib"]
    )
