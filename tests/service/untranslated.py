"""Finding English left on a page that should speak Chinese.

What a page says in its own words is every text node and every attribute a person reads
(`title`, `aria-label`, `placeholder`, the delete button's confirmation), except what the page
marks as not ours to translate: `translate="no"` (file names, quotes of the record), an element
in another language (`lang="en"`: the switch's "English"), the article itself (the author's
text, whatever its language), and inside our sentences a quote of the record (“…”) or a tag
name as the record writes it (<think>). A Latin word there is untranslated, unless it names a format or
a unit, which Chinese writes in Latin letters too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# names of formats and units, written the same in Chinese
LATIN_NAMES = {"Word", "PDF", "HTML", "Markdown", "JSON", "JATS", "XML", "DOCX", "UTC", "MB",
               "zip", "tar", "gz", "txt", "md"}
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "data-confirm", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# inside a sentence of ours, what is not ours either: a quote of the record (“…” around the
# author's words, which a report message quotes) and a tag name as the record writes it (<think>)
QUOTED_RE = re.compile(r"“[^“”]*”|<[A-Za-z|/][^<>]{0,30}>")


class _Words(HTMLParser):
    def __init__(self, skip_classes: frozenset[str]):
        super().__init__(convert_charrefs=True)
        self.skip_classes = skip_classes
        self.stack: list[tuple[str, bool]] = []  # (tag, inside something not ours)
        self.found: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        skip = (self._skipping() or tag in ("script", "style") or a.get("translate") == "no"
                or (a.get("lang", "zh").split("-")[0] != "zh")
                or bool(self.skip_classes & set(a.get("class", "").split())))
        if not skip:
            for name in READ_ATTRIBUTES:
                if a.get(name):
                    self._check(a[name], f"{tag}[{name}]")
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self._check(data, self.stack[-1][0] if self.stack else "")

    def _check(self, text: str, where: str) -> None:
        words = [w for w in WORD_RE.findall(QUOTED_RE.sub("", text)) if w not in LATIN_NAMES]
        if words:
            self.found.append(f"{where}: {text.strip()!r}")


def untranslated(html: str, skip_classes: frozenset[str] = frozenset({"paper"})) -> list[str]:
    """Each text or attribute of a Chinese page that still holds an English word, with where."""
    parser = _Words(skip_classes)
    parser.feed(html)
    parser.close()
    return parser.found
