"""Write: put pages and assets into a fresh folder, verify it, then switch it in for the old
output in one step.

Nothing is ever lost (issue 14). The output folder is only ever the site: `refuse_output`
turns away, before anything is touched, an output that is, holds or lies inside the content
or layouts folder or the project, an existing file, and a non-empty folder site_gen did not
make (its output carries the STAMP file). Nothing is published unless the build has no
errors, and a failure leaves the previous output exactly as it was: pages go into a sibling
staging folder on the same filesystem as they are made (so memory stays flat), every file is
checked (Pagefind's too: a full disk must not publish empty files), the disk is synced, and
the staging folder and the output swap places in one atomic step (renameat2 with
RENAME_EXCHANGE; where the system has no such call, two renames, and a crash between them
is repaired at the next start). An output folder that is a mount point cannot be renamed:
the new site is copied into it file by file, all new files first under temporary names, then
renamed into place. Leftovers of killed builds are removed at the next start, under a lock
that keeps two builds from publishing into one folder at once. The preview server instead
keeps its folder and rewrites only the files whose bytes changed, after a build without errors.
"""
from __future__ import annotations

import ctypes
import errno
import filecmp
import gzip
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from .assets import layout_assets
from .config import BuildOptions, display_path
from .model import Site
from .outputs import ASSETS_FOLDER, SEARCH_FOLDER, STAMP
from .pdf import write_pdfs
from .search import index_site

STAMP_TEXT = ("This folder is a website built by site_gen. Each build replaces everything in "
              "it; keep no other files here.\n")


class OutputRefused(Exception):
    """The output folder given cannot be the site's output; nothing was touched."""


class PublishError(OSError):
    """The new site could not be written whole (a full disk, a failed tool); the previous
    output is unchanged."""


def refuse_output(options: BuildOptions) -> str | None:
    """Why `options.output_dir` may not be written as the site's output, or None."""
    out = options.output_dir.resolve()
    shown = display_path(options, options.output_dir)
    guarded = [("the project folder", options.root), ("the content folder", options.content_dir),
               ("the layouts folder", options.layouts_dir)]
    if options.default_layouts_dir is not None:
        guarded.append(("site_gen's own layouts folder", options.default_layouts_dir))
    for label, folder in guarded:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            return (f"the output folder '{shown}' is {label} or holds it; a build replaces "
                    "its whole output folder, so your files would be deleted. Choose a folder "
                    "of its own, e.g. --out public")
        if label != "the project folder" and out.is_relative_to(folder):
            return (f"the output folder '{shown}' lies inside {label}; choose a folder of its "
                    "own outside it, e.g. --out public")
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            return (f"'{shown}' is a file, not a folder; the build would replace it. Choose a "
                    "folder for the site, e.g. --out public")
        if any(out.iterdir()) and not is_site_output(out):
            return (f"the folder '{shown}' already holds files that site_gen did not write "
                    f"(it has no {STAMP} mark); a build replaces everything in its output "
                    "folder. Choose a new or empty folder, or move those files away first")
    return None


def is_site_output(folder: Path) -> bool:
    """A folder site_gen wrote: it carries the stamp, or (written before the stamp existed)
    holds the three files only a site_gen output has together."""
    if (folder / STAMP).is_file():
        return True
    return all((folder / name).is_file() for name in ("index.html", "404.html",
                                                       f"{ASSETS_FOLDER}/site.css"))


class Writer:
    """Collects the output of one build. `put` as pages are made; then `finish` or `abort`."""

    def __init__(self, output_dir: Path, cache=None):
        self.output_dir = output_dir.resolve()
        self.cache = cache                    # render.Cache: write in place, changed files only
        self.pending: dict[str, str] = {}
        self.staging = None
        self._lock = None
        if cache is None:
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(dir=self.output_dir.parent,
                                                 prefix=f".{self.output_dir.name}-new-"))
            self._lock = _lock_folder(self.staging)     # ours while this build runs
            (self.staging / STAMP).write_text(STAMP_TEXT, encoding="utf-8")

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
        self._unlock()

    def _unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)          # closing the descriptor releases the lock
            self._lock = None

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
            expected = [p.source.output_path for p in site.pages.values()]
            expected += [path for path, _ in site.extra_pages]
            verify(self.staging, expected, site.config.search)
            self.staging.chmod(0o755)
            _sync_disk(self.staging)
            switch(self.staging, self.output_dir)
            self._unlock()
            return pages
        except BaseException:
            self.abort()
            raise

    def _finish_in_place(self, site: Site) -> int:
        """The preview: rewrite only files whose bytes changed; returns how many pages."""
        root, written, changed = self.output_dir, self.cache.written, 0
        root.mkdir(parents=True, exist_ok=True)
        if not (root / STAMP).exists():
            _write_atomically(root, STAMP, STAMP_TEXT)
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
    for relative, source in layout_assets(config.layout_dirs).items():   # checked in discover
        target = _inside(root / ASSETS_FOLDER, relative)
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


