"""Layout assets (layouts/assets/ -> <output>/assets/) and their cache-safe names (issue 21).

The stylesheet and the scripts are published under names that carry a hash of their bytes
(`site.css` -> `site.3f9c2a1b0d.css`), so a server may let browsers keep them for a year:
a changed file gets a new name, and the pages, which are never cached for long, name the new
one. The preview keeps the plain names, because it serves everything uncached and a CSS edit
there must show at once. The same bytes always give the same name, so builds stay
reproducible.
"""
from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from .outputs import ASSETS_FOLDER          # layouts/assets/ -> <output>/assets/

HASHED_SUFFIXES = (".css", ".js")    # what pages load on every visit
HASH_LENGTH = 10                     # hex digits; server rules match exactly this many


def layout_assets(layout_dirs: list[Path]) -> dict[str, Path]:
    """Every file under the layouts' assets/ folders, by its path inside assets/ (posix);
    a site's own layouts folder comes first and wins."""
    chosen: dict[str, Path] = {}
    for layouts in layout_dirs:
        folder = layouts / ASSETS_FOLDER
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                chosen.setdefault(path.relative_to(folder).as_posix(), path)
    return chosen


def published_names(layout_dirs: list[Path], preview: bool) -> dict[str, str]:
    """The name each asset is published under, by its path inside assets/: the stylesheet
    and scripts with a content hash, everything else (pictograms) as it is."""
    names = {}
    for relative, path in layout_assets(layout_dirs).items():
        pure = PurePosixPath(relative)
        if preview or pure.suffix not in HASHED_SUFFIXES:
            names[relative] = relative
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
        names[relative] = str(pure.with_name(f"{pure.stem}.{digest}{pure.suffix}"))
    return names


def hashed_files(names: dict[str, str]) -> list[str]:
    """The published paths (below the site's root) whose names carry a content hash."""
    return sorted(f"{ASSETS_FOLDER}/{published}" for relative, published in names.items()
                  if published != relative)
