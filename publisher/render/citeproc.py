"""`--csl FILE`: the reference list formatted by pandoc's citeproc in any CSL style.

The published entries (bibliography.py) are cited once each, in Vancouver order, in a
document pandoc's citeproc formats with the style; each entry's formatted text (the
`csl-right-inline` part of a numeric style, else the whole entry, as plain text) replaces the
entry text in every writer of a reference list (not in the model or the exports), while the
label `[N]` and every in-text number stay the publisher's. The
styles the project ships are in `templates/csl/` (CC BY-SA 3.0, from the CSL styles
repository): `vancouver` and `gb7714` name them.
"""

from __future__ import annotations

import functools
import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from publisher.errors import RenderError, UsageError
from publisher.model import Document
from publisher.render.bibliography import csl_json, published_items
from publisher.render.pandoc_run import pandoc_api_version, run_pandoc
from publisher.render.template_dir import installed_templates
from publisher.text import LANG_TAGS

Node = dict[str, Any]
SHIPPED = {
    "vancouver": "csl/nlm-citation-sequence.csl",
    "gb7714": "csl/china-national-standard-gb-t-7714-2015-numeric.csl",
}


def style_path(name: str | Path) -> Path:
    """A shipped style by its short name, or a CSL file; UsageError when neither."""
    shipped = SHIPPED.get(str(name).lower())
    path = installed_templates() / shipped if shipped else Path(name)
    if not path.is_file():
        raise UsageError(f"no CSL style {str(name)!r} (a .csl file, or one of {', '.join(SHIPPED)})", "--csl")
    return path.resolve()


def formatted_entries(doc: Document, style: Path | None, timeout: float = 120.0) -> dict[int, str] | None:
    """Each published entry formatted with `style`, as text, by reference number; None without
    a style or references."""
    if style is None or not any(r.cited for r in doc.references):
        return None
    items = json.dumps(csl_json(published_items(doc)), ensure_ascii=False)
    numbers = tuple(r.number for r in doc.references if r.cited)
    return _format(items, numbers, str(style_path(style)), LANG_TAGS[doc.language], timeout, doc.metadata.source)


@functools.lru_cache(maxsize=8)
def _format(items: str, numbers: tuple[int, ...], style: str, lang: str, timeout: float,
            source: str | None) -> dict[int, str]:
    cites = [_cite(f"ref-{n}") for n in numbers]
    ast = {"pandoc-api-version": pandoc_api_version(), "blocks": [{"t": "Para", "c": cites}],
           "meta": {"lang": {"t": "MetaString", "c": lang}}}
    with tempfile.TemporaryDirectory() as folder:
        bibliography = Path(folder) / "references.json"
        bibliography.write_text(items, encoding="utf-8")
        args = ["--citeproc", f"--csl={style}", f"--bibliography={bibliography}"]
        out = json.loads(run_pandoc(ast, "json", args, timeout=timeout, source=source))
    entries = {int(m.group(1)): inlines for m, inlines in _entries(out["blocks"])}
    missing = [n for n in numbers if n not in entries]
    if missing:
        raise RenderError(f"the CSL style formatted no entry for reference {missing[0]}", source)
    paras = [{"t": "Para", "c": entries[n]} for n in numbers]
    doc = {"pandoc-api-version": out["pandoc-api-version"], "meta": {}, "blocks": paras}
    text = run_pandoc(doc, "plain", ["--wrap=none"], timeout=timeout).decode().strip().split("\n\n")
    return {n: " ".join(t.split()) for n, t in zip(numbers, text, strict=True)}


def _cite(ident: str) -> Node:
    citation = {"citationId": ident, "citationPrefix": [], "citationSuffix": [], "citationMode": {"t": "NormalCitation"},
                "citationNoteNum": 0, "citationHash": 0}
    return {"t": "Cite", "c": [[citation], [{"t": "Str", "c": f"[@{ident}]"}]]}


def _entries(blocks: list[Node]) -> list[tuple[re.Match[str], list[Node]]]:
    """(match of `ref-ref-N`, the entry's inlines without the style's own label)."""
    out = []
    for block in blocks:
        if block["t"] != "Div":
            continue
        for entry in block["c"][1]:
            m = re.fullmatch(r"ref-ref-(\d+)", entry["c"][0][0]) if entry["t"] == "Div" else None
            paras = [b for b in entry["c"][1] if b["t"] in ("Para", "Plain")] if m else []
            if m and paras:
                out.append((m, _without_label(paras[0]["c"])))
    return out


def _without_label(inlines: list[Node]) -> list[Node]:
    spans = {tuple(i["c"][0][1]): i["c"][1] for i in inlines if i["t"] == "Span"}
    if ("csl-right-inline",) in spans:
        return spans[("csl-right-inline",)]
    return [i for i in inlines if not (i["t"] == "Span" and "csl-left-margin" in i["c"][0][1])]


# formats that carry the references as data (the model, the reference-manager exports), not as a list
UNSTYLED = frozenset({"json", "csljson", "ris", "bib"})


def styled(doc: Document, style: Path, timeout: float = 120.0) -> Document:
    """A copy of the document whose cited entries read as the style formats them."""
    entries = formatted_entries(doc, style, timeout)
    if entries is None:
        return doc
    refs = [replace(r, text=entries.get(r.number, r.text)) if r.cited else r for r in doc.references]
    return replace(doc, references=refs)
