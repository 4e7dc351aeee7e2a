"""The memo (STYLE.md, "The memo"; issue 15): a result is reused only when the hash of
everything that went into it is the same.

Every key starts from `inputs_digest`: site_gen's own code, the whole settings file, the
glossary, and every file of every layout folder (pictograms and assets included), plus the
command-line options that change what a build makes. Never a list of chosen fields: a new
setting, a new layout file or a change to our code reaches every key by itself.

The preview keeps its memo in memory; the command line keeps one on disk between runs
(`.site_gen-cache/` in the project root, ignored by git, removed by `make clean`, skipped
with `--no-cache`), so a build after one edit redoes only what that edit reaches. A memo
entry is a small value (a page's headings, problems and reading figures, the digests of the
files it wrote); the files themselves are taken from the output folder the last build
published, after checking that they are still the files it wrote (`FileMark`).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .i18n import language

CACHE_FOLDER = ".site_gen-cache"
STATE_FILE = "state.pickle"
OLD_MEMO_FILE = "memo.pickle"
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: bytes | str) -> str:
    """One hex digest of several parts; each part is length-prefixed, so ('ab', 'c') and
    ('a', 'bc') differ."""
    if bytes not in map(type, parts):             # all str (the test runs in C)
        # repr of a tuple of strings is unambiguous too, and one C call: page keys are made
        # for every page on every build.
        return hashlib.sha256(repr(parts).encode("utf-8", "surrogateescape")).hexdigest()
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """site_gen's version and the bytes of every one of its Python files: read once a
    process (the code a process runs does not change under it)."""
    parts = [__version__]
    for path in sorted(_PACKAGE.rglob("*.py")):
        parts += [path.relative_to(_PACKAGE).as_posix(), path.read_bytes()]
    return digest(*parts)


def folder_digest(folder: Path) -> list[bytes | str]:
    """Every file below `folder` as (relative path, bytes) parts, in name order."""
    parts: list[bytes | str] = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return parts


def inputs_digest(options, layout_dirs: list[Path]) -> str:
    """What every result depends on: our code, the settings file, the glossary, every file
    of every layout folder, and the options that change what is made or said (the paths
    messages show, the language of messages, --base-url, --advice, the preview). Not the
    output folder, and not the date: page keys hold what a page's checks make of it
    (render.page_keys), and the review warnings are worked out anew every build."""
    content = options.content_dir
    parts: list[bytes | str] = [code_digest(), str(options.root), str(content), language(),
                                repr((options.base_url, options.advice, options.preview))]
    for name in ("site.yaml", "glossary.yaml"):
        path = content / name
        parts += [name, path.read_bytes() if path.is_file() else b"(none)"]
    for folder in layout_dirs:
        parts += [str(folder), *folder_digest(folder)]
    return digest(*parts)


def file_digests(memo: "Memo", folder: Path, relative_paths: list[str]) -> dict[str, str]:
    """The digest of each file's bytes. A file is read again only when the file system says
    it may have changed (size, modification and change times, inode: git's index does the
    same), so a build of 4,000 documents does not read 40 MB to learn that nothing changed."""
    found, reads, watched, read_now = {}, memo.reads, memo.watched, memo.read_now
    prefix = f"{folder}/"
    for relative in relative_paths:
        path = prefix + relative
        read_now.add(path)
        if watched is not None and path not in watched and path in reads:
            found[relative] = reads[path][1]
            continue
        try:
            stat = os.stat(path)
        except OSError:
            found[relative] = ""
            continue
        seen = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        known = reads.get(path)
        if known is None or known[0] != seen:
            try:
                with open(path, "rb") as stream:
                    known = (seen, hashlib.sha256(stream.read()).hexdigest())
            except OSError:
                found[relative] = ""
                continue
            reads[path] = known
            memo.changed = True
        found[relative] = known[1]
    return found


@dataclass(frozen=True)
class FileMark:
    """A file as a build published it: its digest, and how the file system saw it then
    (a file touched since is not taken again)."""
    sha: str
    size: int
    mtime_ns: int
    inode: int

    def matches(self, path: Path | str) -> bool:
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == \
            (self.size, self.mtime_ns, self.inode)


def mark_of(path: Path, sha: str | None = None) -> FileMark:
    stat = path.stat()
    if sha is None:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return FileMark(sha, stat.st_size, stat.st_mtime_ns, stat.st_ino)


@dataclass
class LastBuild:
    """What the command line's last successful build printed and published, under the digest
    of all its inputs (`pipeline.whole_build_key`): when the next build's inputs digest the
    same and the output still holds these files, there is nothing to do but say so again."""
    key: str
    problems: list                  # Problem values, as the build found them
    advice: dict[str, int]          # advice counted without its texts, by path
    rows: list | None               # the readability table
    pages: int                      # HTML pages of the site
    files: dict[str, str]           # every published output path -> digest


@dataclass
class Memo:
    """Results by key, and per output folder the marks of the files last published there.
    `finish(success)` forgets what a successful build did not use, so the memo holds one
    build's worth of results."""
    _entries: dict[str, object] | None = field(default_factory=dict)
    published: dict[str, dict[str, FileMark]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    reads: dict[str, tuple] = field(default_factory=dict)   # source path -> (stat, digest)
    last: LastBuild | None = None

    changed: bool = False          # since it was loaded: worth writing again (DiskMemo)
    # The preview's watcher: the only files (absolute paths) that changed since the last
    # build, or None when nobody watched. Files it does not name are not looked at again.
    watched: set[str] | None = None
    read_now: set[str] = field(default_factory=set)    # files looked at in this build
    dirty: set[str] = field(default_factory=set)       # keys put or dropped since loading
    # Values kept only in this process, never saved (the preview's Jinja environment), each
    # in a slot of its own as (digest of what it was made from, value).
    live: dict[str, tuple[str, object]] = field(default_factory=dict)

    @property
    def entries(self) -> dict[str, object]:
        if self._entries is None:
            self._entries = self._load_entries()
        return self._entries

    def _load_entries(self) -> dict[str, object]:
        return {}

    def get(self, key: str):
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value) -> None:
        entries = self.entries
        if key not in entries or entries[key] != value:
            entries[key] = value
            self.dirty.add(key)
            self.changed = True
        self.used.add(key)

    def folder(self, name: str, inputs: str) -> Path | None:
        """A folder of the memo's own for a library's cache (Jinja's compiled templates)
        made from `inputs` (a digest), or None when the memo is not kept on disk."""
        return None

    def marks(self, output_dir: Path) -> dict[str, FileMark]:
        return self.published.get(str(output_dir), {})

    def set_marks(self, output_dir: Path, marks: dict[str, FileMark]) -> None:
        if self.published.get(str(output_dir)) != marks:
            self.published[str(output_dir)] = marks
            self.changed = True

    def remember(self, last: LastBuild | None) -> None:
        if self.last != last:
            self.last = last
            self.changed = True

    def finish(self, success: bool, forget_unused: bool = True) -> None:
        """The end of a build. After a successful one, what it did not use is forgotten
        (unless it used nothing because it was the last build again: `forget_unused`)."""
        success = success and forget_unused
        if success and self._entries is not None and len(self.used) != len(self._entries):
            self.dirty.update(key for key in self._entries if key not in self.used)
            self._entries = {key: self._entries[key] for key in self.used
                             if key in self._entries}
            self.changed = True
        if success and self.read_now != self.reads.keys():
            self.reads = {path: self.reads[path] for path in self.read_now if path in self.reads}
            self.changed = True
        self.used, self.read_now = set(), set()


