"""The Python API: `publish(record, formats)` does what the CLI does, without a shell.

The record is read, cleaned and assembled once; every format renders from that one model.
A format that cannot be rendered raises RenderError, or with `keep_going=True` is set
aside in `failures` while the other formats are still rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from publisher.errors import PublishError, RenderError, UsageError
from publisher.formats import ALL_FORMATS, FORMATS
from publisher.model import Document, Message
from publisher.pipeline import BuildOptions, build_document
from publisher.render import Output, RenderOptions, render
from publisher.result import localised_message


@dataclass
class PublishResult:
    document: Document
    outputs: dict[str, Output] = field(default_factory=dict)
    render_messages: list[Message] = field(default_factory=list)
    failures: dict[str, PublishError] = field(default_factory=dict)  # format -> why (keep_going)

    @property
    def report(self) -> list[Message]:
        """What the pipeline changed in the author's text, then what the writers could not carry."""
        return self.document.report + self.render_messages

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.report if m.severity in ("warning", "error")]


def parse_formats(spec: str | list[str]) -> list[str]:
    """`"docx,pdf"` or `["docx", "pdf"]` or `"all"` -> checked, de-duplicated format names."""
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for raw in names:
        name = raw.strip().lower()
        if name == "all":
            out.extend(ALL_FORMATS)
        elif name in FORMATS:
            out.append(name)
        elif name:
            raise UsageError(f"unknown format '{name}' (choose from {', '.join(ALL_FORMATS)} or all)", "--to")
    if not out:
        raise UsageError("no output format given", "--to")
    return list(dict.fromkeys(out))


def publish(
    record: str | Path | bytes,
    formats: str | list[str] = "json",
    *,
    name: str | None = None,
    build: BuildOptions | None = None,
    render_options: RenderOptions | None = None,
    keep_going: bool = False,
) -> PublishResult:
    """Build the document once and render it to each format (bytes, or files for sphinx).

    `record` is a file: a path (`str` or `Path`); or the record itself as `bytes`.
    `formats=[]` builds the document (and its report) only.
    """
    wanted = parse_formats(formats) if formats != [] else []
    if isinstance(record, bytes):
        doc = build_document(record, name=name, options=build)
    else:
        doc = build_document(path=record, name=name, options=build)
    result = PublishResult(doc)
    for fmt in wanted:
        try:
            rendered = render(doc, fmt, render_options)
        except PublishError as exc:
            failure = exc if exc.source else type(exc)(exc.reason, doc.metadata.source, exc.line)
            if not keep_going:
                raise failure from None
            result.failures[fmt] = failure
            continue
        except Exception as exc:  # a writer's bug: this format fails, the others are still rendered
            if not keep_going:
                raise
            result.failures[fmt] = RenderError(internal_error(exc), doc.metadata.source)
            continue
        result.outputs[fmt] = rendered.value
        # what a writer could not carry, in the document's language like the rest of the report
        result.render_messages.extend(localised_message(m, doc.language) for m in rendered.messages)
    return result


def internal_error(exc: BaseException) -> str:
    reason = (str(exc).splitlines() or [""])[0][:200]
    return f"internal error, please report it: {type(exc).__name__}: {reason}"
