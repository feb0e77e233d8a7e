"""Reader for the fixture case files under tests/fixtures/ (format: tests/fixtures/README.md).

    ### case: <name>
    <input lines>
    ### <section>          (expect, cites, supplied, …)
    <lines>
    ### end
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Case:
    name: str
    file: str
    line: int
    sections: dict[str, list[str]] = field(default_factory=dict)

    def text(self, section: str) -> str:
        return "\n".join(self.sections.get(section, []))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.name}"


def load_cases(path: Path) -> list[Case]:
    cases: list[Case] = []
    current: Case | None = None
    section = "input"
    for no, raw in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        line = raw.rstrip("\r")
        if line.startswith("### case:"):
            current = Case(line[len("### case:") :].strip(), path.name, no, {"input": []})
            section = "input"
            continue
        if current is None:
            continue
        if line.strip() == "### end":
            cases.append(current)
            current = None
            continue
        if line.startswith("### ") and line[4:].strip().split(":")[0] in {"expect", "cites", "report", "merge", "supplied"}:
            section = line[4:].strip()
            current.sections.setdefault(section, [])
            continue
        current.sections[section].append(line)
    return cases


def cases_in(folder: str, name: str) -> list[Case]:
    path = FIXTURES / folder / name
    return load_cases(path) if path.exists() else []
