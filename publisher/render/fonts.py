"""Font discovery for the PDF writer: find a CJK serif and sans face that typst can use.

typst silently draws nothing (or boxes) for glyphs no font covers, so the writer must know
before compiling that a CJK face is there. We never let typst search the system on its own:
the folders found here are the only ones it sees, which keeps output the same from run to
run and lets a test point discovery at an empty folder.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import RenderError

# Preferred faces, best first. Noto CJK (Debian fonts-noto-cjk) and Source Han are the same
# design under two names; the rest are what macOS and Windows ship.
CJK_SERIF: tuple[str, ...] = (
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Noto Serif SC",
    "Source Han Serif CN",
    "Songti SC",
    "SimSun",
)
CJK_SANS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Source Han Sans CN",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
    "WenQuanYi Micro Hei",
)

# Where fonts live when fontconfig is not there to tell us.
STANDARD_DIRS: tuple[str, ...] = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
    "C:/Windows/Fonts",
)

FC_TIMEOUT = 10.0  # seconds; fc-list answers from its cache in milliseconds


@dataclass(frozen=True)
class FontSet:
    """The font folders to hand to typst and the CJK faces found in them (None if absent)."""

    dirs: tuple[Path, ...]
    serif: str | None
    sans: str | None

    @property
    def has_cjk(self) -> bool:
        return self.serif is not None or self.sans is not None


def _wanted(family: str) -> bool:
    names = {n.casefold() for n in CJK_SERIF + CJK_SANS}
    return any(part.strip().casefold() in names for part in family.split(","))


def _fontconfig_dirs() -> list[Path] | None:
    """Folders holding one of the wanted faces according to fc-list; None without fc-list."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        out = subprocess.run(
            [fc_list, "--format", "%{family}\t%{file}\n"],
            capture_output=True,
            text=True,
            timeout=FC_TIMEOUT,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    dirs = {
        Path(file).parent
        for family, _, file in (line.partition("\t") for line in out.splitlines())
        if file and _wanted(family)
    }
    return sorted(dirs)


@functools.lru_cache(maxsize=1)
def system_font_dirs() -> tuple[Path, ...]:
    """Folders that hold the system's CJK fonts: fontconfig's answer, else the usual places."""
    found = _fontconfig_dirs()
    if found:
        return tuple(found)
    return tuple(p for p in (Path(d).expanduser() for d in STANDARD_DIRS) if p.is_dir())


@functools.lru_cache(maxsize=8)
def _families(dirs: tuple[Path, ...]) -> frozenset[str]:
    import typst  # here, not at the top: only the PDF needs it, and it costs a DOCX start-up ~20 ms

    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(d) for d in dirs]
    )
    return frozenset(f.casefold() for f in fonts.families())


def _first(candidates: Iterable[str], available: frozenset[str]) -> str | None:
    return next((c for c in candidates if c.casefold() in available), None)


def find_fonts(extra_dirs: Iterable[Path] = ()) -> FontSet:
    """The user's folders first (their faces win), then the system's CJK folders.

    A folder the user named that does not exist is an error, not something to skip quietly.
    """
    user = [Path(x).expanduser() for x in extra_dirs]
    for d in user:
        if not d.is_dir():
            raise RenderError(f"font folder not found: {d}")
    dirs: list[Path] = []
    for d in [*user, *system_font_dirs()]:
        if d.is_dir() and d not in dirs:
            dirs.append(d)
    available = _families(tuple(dirs))
    serif = _first(CJK_SERIF, available)
    sans = _first(CJK_SANS, available)
    # One CJK face is enough to avoid boxes: use it for both roles.
    return FontSet(dirs=tuple(dirs), serif=serif or sans, sans=sans or serif)
