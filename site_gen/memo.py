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
import hmac
import os
import pickle
import secrets
import stat as stat_module
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .i18n import _, language

CACHE_FOLDER = ".site_gen-cache"
STATE_FILE = "state.pickle"
OLD_MEMO_FILE = "memo.pickle"
_PACKAGE = Path(__file__).resolve().parent
SEAL_MAGIC = b"site_gen memo 2\n"      # then the 32-byte seal, then the pickle
KEY_ENV = "SITE_GEN_KEY_DIR"           # where the memo's key is kept (default ~/.config/site_gen)


class Seal:
    """The memo's files are sealed with an HMAC-SHA256 under a key of the user's own (issue
    31), checked before a byte is unpickled: unpickling runs code, so a file that anyone else
    could have written, or that a disk damaged, is never loaded. The key is 32 random bytes
    in ~/.config/site_gen/memo.key (mode 600, in a folder of mode 700), outside every project,
    so a shared drive or a CI cache others can write holds memo files, never the key. The seal
    covers the code that wrote the file too: another version's file is a miss."""

    def __init__(self, key: bytes):
        self._key = key

    def _mac(self, payload) -> bytes:
        mac = hmac.new(self._key, code_digest().encode(), hashlib.sha256)
        mac.update(payload)                  # a memoryview: no copy of a large file
        return mac.digest()

    def seal(self, payload: bytes) -> bytes:
        return SEAL_MAGIC + self._mac(payload) + payload

    def unseal(self, blob: bytes):
        """The payload (a memoryview of `blob`), or None when the file is not one this
        user's site_gen sealed."""
        head = len(SEAL_MAGIC)
        if blob[:head] != SEAL_MAGIC or len(blob) < head + 32:
            return None
        view = memoryview(blob)
        payload = view[head + 32:]
        return payload if hmac.compare_digest(bytes(view[head:head + 32]),
                                              self._mac(payload)) else None