@contextlib.contextmanager
def _no_gc():
    """The cyclic garbage collector off while a memo is (un)pickled: its hundred thousand
    new objects would set it off again and again, for nothing (halves the load: 0.32 s to
    0.16 s for 4,400 pages)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


SHARDS = 64          # entry files: one edit rewrites two or three of them, not the whole memo


def _shard(key: str) -> int:
    return int(key[:2], 16) % SHARDS


def _shard_file(number: int) -> str:
    return f"entries-{number:02d}.pickle"


class DiskMemo(Memo):
    """The command line's memo, in `<project>/.site_gen-cache/`: a small state file (the
    marks of the files read and published, the last build) read at once, and the entries in
    SHARDS files read only when a build needs them (a build where nothing changed never
    does). Every file is written whole with a rename, so a killed build leaves the old one;
    entries are keyed on whole inputs, so shards of two builds side by side are still right.
    A file that cannot be read (another site_gen version, a damaged file) counts as empty:
    it is only a memory."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = root / CACHE_FOLDER
        self._code = code_digest()
        self._entries = None
        self._stale_shards: set[int] = set()
        state = self._read(STATE_FILE)
        if state is not None:
            self.published, self.reads, self.last = state

    def folder(self, name: str, inputs: str) -> Path | None:
        """`<name>-<inputs>`: what a library keeps there may depend on any input, not only
        on what it keys it on itself (Jinja folds `{{ '/'|url }}` into the compiled template,
        with the base path of the settings), so a folder of other inputs is removed, never
        used."""
        folder = self.root / f"{name}-{inputs[:32]}"
        try:
            self._make_root()
            for other in self.root.glob(f"{name}-*"):
                if other != folder:
                    shutil.rmtree(other, ignore_errors=True)
            folder.mkdir(exist_ok=True)
        except OSError:
            return None                     # a read-only project: no cache, same build
        return folder

    def _read(self, name: str):
        """A memo file's contents, when it is whole and of this code; else None."""
        try:
            with open(self.root / name, "rb") as stream, _no_gc():
                code, contents = pickle.load(stream)
                # What was just loaded lives as long as the build: moved out of the
                # collector's sight before it is on again, or its first collection would
                # walk every object just made (a tenth of a build after one edit).
                gc.freeze()
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError,
                AttributeError, ImportError, IndexError):
            return None
        return contents if code == self._code else None

    def _load_entries(self) -> dict[str, object]:
        entries: dict[str, object] = {}
        for number in range(SHARDS):
            shard = self._read(_shard_file(number))
            if isinstance(shard, dict):
                entries.update(shard)
            elif (self.root / _shard_file(number)).exists():
                self._stale_shards.add(number)        # another version's: write it anew
        return entries

    def finish(self, success: bool, forget_unused: bool = True) -> None:
        super().finish(success, forget_unused)
        if not self.changed:
            return                          # the memo on disk already says all of this
        try:
            self._make_root()
            for stale in self.root.glob(".memo-*"):      # of a build killed while writing
                if stale.stat().st_mtime < time.time() - 3600:
                    stale.unlink(missing_ok=True)
            (self.root / OLD_MEMO_FILE).unlink(missing_ok=True)   # site_gen 0.1's one file
            if self._entries is not None:
                shards = {_shard(key) for key in self.dirty} | self._stale_shards
                grouped: dict[int, dict[str, object]] = {number: {} for number in shards}
                for key, value in self._entries.items():
                    group = grouped.get(_shard(key))
                    if group is not None:
                        group[key] = value
                for number in sorted(shards):
                    self._write(_shard_file(number), grouped[number])
            self._write(STATE_FILE, (self.published, self.reads, self.last))
        except OSError:
            pass            # a full disk or a read-only project: the next build is cold
        self.dirty, self._stale_shards, self.changed = set(), set(), False

    def _make_root(self) -> None:
        """The memo's folder, which git ignores."""
        self.root.mkdir(exist_ok=True)
        (self.root / ".gitignore").write_text("*\n")

    def _write(self, name: str, contents) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".memo-")
        try:
            with os.fdopen(handle, "wb") as stream, _no_gc():
                pickle.dump((self._code, contents), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.root / name)
        except BaseException:
            os.unlink(temporary)
            raise
