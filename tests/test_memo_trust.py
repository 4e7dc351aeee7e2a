"""The memo can be trusted or is not used (issue 31): a pickle planted in any memo file, or a
compiled template planted in Jinja's cache, never runs; a memo folder that is a symbolic
link, another user's or writable by others is not used; damaged files (random bytes,
truncation, bit flips, wrong shapes, foreign names) are misses, and every build equals a
build without the memo, byte for byte."""
from __future__ import annotations

import io
import marshal
import os
import pickle
import random
import shutil
from pathlib import Path

import pytest

from helpers import run_cli, tree_snapshot
from site_gen.memo import CACHE_FOLDER, SEAL_MAGIC, DiskMemo, Memo, Seal, user_seal
from site_gen.pipeline import build_site
from test_memo import _options, _site

MARKER = "planted-code-ran"


class Planted:
    """A pickle that, when loaded, writes a marker file (what an attacker's would do)."""
    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _built(tmp_path: Path) -> tuple[Path, Path]:
    site = _site(tmp_path, search=False)
    out = tmp_path / "out"
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    return site, out


def _edit(site: Path, text: str = "\nEn ny sætning.\n") -> None:
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text() + text)


def _same_as_clean(site: Path, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert build_site(_options(site, clean), Memo()).wrote
    assert tree_snapshot(out) == tree_snapshot(clean), "the memoised build differs"


def _memo_files(site: Path) -> list[Path]:
    return sorted(p for p in (site / CACHE_FOLDER).rglob("*") if p.is_file()
                  and p.name != ".gitignore")


def _planted_templates(site: Path, marker: Path) -> dict[Path, bytes]:
    """For every layout, the file Jinja's FileSystemBytecodeCache would load for it, in
    Jinja's own format with the layout's real checksum (an attacker can read the layouts),
    holding code that writes the marker when the template runs."""
    from hashlib import sha1
    from jinja2.bccache import bc_magic
    code = compile(f"open({str(marker)!r}, 'w')\n", "<planted>", "exec")
    folders = sorted((site / CACHE_FOLDER).glob("jinja-*"))
    planted = {}
    layouts = (site / "layouts").resolve()
    for layout in sorted(p for p in layouts.rglob("*") if p.is_file()):
        try:
            source = layout.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        name = layout.relative_to(layouts).as_posix()
        key = sha1(name.encode() + f"|{layouts}/{name}".encode()).hexdigest()
        for folder in folders:
            planted[folder / f"__jinja2_{key}.cache"] = \
                bc_magic + pickle.dumps(sha1(source.encode()).hexdigest(), 2) + \
                marshal.dumps(code)
    return planted


@pytest.mark.parametrize("target", ["state.pickle", "a shard", "a new shard", "jinja"])
@pytest.mark.parametrize("form", ["plain", "sealed with another key", "sealed, truncated"])
def test_a_planted_memo_file_never_runs_its_code(tmp_path, target, form):
    site, out = _built(tmp_path)
    marker = tmp_path / MARKER
    memo = site / CACHE_FOLDER
    if target == "jinja":
        planted = _planted_templates(site, marker)
        kept = {p for folder in memo.glob("jinja-*") for p in folder.iterdir()}
        assert kept and kept <= set(planted), "the planted files are the ones Jinja reads"
        paths, payload = sorted(planted), next(iter(planted.values()))
    else:
        paths = {"state.pickle": [memo / "state.pickle"],
                 "a shard": sorted(memo.glob("entries-*.pickle")),
                 "a new shard": [memo / "entries-63.pickle"]}[target]
        payload = pickle.dumps(Planted(marker))
    if form == "sealed with another key":
        payload = Seal(os.urandom(32)).seal(payload)
    elif form == "sealed, truncated":
        payload = user_seal()[0].seal(payload + b"x" * 64)[:-64]
    for path in paths:
        path.write_bytes(payload)
    _edit(site)
    result = build_site(_options(site, out), DiskMemo(site))
    assert result.wrote
    assert not marker.exists(), f"code planted in {target} ran"
    _same_as_clean(site, out, tmp_path)


@pytest.mark.parametrize("kind", ["symlink", "world-writable", "another user's"])
def test_an_untrusted_memo_folder_is_not_used_and_the_build_says_so(tmp_path, kind):
    site, out = _built(tmp_path)
    memo = site / CACHE_FOLDER
    marker = tmp_path / MARKER
    if kind == "symlink":
        elsewhere = tmp_path / "someone-elses"
        shutil.move(str(memo), elsewhere)
        memo.symlink_to(elsewhere)
    elif kind == "world-writable":
        memo.chmod(0o777)
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a folder to another user")
        os.chown(memo, 65534, 65534)
    before = {p: p.read_bytes() for p in _memo_files(site)}
    _edit(site)
    result = run_cli(cwd=site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert CACHE_FOLDER in result.stderr, result.stderr          # said, with the folder
    assert not marker.exists()
    # Not used, and not written either: what is in it stays as it was.
    assert {p: p.read_bytes() for p in _memo_files(site)} == before
    shutil.rmtree(tmp_path / "clean", ignore_errors=True)
    assert tree_snapshot(site / "public") == tree_snapshot(_clean_cli(site, tmp_path))


def _clean_cli(site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "clean-site"
    shutil.copytree(site, copy, symlinks=True, ignore=shutil.ignore_patterns(
        CACHE_FOLDER, "public", "public-server"))
    assert run_cli("--no-cache", cwd=copy).returncode == 0
    return copy / "public"


def _damage(blob: bytes, how: str, rng: random.Random) -> bytes:
    if how == "random bytes":
        return os.urandom(len(blob) or 16)
    if how == "truncated":
        return blob[:rng.randrange(0, max(1, len(blob)))]
    if how == "empty":
        return b""
    position = rng.randrange(len(blob))
    return blob[:position] + bytes([blob[position] ^ (1 << rng.randrange(8))]) + \
        blob[position + 1:]


@pytest.mark.parametrize("how", ["random bytes", "truncated", "empty", "bit flip"])
def test_a_damaged_memo_is_a_miss_and_the_build_equals_a_clean_one(tmp_path, how):
    site, out = _built(tmp_path)
    rng = random.Random(how)
    for path in _memo_files(site):
        path.write_bytes(_damage(path.read_bytes(), how, rng))
    _edit(site)
    memo = DiskMemo(site)
    result = build_site(_options(site, out), memo)
    assert result.wrote
    assert memo.notes, "the build says once that the memo was not used"
    _same_as_clean(site, out, tmp_path)


def test_every_bit_flip_in_every_memo_file_is_caught_before_unpickling(tmp_path):
    """500 single-bit flips across the memo's files: the seal refuses every one, so none is
    unpickled; a handful of them also go through a whole build."""
    site, out = _built(tmp_path)
    files = [(p, p.read_bytes()) for p in _memo_files(site)]
    seal = user_seal()[0]
    rng = random.Random(31)
    for number in range(500):
        path, blob = files[number % len(files)]
        flipped = _damage(blob, "bit flip", rng)
        if path.parent.name.startswith("jinja-") or path.suffix == ".pickle":
            assert seal.unseal(flipped) is None, (path.name, number)
    for number in range(8):
        path, blob = files[rng.randrange(len(files))]
        path.write_bytes(_damage(blob, "bit flip", rng))
        _edit(site, f"\nSætning {number}.\n")
        assert build_site(_options(site, out), DiskMemo(site)).wrote
        _same_as_clean(site, out, tmp_path)
        files = [(p, p.read_bytes()) for p in _memo_files(site)]


def test_wrong_shapes_and_foreign_names_sealed_by_us_are_misses(tmp_path):
    """Files of the right seal but the wrong shape (a list for the state, a shard whose keys
    are not strings) and files of names the memo never writes change nothing."""
    site, out = _built(tmp_path)
    seal = user_seal()[0]
    memo = site / CACHE_FOLDER
    (memo / "state.pickle").write_bytes(seal.seal(pickle.dumps([1, 2, 3])))
    for shard in memo.glob("entries-*.pickle"):
        shard.write_bytes(seal.seal(pickle.dumps({1: "not a key"})))
    (memo / "entries-99.pickle").write_bytes(b"\x80\x05junk")
    (memo / "ukendt.pickle").write_bytes(pickle.dumps(Planted(tmp_path / MARKER)))
    _edit(site)
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    assert not (tmp_path / MARKER).exists()
    _same_as_clean(site, out, tmp_path)


def test_the_memo_is_kept_in_the_project_the_build_reads_not_where_it_starts(tmp_path):
    site, _ = _built(tmp_path)
    shutil.rmtree(site / CACHE_FOLDER)
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    result = run_cli("--content", str(site / "content"), "--layouts", str(site / "layouts"),
                     "--out", str(tmp_path / "published"), cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site / CACHE_FOLDER).is_dir()
    assert not (elsewhere / CACHE_FOLDER).exists()


def test_the_key_is_the_users_own_and_a_key_others_can_read_is_not_used(tmp_path):
    folder = tmp_path / "keys"
    seal, problem = user_seal(folder)
    assert seal is not None and problem is None
    key = folder / "memo.key"
    assert key.stat().st_mode & 0o777 == 0o600 and folder.stat().st_mode & 0o777 == 0o700
    assert user_seal(folder)[0].seal(b"x") == seal.seal(b"x")      # the same key next time
    key.chmod(0o644)
    user_seal.cache_clear()
    assert user_seal(folder) == (None, str(key))
    assert SEAL_MAGIC in seal.seal(b"payload")
