"""Where the writers find their templates: `--templates DIR`, or the installed `templates/`.

The folder is the top-level `templates/` of the checkout, installed with the package as
`publisher.templates` (see pyproject's `package-dir`). A user's copy given as
`RenderOptions.templates` replaces it for every writer at once.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from publisher.errors import RenderError

# The checkout's folder, for a publisher run from its source tree without being installed.
CHECKOUT = Path(__file__).resolve().parents[2] / "templates"


@lru_cache(maxsize=1)
def installed_templates() -> Path:
    """The `templates/` folder that came with the package."""
    try:
        spec = importlib.util.find_spec("publisher.templates")
    except ImportError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))).resolve()
    return CHECKOUT


def templates_folder(chosen: Path | None) -> Path:
    return Path(chosen).resolve() if chosen is not None else installed_templates()


def template_path(chosen: Path | None, relative: str, source: str | None = None) -> Path:
    """`relative` (e.g. `html/page.html.j2`) inside the templates folder; RenderError if missing."""
    folder = templates_folder(chosen)
    path = folder / relative
    if not path.exists():
        raise RenderError(f"the template {relative} is missing from {folder}", source)
    return path
