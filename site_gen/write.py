"""Write: put pages and assets into a fresh folder, then swap it in for the old output.

Nothing is published unless the build has no errors, and a failure leaves the previous
output exactly as it was (shared/guides/publishing.md § 4.5): pages go into a sibling
temporary folder on the same filesystem as they are laid out (so memory stays flat), and
only a build without errors renames the old output aside, renames the new one into place
and then deletes the old one. The preview server instead keeps its folder and rewrites
only the files whose bytes changed, after a build without errors.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .assets import ASSETS_FOLDER, layout_assets, published_names
from .model import Site
from .pdf import write_pdfs
from .search import index_site
from .server_config import write_server_settings


class Writer:
    """Collects the output of one build. `put` as pages are made; then `finish` or `abort`."""

    def __init__(self, output_dir: Path, cache=None):
        self.output_dir = output_dir.resolve()
        self.cache = cache                    # render.Cache: write in place, changed files only
        self.pending: dict[str, str] = {}
        self.staging = None
        if cache is None:
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(dir=self.output_dir.parent,
                                                 prefix=f".{self.output_dir.name}-new-"))

    def put(self, relative: str, text: str) -> None:
        """Write (or, in the preview, keep) one file. A full build's render workers call it
        too, in their own processes: the staging folder is shared, nothing else is."""
        if self.staging is not None:
            _write_text(self.staging, relative, text)
        else:
            self.pending[relative] = text

    def abort(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.pending.clear()

    def finish(self, site: Site) -> int:
        """Publish; returns the number of HTML pages in the build."""
        try:
            if self.staging is None:
                return self._finish_in_place(site)
            pages = len({page.source.output_path for page in site.pages.values()} |
                        {path for path, _ in site.extra_pages if path.endswith(".html")})
            _copy_assets(site, self.staging)
            if site.config.pdf:
                write_pdfs(site, self.staging)
            if site.config.search:
                index_site(self.staging)
            self.staging.chmod(0o755)
            _swap(self.staging, self.output_dir)
            write_server_settings(site.config, self.output_dir)    # beside it (issue 21)
            return pages
        except BaseException:
            self.abort()
            raise

    def _finish_in_place(self, site: Site) -> int:
        """The preview: rewrite only files whose bytes changed; returns how many pages."""
        root, written, changed = self.output_dir, self.cache.written, 0
        root.mkdir(parents=True, exist_ok=True)
        last = self.cache.written_texts
        for relative, text in self.pending.items():
            if last.get(relative) is text and relative in written \
                    and (root / relative).exists():
                continue                   # the same object as last time (reused listings)
            digest = hashlib.sha256(text.encode()).hexdigest()
            if written.get(relative) != digest or not (root / relative).exists():
                _write_atomically(root, relative, text)
                written[relative] = digest
                changed += relative.endswith(".html")
        self.cache.written_texts = dict(self.pending)
        current = {page.source.output_path for page in site.pages.values()}
        for relative in [r for r in written if r.endswith("/index.html") and r not in current
                         and r.count("/") >= 2 and r not in self.pending]:
            (root / relative).unlink(missing_ok=True)         # a page that was removed
            del written[relative]
        _copy_assets(site, root)
        return changed


def _copy_assets(site: Site, root: Path) -> None:
    config = site.config
    for page in site.pages.values():
        for asset in page.source.assets:
            source = config.options.content_dir / asset.source_path
            target = _inside(root, asset.output_path)
            if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    names = published_names(config.layout_dirs, config.options.preview)   # hashed (issue 21)
    for relative, source in layout_assets(config.layout_dirs).items():   # a site's own win
        target = _inside(root / ASSETS_FOLDER, names[relative])
        data = source.read_bytes()
        if not target.is_file() or target.read_bytes() != data:   # the preview keeps the rest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


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


def _write_atomically(root: Path, relative: str, text: str) -> None:
    """A reader of the preview sees the old file or the new one, never half of one."""
    target = _inside(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, target)


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
