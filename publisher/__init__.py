"""publisher: turn raw LLM callback records into publishable articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "publish", "build_document"]

if TYPE_CHECKING:
    from publisher.api import publish
    from publisher.pipeline import build_document


def __getattr__(name: str) -> Any:
    # lazy, so that `import publisher` stays cheap for the CLI's start-up
    if name == "publish":
        from publisher.api import publish

        return publish
    if name == "build_document":
        from publisher.pipeline import build_document

        return build_document
    raise AttributeError(name)
