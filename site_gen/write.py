"""Write: put pages and assets into a fresh folder, then swap it in for the old output.

Nothing is written unless the build has no errors, and a failure while writing leaves the
previous output exactly as it was (shared/guides/publishing.md § 4.5): build into a sibling
temporary folder on the same filesystem, rename the old output aside, rename the new one
into place, and only then delete the old one.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .model import Site
from .pdf import write_pdfs
from .search import index_site

ASSETS_FOLDER = "assets"     # layouts/assets/ -> <output>/assets/


def write_site(site: Site, output_dir: Path) -> int:
    """Write the whole site and return the number of HTML pages written."""
    output_dir = output_dir.resolve()
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=f".{output_dir.name}-new-"))
    try:
        count = _fill(site, staging)
        if site.config.pdf:
            write_pdfs(site, staging)
        if site.config.search:
            index_site(staging)
        _swap(staging, output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


def _fill(site: Site, root: Path) -> int:
    config = site.config
    count = 0
    for page in site.pages.values():
        _write_text(root, page.source.output_path, page.html)
        count += 1
        for asset in page.source.assets:
            target = _inside(root, asset.output_path)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(config.options.content_dir / asset.source_path, target)
    for output_path, html in site.extra_pages:
        _write_text(root, output_path, html)
        count += output_path.endswith(".html")
    for layouts in reversed(config.layout_dirs):      # a site's own files win
        if (layouts / ASSETS_FOLDER).is_dir():
            shutil.copytree(layouts / ASSETS_FOLDER, root / ASSETS_FOLDER, dirs_exist_ok=True)
    root.chmod(0o755)
    return count


def _inside(root: Path, relative: str) -> Path:
    """The output path for `relative`, refusing anything that would leave the output folder."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts:
        raise ValueError(f"output path outside the output folder: {relative!r}")
    return root.joinpath(*parts)


def _write_text(root: Path, relative: str, text: str) -> None:
    target = _inside(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")


def _swap(staging: Path, output_dir: Path) -> None:
    old = None
    if output_dir.exists() or output_dir.is_symlink():
        old = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=f".{output_dir.name}-old-"))
        os.rmdir(old)
        os.rename(output_dir, old)
    try:
        os.rename(staging, output_dir)
    except BaseException:
        if old is not None:
            os.rename(old, output_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
