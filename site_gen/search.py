"""Site search: Pagefind (from PyPI) indexes the written pages in the staging folder, before
it is swapped in, so search and pages always match (issue 6). Pagefind stems Danish and
ships the accessible Component UI that layouts/search.html uses."""
from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from .runner import die_with_parent


class SearchError(OSError):
    """Pagefind is missing or failed: an environment problem, not the author's."""


def index_site(folder: Path) -> None:
    # The links back to the contents sit in the policy's text, where the layout adds no
    # attributes (the sanitiser's allowlist): kept out of the index by selector (issue 16).
    command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--silent",
               "--exclude-selectors", ".to-toc"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600,
                                preexec_fn=die_with_parent)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchError(f"the search index could not be built: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SearchError("the search index could not be built (pagefind): "
                          + (detail[-1] if detail else f"exit status {result.returncode}"))
    steady_filters(folder / "pagefind")


# --- the same pages give the same index ----------------------------------------------------
# Pagefind writes its filter indexes (the search's Kommune, Type and Status, issue 16) in
# hash-map order, different in every run (Pagefind/pagefind#638), and names them, the
# language's metadata file and pagefind-entry.json by their bytes: the same site would give
# different files each build. Each filter's values are put in order and the files renamed by
# their new bytes. The files are gzipped CBOR of arrays, text and whole numbers only; a file
# holding anything else is left as Pagefind wrote it.

SIGNATURE = b"pagefind_dcd"


class _Unknown(ValueError):
    pass


def _decode(data: bytes, at: int = 0):
    head = data[at]
    kind, info, at = head >> 5, head & 31, at + 1
    if info < 24:
        value = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise _Unknown(head)
    if kind == 0:
        return value, at
    if kind == 3:
        return data[at:at + value].decode("utf-8"), at + value
    if kind == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise _Unknown(head)


def _head(kind: int, value: int) -> bytes:
    if value < 24:
        return bytes([kind << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([kind << 5 | info]) + value.to_bytes(size, "big")
    raise _Unknown(value)


def _encode(item) -> bytes:
    if isinstance(item, int):
        return _head(0, item)
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(item)) + b"".join(_encode(part) for part in item)


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise _Unknown(path.name)
    item, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise _Unknown(path.name)
    return item


def _write(folder: Path, prefix: str, digits: int, suffix: str, item) -> str:
    data = gzip.compress(SIGNATURE + _encode(item), compresslevel=9, mtime=0)
    name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(data)
    return name


def steady_filters(bundle: Path) -> None:
    """Put Pagefind's filter values in order and rename the files they change."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        for language, facts in entry["languages"].items():
            meta_path = bundle / f"pagefind.{facts['hash']}.pf_meta"
            meta = _read(meta_path)
            filters = meta[3]
            if not filters:
                continue
            renamed = []
            for name, old in filters:
                path = bundle / "filter" / f"{old}.pf_filter"
                title, values = _read(path)
                values = sorted([value, sorted(pages)] for value, pages in values)
                new = _write(bundle / "filter", language, len(old) - len(language) - 1,
                             ".pf_filter", [title, values])
                if new != old:
                    path.unlink()
                renamed.append([name, new])
            meta[3] = sorted(renamed)
            old_meta = facts["hash"]
            facts["hash"] = _write(bundle, f"pagefind.{language}",
                                   len(old_meta) - len(language) - 1, ".pf_meta", meta
                                   ).removeprefix("pagefind.")
            if facts["hash"] != old_meta:
                meta_path.unlink()
        entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                              encoding="utf-8")
    except (_Unknown, OSError, ValueError, KeyError, IndexError, TypeError):
        return          # a format this does not know: the index works, only less steady
