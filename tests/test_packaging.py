"""What a user of the package and of the README meets first: the licence the metadata
names is there, the package says it is typed, the build backend understands the metadata,
and every `publish` example of the README is a command line `publish` accepts.
(The package list against the folders: tests/render/test_templates.py; a real
non-editable install: test_templates.py::test_non_editable_install_…)"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from publisher.api import parse_formats
from publisher.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_licence_the_metadata_names_is_shipped() -> None:
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text


def test_the_build_backend_understands_an_spdx_license_string() -> None:
    # `license = "MIT"` (PEP 639) needs setuptools 77; an older one refuses the metadata
    (setuptools,) = [Requirement(r) for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    assert isinstance(PYPROJECT["project"]["license"], str)
    floor = [Version(s.version) for s in setuptools.specifier if s.operator == ">="]
    assert floor and min(floor) >= Version("77")


def test_the_package_says_it_is_typed() -> None:
    assert (ROOT / "publisher" / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["publisher"]


def readme_commands() -> list[str]:
    """Every line of the README's code blocks that runs `publish` (not `publish serve`, which
    has its own parser, nor the service's `worker` and `db`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", readme, re.M | re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    lines = [re.sub(r"^(?:\S*/)?\.venv/bin/publish\b", "publish", line) for line in lines]
    return [line for line in lines
            if line.startswith("publish ") and line.split()[1] not in ("serve", "worker", "db")
            and "|" not in line and "&&" not in line]


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_example_is_a_command_line_publish_accepts(command: str) -> None:
    args = build_parser().parse_args(shlex.split(command)[1:])  # a usage error would exit 2
    if args.to:
        parse_formats(args.to)  # every format it names exists


def test_the_readme_has_examples_and_says_how_publish_gets_on_path() -> None:
    assert len(readme_commands()) >= 8
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "puts `publish` on your PATH" in readme
    setup = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert re.search(r'ln -sfn "\$script" "\$bin_dir/publish"', setup)
