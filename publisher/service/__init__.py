"""The web service: authors' pages and a CMS API over one store of drafts.

`publish serve` runs it on uvicorn; `create_app(data_dir)` builds the ASGI application
for tests or another server.
"""

from publisher.service.app import create_app

__all__ = ["create_app"]
