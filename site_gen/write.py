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
RENAME_EXCHANGE; where the system has no such call, the output is a link to the current
version, replaced in one rename: `switch`). An output folder that is a mount point cannot be renamed:
the new site is copied into it file by file, all new files first under temporary names, then
renamed into place. Leftovers of killed builds are removed at the next start, under a lock
that keeps two builds from publishing into one folder at once. The preview server instead
keeps its folder and rewrites only the files whose bytes changed, after a build without errors.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import filecmp
import gzip
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .i18n import _
from .asset_names import published_names
from .assets import layout_assets
from .config import BuildOptions, display_path
from .lazy import lazy
from .memo import FileMark, Memo, digest, mark_of
from .model import Site
from .outputs import ASSETS_FOLDER, SEARCH_FOLDER, STAMP
from .server_config import ServerSettingsError, write_server_settings

STAMP_TEXT = ("This folder is a website built by site_gen. Each build replaces everything in "
              "it; keep no other files here.\n")


# Made only when a build makes PDFs or a search index (lazy.py).
runner, pdf, search = lazy("site_gen.runner"), lazy("site_gen.pdf"), lazy("site_gen.search")


class OutputRefused(Exception):
    """The output folder given cannot be the site's output; nothing was touched."""


class PublishError(OSError):
    """The new site could not be written whole (a full disk, a failed tool); the previous
    output is unchanged."""


def site_path(output_dir: Path) -> Path:
    """The output folder as builds publish to it: the path resolved, except a folder that is
    site_gen's own link to the site's current version (`.<name>-site-<id>` beside it, made
    where the system cannot swap two folders: `switch`), which stays the link."""
    path = Path(os.path.abspath(output_dir))
    if is_version_link(path):
        return path.parent.resolve() / path.name
    return path.resolve()


def is_version_link(path: Path) -> bool:
    """Whether `path` is site_gen's link to a version of the site beside it."""
    try:
        target = os.readlink(path)
    except OSError:
        return False
    return re.fullmatch(rf"\.{re.escape(path.name)}-site-[A-Za-z0-9_]+", target) is not None


def refuse_output(options: BuildOptions) -> str | None:
    """Why `options.output_dir` may not be written as the site's output, or None."""
    out = options.output_dir.resolve()
    shown = display_path(options, options.output_dir)
    guarded = [("project", _("the project folder"), options.root),
               ("content", _("the content folder"), options.content_dir),
               ("layouts", _("the layouts folder"), options.layouts_dir)]
    if options.default_layouts_dir is not None:
        guarded.append(("own", _("site_gen's own layouts folder"), options.default_layouts_dir))
    for which, label, folder in guarded:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out):
            return _("the output folder '{shown}' is {label} or holds it; a build replaces "
                     "its whole output folder, so your files would be deleted. Choose a folder "
                     "of its own, e.g. --out public").format(shown=shown, label=label)
        if which != "project" and out.is_relative_to(folder):
            return _("the output folder '{shown}' lies inside {label}; choose a folder of its "
                     "own outside it, e.g. --out public").format(shown=shown, label=label)
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            return _("'{shown}' is a file, not a folder; the build would replace it. Choose a "
                     "folder for the site, e.g. --out public").format(shown=shown)
        if any(out.iterdir()) and not is_site_output(out):
            return _("the folder '{shown}' already holds files that site_gen did not write "
                     "(it has no {stamp} mark); a build replaces everything in its output "
                     "folder. Choose a new or empty folder, or move those files away first"
                     ).format(shown=shown, stamp=STAMP)
    return None


def is_site_output(folder: Path) -> bool:
    """A folder site_gen wrote: it carries the stamp, or (written before the stamp existed)
    holds the three files only a site_gen output has together."""
    if (folder / STAMP).is_file():
        return True
    return all((folder / name).is_file() for name in ("index.html", "404.html",
                                                       f"{ASSETS_FOLDER}/site.css"))