def key_folder() -> Path:
    configured = os.environ.get(KEY_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "site_gen"


@functools.lru_cache(maxsize=None)
def user_seal(folder: Path | None = None) -> tuple[Seal | None, str | None]:
    """This user's seal, made on first use; or None and why it cannot be trusted (a key
    file or folder others can write or another user owns) or made (a read-only home)."""
    folder = folder or key_folder()
    path = folder / "memo.key"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(handle, "wb") as stream:
                stream.write(secrets.token_bytes(32))
        for checked in (folder, path):
            info = os.lstat(checked)
            if stat_module.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid() or \
                    info.st_mode & (0o022 if checked == folder else 0o077):
                return None, str(checked)
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(handle, "rb") as stream:
            key = stream.read()
    except OSError as exc:
        return None, str(exc.filename or path)
    if len(key) != 32:
        return None, str(path)
    return Seal(key), None


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


# The options that are not inputs of a page: every other option is (the whole options, never
# chosen fields: --drafts changed what a build makes when it was added, issue 27).
NOT_INPUTS = frozenset({"output_dir", "today", "strict"})


def inputs_digest(options, layout_dirs: list[Path]) -> str:
    """What every result depends on: our code, the settings file, the glossary, every file
    of every layout folder, and every option but NOT_INPUTS. Not the output folder, and not
    the date: page keys hold what a page's checks make of it (render.page_keys), and the
    review warnings are worked out anew every build; --strict is in the whole build's key."""
    content = options.content_dir
    parts: list[bytes | str] = [code_digest(), language(), repr(sorted(
        (name, value) for name, value in vars(options).items() if name not in NOT_INPUTS))]
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
    drafts: int = 0                 # documents left out as drafts (issue 27)


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


def unsafe_folder(folder: Path) -> str | None:
    """Why a memo folder may not be trusted, or None: it is a symbolic link, another user
    owns it, or others may write in it (issue 31)."""
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return None
    except OSError:
        return "unreadable"
    if stat_module.S_ISLNK(info.st_mode):
        return "symlink"
    if not stat_module.S_ISDIR(info.st_mode):
        return "not-a-folder"
    if info.st_uid != os.geteuid():
        return "owner"
    if info.st_mode & 0o022:
        return "writable"
    return None


class DiskMemo(Memo):
    """The command line's memo, in `<project>/.site_gen-cache/`: a small state file (the
    marks of the files read and published, the last build) read at once, and the entries in
    SHARDS files read only when a build needs them (a build where nothing changed never
    does). Every file is written whole with a rename, so a killed build leaves the old one;
    entries are keyed on whole inputs, so shards of two builds side by side are still right.

    Every file is sealed (`Seal`) and checked before it is unpickled; a file that is not
    whole, not sealed by this user's site_gen of this code, or not of the expected shape is
    a miss: the build makes that part anew, and says once that the memo was not used
    (`notes`). A folder that is a symlink, another user's, or writable by others is not used
    at all (issue 31): the build runs without a memo and says why."""

    def __init__(self, root: Path, seal: tuple[Seal | None, str | None] | None = None):
        super().__init__()
        self.root = root / CACHE_FOLDER
        self._code = code_digest()
        self._entries = None
        self._stale_shards: set[int] = set()
        self.notes: list[str] = []
        self.seal, key_problem = seal if seal is not None else user_seal()
        refused = unsafe_folder(self.root)
        if self.seal is None:
            self._refuse(_("the memo's key ({path}) is missing, cannot be made, or others could "
                           "read or change it; this build runs without the memo of earlier "
                           "builds (slower, same result)").format(path=key_problem))
        elif refused is not None:
            self._refuse(_("the memo folder {folder} is not used: {why}; this build runs "
                           "without it (slower, same result). Delete the folder, and the next "
                           "build makes a new one").format(folder=self.root, why={
                               "symlink": _("it is a symbolic link"),
                               "owner": _("another user owns it"),
                               "writable": _("others may write in it"),
                           }.get(refused, _("it is not a folder this build can use"))))
        state = self._read(STATE_FILE, tuple)
        if isinstance(state, tuple) and len(state) == 3 and isinstance(state[0], dict) \
                and isinstance(state[1], dict) and (state[2] is None
                                                    or isinstance(state[2], LastBuild)):
            self.published, self.reads, self.last = state

    def _refuse(self, note: str) -> None:
        self.notes.append(note)
        self.seal = None
        self.root = None

    def folder(self, name: str, inputs: str) -> Path | None:
        """`<name>-<inputs>`: what a library keeps there may depend on any input, not only
        on what it keys it on itself (Jinja folds `{{ '/'|url }}` into the compiled template,
        with the base path of the settings), so a folder of other inputs is removed, never
        used."""
        if self.root is None:
            return None
        folder = self.root / f"{name}-{inputs[:32]}"
        try:
            self._make_root()
            for other in self.root.glob(f"{name}-*"):
                if other != folder:
                    shutil.rmtree(other, ignore_errors=True)
            folder.mkdir(exist_ok=True)
            if unsafe_folder(folder) is not None:
                return None
        except OSError:
            return None                     # a read-only project: no cache, same build
        return folder

    def _read(self, name: str, shape: type = dict):
        """A memo file's contents, when it is whole, sealed by this user's site_gen of this
        code and of the expected shape; else None (and, when the file was there, a note)."""
        if self.root is None:
            return None
        try:
            handle = os.open(self.root / name, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(handle, "rb") as stream:
                blob = stream.read()
        except FileNotFoundError:
            return None
        except OSError:
            return self._miss(name)
        payload = self.seal.unseal(blob)
        if payload is None:
            return self._miss(name)
        try:
            with _no_gc():
                contents = pickle.loads(payload)
                # What was just loaded lives as long as the build: moved out of the
                # collector's sight before it is on again, or its first collection would
                # walk every object just made (a tenth of a build after one edit).
                gc.freeze()
        except Exception:                # sealed by us yet unreadable: still only a miss
            return self._miss(name)
        if not isinstance(contents, shape):
            return self._miss(name)
        return contents

    def _miss(self, name: str) -> None:
        if not self.notes:
            self.notes.append(_("a file of the memo of earlier builds ({path}) could not be "
                                "used (damaged, or written by another user or version of "
                                "site_gen); what it held is made anew").format(
                                    path=self.root / name))
        return None

    def _load_entries(self) -> dict[str, object]:
        entries: dict[str, object] = {}
        if self.root is None:
            return entries
        for number in range(SHARDS):
            shard = self._read(_shard_file(number))
            if isinstance(shard, dict) and all(isinstance(key, str) for key in shard):
                entries.update(shard)
            elif os.path.lexists(self.root / _shard_file(number)):
                self._stale_shards.add(number)        # damaged or another version's: anew
        return entries

    def finish(self, success: bool, forget_unused: bool = True) -> None:
        super().finish(success, forget_unused)
        if not self.changed or self.root is None:
            return                          # the memo on disk already says all of this
        try:
            self._make_root()
            if unsafe_folder(self.root) is not None:
                return
            for stale in self.root.glob(".memo-*"):      # of a build killed while writing
                if stale.lstat().st_mtime < time.time() - 3600:
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
        """The memo's folder (mode 700), which git ignores."""
        self.root.mkdir(mode=0o700, exist_ok=True)
        ignore = self.root / ".gitignore"
        if not ignore.is_file() or ignore.is_symlink():
            ignore.unlink(missing_ok=True)
            ignore.write_text("*\n")

    def _write(self, name: str, contents) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".memo-")
        try:
            with _no_gc():
                payload = pickle.dumps((contents), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(handle, "wb") as stream:
                stream.write(self.seal.seal(payload))
            os.replace(temporary, self.root / name)
        except BaseException:
            os.unlink(temporary)
            raise
