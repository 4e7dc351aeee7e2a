"""The names layout assets are published under (issue 21): cache-safe ones for the stylesheet
and the scripts.

They get the hash of their bytes in their names (`site.css` -> `site.3f9c2a1b0d.css`), so a
server may let browsers keep them for a year: a changed file gets a new name, and the pages,
which are never cached for long, name the new one. The preview keeps the plain names, because
it serves everything uncached and a CSS edit there must show at once. The same bytes always
give the same name, so builds stay reproducible.
"""
from __future__ import annotations

import hashlib
from pathlib import Path, PurePosixPath

from .assets import layout_assets
from .outputs import ASSETS_FOLDER

HASHED_SUFFIXES = (".css", ".js")    # what pages load on every visit
HASH_LENGTH = 10                     # hex digits; server rules match exactly this many


def published_names(layout_dirs: list[Path], preview: bool) -> dict[str, str]:
    """The name each file of layouts/assets/ is published under, by its path inside assets/:
    the stylesheet and scripts with a content hash, everything else (pictograms) as it is."""
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