@dataclass
class Made:
    """A memoised unit of output other than a page (the listings, the report, the search
    index): the files it wrote and what the checks found in them."""
    files: dict[str, str]                                     # output path -> digest
    problems: list = field(default_factory=list)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Writer:
    """The output of one build, for both ways of publishing. Pages are rendered only when
    `can_reuse` says the last output does not already hold their files; `reuse` names the
    files carried over, `write_page` (in a worker) and `put` the new ones; then `finish`
    publishes, or `abort` forgets. `self.files` ends as every output path -> digest."""

    def __init__(self, output_dir: Path, memo: Memo):
        self.output_dir = site_path(output_dir)
        self.memo = memo
        self.previous = memo.marks(self.output_dir)     # what the last build published here
        self.files: dict[str, str] = {STAMP: _sha(STAMP_TEXT.encode())}
        self.new: set[str] = set()                      # paths written by this build

    def can_reuse(self, files: dict[str, str]) -> bool:
        """Whether the output still holds exactly these files, as the last build wrote them."""
        if not files:
            return False
        root, previous = f"{self.output_dir}/", self.previous
        for relative, sha in files.items():
            mark = previous.get(relative)
            if mark is None or mark.sha != sha or not mark.matches(root + relative):
                return False
        return True

    def reuse(self, files: dict[str, str]) -> None:
        self.files.update(files)

    def reuse_memoised(self, key: str):
        """The memo's result under `key` (anything with `.files`) when the output still holds
        its files as the last build wrote them, now counted as this build's; else None."""
        made = self.memo.get(key)
        if made is None or not self.can_reuse(made.files):
            return None
        self.reuse(made.files)
        return made

    def wrote(self, files: dict[str, str]) -> None:
        """Files a worker wrote for this build (write_page in another process)."""
        self.files.update(files)
        self.new.update(files)

    def put(self, relative: str, text: str | bytes) -> None:
        """One file made in this process; unchanged files are reused, not written."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        sha = _sha(data)
        if self.can_reuse({relative: sha}):
            self.files[relative] = sha
            return
        self._store(relative, data)
        self.files[relative] = sha
        self.new.add(relative)

    def copy(self, relative: str, source: Path, sha: str) -> None:
        """A file copied as it is (a bundle's image, a layout's stylesheet)."""
        if self.can_reuse({relative: sha}):
            self.files[relative] = sha
            return
        self._store(relative, source.read_bytes())
        self.files[relative] = sha
        self.new.add(relative)

    def open(self) -> None:
        """Get ready for workers to write (a staging folder, for a full build)."""

    def write_page(self, relative: str, html: str) -> tuple[str, str | None]:
        raise NotImplementedError

    def _store(self, relative: str, data: bytes) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


class StagingWriter(Writer):
    """The command line: new files go to a staging folder beside the output; when the build
    is good, the files the last build published and this one makes again are linked in from
    the output, everything is checked, and the folders swap places (`switch`). When nothing
    differs from what is published, nothing is written at all."""

    def __init__(self, output_dir: Path, memo: Memo):
        super().__init__(output_dir, memo)
        self.staging: Path | None = None
        self._lock = None
        self._linked: set[str] = set()

    def open(self) -> None:
        if self.staging is not None:
            return
        self.output_dir.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(dir=self.output_dir.parent,
                                             prefix=f".{self.output_dir.name}-new-"))
        self._lock = _lock_folder(self.staging)     # ours while this build runs
        (self.staging / STAMP).write_text(STAMP_TEXT, encoding="utf-8")

    def write_page(self, relative: str, html: str) -> tuple[str, None]:
        """Called in the worker that rendered the page: the HTML never leaves it."""
        data = html.encode("utf-8")
        _write_bytes(self.staging, relative, data)
        return _sha(data), None

    def _store(self, relative: str, data: bytes) -> None:
        self.open()
        _write_bytes(self.staging, relative, data)

    def abort(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._lock is not None:
            os.close(self._lock)          # closing the descriptor releases the lock
            self._lock = None

    def unchanged(self) -> bool:
        """Nothing new, and the output holds exactly the files this build would publish."""
        return self.staging is None and set(self.files) == set(self.previous) \
            and self.can_reuse(self.files)

    def link_reused(self) -> None:
        """Put the files carried over from the output into the staging folder."""
        self.open()
        source, target = f"{self.output_dir}/", f"{self.staging}/"
        made: set[str] = set()                    # folders known to exist in staging
        for relative in sorted(set(self.files) - self.new - self._linked - {STAMP}):
            _check_relative(relative)
            folder = relative.rpartition("/")[0]
            if folder and folder not in made:
                os.makedirs(target + folder, exist_ok=True)
                made.add(folder)
            if _link_or_copy(source + relative, target + relative):
                self._linked.add(relative)
            else:
                self.new.add(relative)            # a copy: a file of its own, checked as new

    def publish(self, search: bool) -> None:
        """Link in the reused files, verify, sync and switch; record what was published."""
        try:
            self.link_reused()
            verify(self.staging, sorted(self.new), search)
            self.staging.chmod(0o755)
            _sync_disk(self.staging)
            switch(self.staging, self.output_dir, len(self.previous))
            self.staging = None
        finally:
            self.abort()
        # A linked file is the file the last build published (same inode, size and time).
        self.memo.set_marks(self.output_dir, _marks(self.output_dir, self.files, self.previous,
                                                   self.new, trusted=self._linked))


class InPlaceWriter(Writer):
    """The preview: its own folder, rewritten file by file (each atomically) after a build
    without errors; only files whose bytes changed are written."""

    def __init__(self, output_dir: Path, memo: Memo):
        super().__init__(output_dir, memo)
        self.pending: dict[str, bytes] = {}

    def write_page(self, relative: str, html: str) -> tuple[str, str]:
        return _sha(html.encode("utf-8")), html         # written by the parent, after success

    def can_reuse(self, files: dict[str, str]) -> bool:
        """The preview's folder is its own scratch folder, written only by it: while its
        watcher runs, what it wrote last is trusted without a look at the disk."""
        if self.memo.watched is None:
            return super().can_reuse(files)
        previous = self.previous
        for relative, sha in files.items():         # once a page on every rebuild: no genexpr
            mark = previous.get(relative)
            if mark is None or mark.sha != sha:
                return False
        return bool(files)

    def _store(self, relative: str, data: bytes) -> None:
        self.pending[relative] = data

    def abort(self) -> None:
        self.pending.clear()

    def publish(self) -> int:
        """Write what changed and remove what this build no longer makes; returns how many
        HTML files were written."""
        root = self.output_dir
        root.mkdir(parents=True, exist_ok=True)
        if not (root / STAMP).exists():
            write_atomically(root, STAMP, STAMP_TEXT.encode())
        for relative, data in self.pending.items():
            write_atomically(root, relative, data)
        for relative in set(self.previous) - set(self.files):
            _inside(root, relative).unlink(missing_ok=True)      # a page that was removed
        # Its own folder, written only by it: while the watcher runs, what it did not write
        # is as it was.
        trusted = set(self.files) if self.memo.watched is not None else frozenset()
        self.memo.set_marks(root, _marks(root, self.files, self.previous, set(self.pending),
                                         trusted))
        return sum(1 for relative in self.pending if relative.endswith(".html"))


def still_published(output_dir: Path, memo: Memo, files: dict[str, str]) -> bool:
    """Whether the output folder holds exactly `files`, as the last build published them."""
    writer = StagingWriter(output_dir, memo)
    writer.files = dict(files)
    return writer.unchanged()


def publish(site: Site, writer: Writer, memo: Memo, inputs: str, digests: dict[str, str],
            fresh: dict) -> int:
    """The write stage: assets, PDFs and the search index (each memoised), then publish.
    Returns the number of HTML pages of the site."""
    copy_assets(site, writer, digests)
    if site.config.pdf:
        _make_pdfs(site, writer, fresh)
    if site.config.search:
        _index(site, writer, memo, inputs)
    pages = sum(1 for path in writer.files
                if path.endswith(".html") and not path.startswith(f"{SEARCH_FOLDER}/"))
    if isinstance(writer, InPlaceWriter):
        return writer.publish()
    if not writer.unchanged():
        writer.publish(site.config.search)
    return pages


def server_settings(config, output_dir: Path, problems) -> None:
    """The server settings beside a site just published (issue 21). The site is out by
    then, so a folder that is not site_gen's or a full disk is a warning that says what was
    published and what was not (issue 31), never "nothing was published"."""
    try:
        write_server_settings(config, output_dir)
    except OSError as exc:
        why = str(exc) if isinstance(exc, ServerSettingsError) else \
            f"{exc.strerror or exc} ({exc.filename})"
        problems.warning(config.display(output_dir.parent / f"{output_dir.name}-server"), None,
                         "server-settings", _(
                             "the site is published in {folder}/, but its server settings "
                             "were not written: {why}").format(folder=output_dir.name, why=why))


def _make_pdfs(site: Site, writer: "StagingWriter", fresh: dict) -> None:
    """A PDF of every page rendered in this build, made in parallel; a reused page's PDF
    came with it."""
    todo = [path for path, result in fresh.items() if result.files]
    if not todo:
        return
    writer.link_reused()              # the stylesheet and images the PDFs are made with
    if len(todo) > 1:
        pdf.warm_up()                 # once, here, not in every worker
    made = runner.run_all(_pdf_of, (site, writer.staging), todo, parallel_from=2)
    for path, files in zip(todo, made):
        fresh[path].files.update(files)
        writer.wrote(files)


def _pdf_of(shared: tuple, source_path: str) -> dict[str, str]:
    site, staging = shared
    return pdf.make_pdf(site, staging, site.pages[source_path])


def _index(site: Site, writer: "StagingWriter", memo: Memo, inputs: str) -> None:
    """Pagefind's index of every HTML page, reused while no page's bytes changed."""
    pages = sorted(f"{path}\0{sha}" for path, sha in writer.files.items()
                   if path.endswith(".html"))
    key = digest(inputs, "search", *pages)
    if writer.reuse_memoised(key) is not None:
        return
    writer.link_reused()                          # Pagefind reads every page in the folder
    search.index_site(writer.staging)
    folder = writer.staging / SEARCH_FOLDER
    files = {path.relative_to(writer.staging).as_posix(): _sha(path.read_bytes())
             for path in sorted(folder.rglob("*")) if path.is_file()}
    writer.wrote(files)
    memo.put(key, Made(files))


def _marks(root: Path, files: dict[str, str], previous: dict[str, FileMark],
           new: set[str], trusted: set[str] | frozenset = frozenset()) -> dict[str, FileMark]:
    """The mark of every published file: the last one when this build did not write the
    file and it is the same file (`trusted`: known to be, without a look at the disk),
    else a new one."""
    marks, prefix = {}, f"{root}/"
    for relative, sha in files.items():
        if relative not in new and relative in previous and previous[relative].sha == sha \
                and (relative in trusted or previous[relative].matches(prefix + relative)):
            marks[relative] = previous[relative]
        else:
            try:
                marks[relative] = mark_of(Path(prefix + relative), sha)
            except OSError:
                pass
    return marks


def _link_or_copy(source: str, target: str) -> bool:
    """Carry a published file into the staging folder (its folder exists): a hard link
    costs no disk and no time, and the old name is removed with the old output after the
    switch. True when linked (the same file), False when copied."""
    try:
        os.link(source, target)
        return True
    except OSError:
        shutil.copyfile(source, target)
        return False


class ContentChanged(Exception):
    """A file of the content was deleted or renamed while the site was being built."""
    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


def copy_assets(site: Site, writer: Writer, digests: dict[str, str]) -> None:
    """The bundles' files and the layouts' assets (a site's own layouts win). Raises
    ContentChanged when a bundle's file is gone (someone removed it during the build)."""
    config = site.config
    for page in site.pages.values():
        for asset in page.source.assets:
            source = config.options.content_dir / asset.source_path
            try:
                writer.copy(asset.output_path, source, digests[asset.source_path])
            except FileNotFoundError:
                raise ContentChanged(config.display(source)) from None
    names = published_names(config.layout_dirs, config.options.preview)   # hashed (issue 21)
    for relative, source in layout_assets(config.layout_dirs).items():   # checked in discover
        writer.copy(f"{ASSETS_FOLDER}/{names[relative]}", source, _sha(source.read_bytes()))


def _check_relative(relative: str) -> None:
    """Refuse an output path that would leave the output folder."""
    if not relative or relative.startswith("/") or ".." in relative.split("/"):
        raise ValueError(f"output path outside the output folder: {relative!r}")


def _inside(root: Path, relative: str) -> Path:
    """The output path for `relative`, refusing anything that would leave the output folder."""
    _check_relative(relative)
    return root.joinpath(*PurePosixPath(relative).parts)


def _write_bytes(root: Path, relative: str, data: bytes) -> None:
    target = _inside(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write_atomically(root: Path, relative: str, data: bytes, durable: bool = False) -> None:
    """A reader of the preview sees the old file or the new one, never half of one; the
    browser editor saves an author's files with it too (editor/backend.py), `durable`: on
    the disk before it replaces the old file, so a crash leaves one or the other."""
    target = _inside(root, relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        with open(temporary, "wb") as file:
            file.write(data)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def verify(root: Path, written: list[str], search: bool) -> None:
    """Check the staging folder before it is published: every file this build wrote is
    there and not empty, and Pagefind's index is whole (its files are gzip streams, its entry
    file names them). The files carried over are hard links to files the last build checked,
    whose size, time and inode the memo has just seen again. Raises PublishError naming the
    first file that is not right."""
    prefix = f"{root}/"
    for relative in written:
        try:
            size = os.stat(prefix + relative).st_size
        except OSError:
            raise PublishError(_("the new site is missing {relative}").format(relative=relative)) from None
        if size == 0:
            raise PublishError(_("{value} was written empty (is the disk full?)").format(value=relative))
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
        raise PublishError(_("the search index is not whole ({exc}); is the disk full?").format(exc=exc)) from None


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


def switch(staging: Path, output_dir: Path, old_files: int = 0) -> None:
    """Make `staging` the output in one step; the old output (of about `old_files` files)
    is removed after. The output is never missing, whatever moment a crash comes:
    - where the system swaps two folders in one call (Linux renameat2 RENAME_EXCHANGE), the
      new site and the old change places;
    - where it cannot (NFS, CIFS, some overlay file systems: issue 31), the output becomes a
      link to the current version, `.<name>-site-<id>` beside it, and each build replaces the
      link in one rename; only the first such build, which turns a real folder into the
      link, has a moment between two renames (repaired by `clean_leftovers`);
    - a mount point, which cannot be renamed, gets the new files one by one (`_sync_into`)."""
    if not os.path.lexists(output_dir):
        os.rename(staging, output_dir)
        return
    if is_version_link(output_dir):
        _switch_link(staging, output_dir, old_files)
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
        _remove_old(staging, old_files)               # it holds the old output now
        return
    version, link = _version_and_link(staging, output_dir)
    old = Path(tempfile.mkdtemp(dir=output_dir.parent, prefix=f".{output_dir.name}-old-"))
    os.rmdir(old)
    os.rename(output_dir, old)            # a crash here is repaired by clean_leftovers
    try:
        os.rename(link, output_dir)
    except BaseException:
        os.rename(old, output_dir)
        raise
    _remove_old(old, old_files)


def _version_and_link(staging: Path, output_dir: Path) -> tuple[Path, Path]:
    """The new site as a version beside the output, and a new link to it (not yet in place)."""
    token = Path(staging).name.rsplit("-", 1)[-1]
    version = output_dir.parent / f".{output_dir.name}-site-{token}"
    os.rename(staging, version)
    link = output_dir.parent / f".{output_dir.name}-link-{token}"
    os.symlink(version.name, link)
    return version, link


def _switch_link(staging: Path, output_dir: Path, old_files: int) -> None:
    """Point the output's link at the new version in one rename (atomic on every POSIX
    file system), then remove the version it pointed at."""
    previous = output_dir.parent / os.readlink(output_dir)
    version, link = _version_and_link(staging, output_dir)
    os.replace(link, output_dir)
    if previous != version and previous.name.startswith(f".{output_dir.name}-site-"):
        _remove_old(previous, old_files)


BACKGROUND_REMOVAL = 2_000      # files: fewer are removed sooner than a process starts


def _remove_old(folder: Path, files: int) -> None:
    """Remove an output set aside by `switch`. A large one (4,400 folders: 0.2 s on tmpfs,
    seconds on a slow disk) is removed by a detached process of its own, so the build is
    over once the new output is in place; whatever that process leaves (killed, a full
    disk) is a leftover the next build's `clean_leftovers` removes."""
    if files >= BACKGROUND_REMOVAL and sys.executable:       # none when embedded
        null = [(os.POSIX_SPAWN_OPEN, number, os.devnull, os.O_RDWR, 0) for number in (0, 1, 2)]
        try:
            os.posix_spawn(sys.executable, [
                sys.executable, "-I", "-S", "-c",
                "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)",
                str(folder)], os.environ, file_actions=null, setsid=True)
            return
        except OSError:
            pass                                     # no process to spare: remove it here
    shutil.rmtree(folder, ignore_errors=True)


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
    """Remove what killed builds left beside the output: staging folders, versions and links
    the output does not point at, and an old output set aside by the first link switch (a
    crash between its two renames: the new site's link, or else the old output, is put
    back first)."""
    parent, name = output_dir.parent, output_dir.name
    try:
        entries = sorted(parent.iterdir())
    except FileNotFoundError:
        return
    if not os.path.lexists(output_dir):
        links = [p for p in entries if p.name.startswith(f".{name}-link-") and p.is_symlink()
                 and re.fullmatch(rf"\.{re.escape(name)}-site-[A-Za-z0-9_]+", os.readlink(p))
                 and (parent / os.readlink(p)).is_dir()]
        if links:
            os.rename(links[-1], output_dir)
    for path in entries:
        if not path.name.startswith(f".{name}-old-") or path.is_symlink() or not path.is_dir():
            continue
        if not os.path.lexists(output_dir) and is_site_output(path):
            os.rename(path, output_dir)
        else:
            shutil.rmtree(path, ignore_errors=True)
    current = os.readlink(output_dir) if is_version_link(output_dir) else None
    for path in entries:
        if path.name.startswith(f".{name}-new-") and path.is_dir() and not path.is_symlink() \
                and not _in_use(path):
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(f".{name}-link-") and path.is_symlink():
            path.unlink()                   # a link a killed build never put in place
        elif path.name.startswith(f".{name}-site-") and path.name != current \
                and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


LOCK_SUFFIX = ".site_gen-lock"


@contextlib.contextmanager
def output_lock(output_dir: Path):
    """One build at a time per output folder (issue 31): a second build into the same folder
    says so and waits until the first has published or failed, so that two builds never
    publish into the middle of each other. The lock is a file beside the output (never
    inside what is published), held with flock: the system releases it when a build ends,
    however it ends, so a killed build never leaves a folder locked."""
    import fcntl
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    path = output_dir.parent / f".{output_dir.name}{LOCK_SUFFIX}"
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(_("another build is writing into {folder}; waiting until it is done").format(
                folder=output_dir.name), file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


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
