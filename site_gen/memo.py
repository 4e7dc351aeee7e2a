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

import hashlib
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

CACHE_FOLDER = ".site_gen-cache"
MEMO_FILE = "memo.pickle"
_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: bytes | str) -> str:
    """One hex digest of several parts; each part is length-prefixed, so ('ab', 'c') and
    ('a', 'bc') differ."""
    if all(type(part) is str for part in parts):
        # repr of a tuple of strings is unambiguous too, and one C call: page keys are made
        # for every page on every build.
        return hashlib.sha256(repr(parts).encode("utf-8", "surrogateescape")).hexdigest()
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def code_digest() -> str:
    """site_gen's version and the bytes of every one of its Python files."""
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
    messages show, --base-url, --advice, the preview). Not the output folder, and not the
    date: it decides only review warnings, which are worked out anew every build."""
    content = options.content_dir
    parts: list[bytes | str] = [code_digest(), str(options.root), str(content),
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
    found, reads, watched = {}, memo.reads, memo.watched
    for relative in relative_paths:
        path = folder / relative
        memo.read_now.add(str(path))
        if watched is not None and str(path) not in watched and str(path) in reads:
            found[relative] = reads[str(path)][1]
            continue
        try:
            stat = path.stat()
        except OSError:
            found[relative] = ""
            continue
        seen = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        known = reads.get(str(path))
        if known is None or known[0] != seen:
            try:
                known = (seen, hashlib.sha256(path.read_bytes()).hexdigest())
            except OSError:
                found[relative] = ""
                continue
            reads[str(path)] = known
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

    def matches(self, path: Path) -> bool:
        try:
            stat = path.stat()
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
class Memo:
    """Results by key, and per output folder the marks of the files last published there.
    `finish(success)` forgets what a successful build did not use, so the memo holds one
    build's worth of results."""
    entries: dict[str, object] = field(default_factory=dict)
    published: dict[str, dict[str, FileMark]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    reads: dict[str, tuple] = field(default_factory=dict)   # source path -> (stat, digest)

    changed: bool = False          # since it was loaded: worth writing again (DiskMemo)
    # The preview's watcher: the only files (absolute paths) that changed since the last
    # build, or None when nobody watched. Files it does not name are not looked at again.
    watched: set[str] | None = None
    read_now: set[str] = field(default_factory=set)    # files looked at in this build

    def get(self, key: str):
        value = self.entries.get(key)
        if value is not None:
            self.used.add(key)
        return value

    def put(self, key: str, value) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.changed = True

    def marks(self, output_dir: Path) -> dict[str, FileMark]:
        return self.published.get(str(output_dir), {})

    def set_marks(self, output_dir: Path, marks: dict[str, FileMark]) -> None:
        if self.published.get(str(output_dir)) != marks:
            self.published[str(output_dir)] = marks
            self.changed = True

    def finish(self, success: bool) -> None:
        if success and len(self.used) != len(self.entries):
            self.entries = {key: self.entries[key] for key in self.used if key in self.entries}
            self.changed = True
        if success and self.read_now != self.reads.keys():
            self.reads = {path: self.reads[path] for path in self.read_now if path in self.reads}
            self.changed = True
        self.used, self.read_now = set(), set()


class DiskMemo(Memo):
    """The command line's memo, in `<project>/.site_gen-cache/memo.pickle`. It is written
    whole with a rename, so a killed build leaves the old memo; one that cannot be read
    (another site_gen version, a damaged file) is started afresh: it is only a memory."""

    def __init__(self, root: Path):
        super().__init__()
        self.folder = root / CACHE_FOLDER
        self._code = code_digest()
        try:
            with open(self.folder / MEMO_FILE, "rb") as stream:
                code, entries, published, reads = pickle.load(stream)
            if code == self._code:
                self.entries, self.published, self.reads = entries, published, reads
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError,
                AttributeError, ImportError, IndexError):
            pass

    def finish(self, success: bool) -> None:
        super().finish(success)
        if not self.changed:
            return                          # the memo on disk already says all of this
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n")
            for stale in self.folder.glob(".memo-*"):      # of a build killed while writing
                if stale.stat().st_mtime < time.time() - 3600:
                    stale.unlink(missing_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".memo-")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((self._code, self.entries, self.published, self.reads), stream,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / MEMO_FILE)
        except OSError:
            pass            # a full disk or a read-only project: the next build is cold