def verify(root: Path, expected: list[str], search: bool) -> None:
    """Check the staging folder before it is published: every page the build made is there,
    no file is empty, and Pagefind's index is whole (its files are gzip streams, its entry
    file names them). Raises PublishError naming the first file that is not right."""
    for relative in expected:
        if not (root / relative).is_file():
            raise PublishError(f"the new site is missing {relative}")
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.stat().st_size == 0 and path.name != STAMP:
            raise PublishError(f"{path.relative_to(root).as_posix()} was written empty (is the "
                               "disk full?)")
    if search:
        _verify_search(root / SEARCH_FOLDER)


def _verify_search(folder: Path) -> None:
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = 0
        for language in entry["languages"].values():
            pages += language["page_count"]
            if not (folder / f"pagefind.{language['hash']}.pf_meta").is_file():
                raise ValueError(f"pagefind.{language['hash']}.pf_meta is missing")
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".pf_meta", ".pf_index", ".pf_fragment", ".pagefind"):
                with gzip.open(path) as stream:
                    while stream.read(1 << 20):
                        pass
        fragments = len(list((folder / "fragment").glob("*.pf_fragment")))
        if fragments != pages:
            raise ValueError(f"{fragments} of {pages} pages are in the index")
    except (OSError, ValueError, KeyError, TypeError, EOFError, gzip.BadGzipFile) as exc:
        raise PublishError(f"the search index is not whole ({exc}); is the disk "
                           "full?") from None


def _sync_disk(folder: Path) -> None:
    """Put the new site on the disk before it is switched in (a power cut must not leave
    an output folder of empty files)."""
    libc = _libc()
    syncfs = getattr(libc, "syncfs", None) if libc else None
    if syncfs is None:
        os.sync()
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        syncfs(descriptor)
    finally:
        os.close(descriptor)


def switch(staging: Path, output_dir: Path) -> None:
    """Make `staging` the output in one step; the old output is removed after."""
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    if os.path.ismount(output_dir):
        _sync_into(staging, output_dir)
        shutil.rmtree(staging, ignore_errors=True)
        return
    try:
        exchanged = _exchange(staging, output_dir)
    except OSError as exc:
        if exc.errno != errno.EBUSY:          # a bind mount that ismount cannot see
            raise
        _sync_into(staging, output_dir)
        shutil.rmtree(staging, ignore_errors=True)
        return
    if exchanged:
        shutil.rmtree(staging, ignore_errors=True)    # it holds the old output now
        return
    old = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=f".{output_dir.name}-old-"))
    os.rmdir(old)
    os.rename(output_dir, old)            # a crash here is repaired by clean_leftovers
    try:
        os.rename(staging, output_dir)
    except BaseException:
        os.rename(old, output_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:                                  # pragma: no cover - not on Linux
        return None


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE). False when the
    system or the filesystem cannot."""
    libc = _libc()
    renameat2 = getattr(libc, "renameat2", None) if libc else None
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second),
                 rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _sync_into(staging: Path, output_dir: Path) -> None:
    """Publish into a folder that cannot be renamed (a mount point): first every new or
    changed file under a temporary name beside its place (all or none: on failure they are
    removed and the old site is untouched), then each renamed into place, then the files the
    new site no longer has removed."""
    temporary: list[tuple[Path, Path]] = []
    new_files = {p.relative_to(staging) for p in staging.rglob("*") if p.is_file()}
    try:
        for relative in sorted(new_files):
            source, target = staging / relative, output_dir / relative
            if target.is_file() and not target.is_symlink() \
                    and filecmp.cmp(source, target, shallow=False):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.site_gen-new")
            temporary.append((partial, target))
            shutil.copyfile(source, partial)
    except BaseException:
        for partial, _ in temporary:
            partial.unlink(missing_ok=True)
        raise
    for partial, target in temporary:
        os.replace(partial, target)
    for path in sorted(output_dir.rglob("*"), reverse=True):     # children before parents
        relative = path.relative_to(output_dir)
        if path.is_file() or path.is_symlink():
            if relative not in new_files:
                path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def clean_leftovers(output_dir: Path) -> None:
    """Remove what killed builds left beside the output: staging folders, and an old output
    set aside by the two-rename switch (put back first if the output itself is missing)."""
    parent, name = output_dir.parent, output_dir.name
    try:
        entries = sorted(parent.iterdir())
    except FileNotFoundError:
        return
    for path in entries:
        if not path.name.startswith(f".{name}-old-") or path.is_symlink() or not path.is_dir():
            continue
        if not output_dir.exists() and is_site_output(path):
            os.rename(path, output_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)
    for path in entries:
        if path.name.startswith(f".{name}-new-") and path.is_dir() and not path.is_symlink() \
                and not _in_use(path):
            shutil.rmtree(path, ignore_errors=True)


def _lock_folder(folder: Path) -> int:
    """An exclusive lock on a staging folder while its build runs, so that another build's
    `clean_leftovers` leaves it alone; the system releases it when the process ends."""
    import fcntl
    descriptor = os.open(folder, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return descriptor


def _in_use(folder: Path) -> bool:
    """Whether a running build holds `folder` (its staging folder)."""
    import fcntl
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(descriptor)          # releases the lock just taken, if it was
