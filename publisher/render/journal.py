"""The journal an article is published in, for the JATS `<journal-meta>`: read from a TOML file.

A record knows nothing of its journal, so these values come from the publisher's own
configuration (`publish --journal journal.toml`). The Journal Publishing DTD requires at
least a journal id and an ISSN; the title and the publisher's name are optional:

    id = "jdlr"                      # <journal-id journal-id-type="publisher-id">
    title = "深度学习评论"            # <journal-title-group><journal-title>
    issn = "1234-5678"               # <issn publication-format="electronic">
    issn_format = "electronic"       # or "print"
    publisher = "Example Press"      # <publisher><publisher-name>
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publisher.errors import UsageError

ISSN_FORMATS = ("electronic", "print")
FIELDS = ("id", "title", "issn", "issn_format", "publisher")


@dataclass(frozen=True)
class Journal:
    id: str
    issn: str
    title: str | None = None
    issn_format: str = "electronic"
    publisher: str | None = None


def load_journal(path: Path) -> Journal:
    """The journal described by the TOML file `path`; UsageError naming the file if it is not one."""
    import tomllib  # here: the writers import this module for `Journal`, and few runs name a journal

    source = str(path)
    try:
        table = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read the journal file: {exc.strerror or exc}", source) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"not a TOML journal file: {exc}", source) from None
    unknown = sorted(set(table) - set(FIELDS))
    if unknown:
        raise UsageError(f"unknown journal field {', '.join(unknown)} (fields: {', '.join(FIELDS)})", source)
    values: dict[str, str] = {}
    for name, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"journal field {name} must be non-empty text", source)
        values[name] = value.strip()
    missing = [name for name in ("id", "issn") if name not in values]
    if missing:
        raise UsageError(f"the journal needs {' and '.join(missing)} (the JATS Publishing DTD requires them)", source)
    if values.get("issn_format", "electronic") not in ISSN_FORMATS:
        raise UsageError(f"issn_format must be one of {', '.join(ISSN_FORMATS)}", source)
    return Journal(**values)
