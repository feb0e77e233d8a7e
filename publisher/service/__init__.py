"""The web service: authors' pages and a CMS API over one store of drafts.

`publish serve` runs it on uvicorn; `create_app(data_dir)` builds the ASGI application
for tests or another server. Imported lazily, so that a conversion process (which imports
`publisher.service.workers`) does not pay for the web framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from publisher.service.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from publisher.service.app import create_app

        return create_app
    raise AttributeError(name)
