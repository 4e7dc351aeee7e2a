"""Reading an author's or a site's text file: the one way content, settings, glossary,
pictograms and layouts are read (issue 14).

Only a regular file is read: a pipe (FIFO) named index.md would hang the build, a device or a
link to /dev/zero would fill the memory. Its size is checked before anything is read, and
never more than the limit is read even if the file grows meanwhile. Bytes that are not UTF-8
become `bad-encoding` with the line they are on.
"""
from __future__ import annotations

import os
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path

from .problems import Problems

# A policy is ~100 KB and the largest site.yaml or glossary a few KB to a few hundred; 2 MB is
# far above any real file. It bounds the memory of reading one YAML file to ~300 MB at worst
# (measured: a 2 MB flow list of 990,000 one-letter items; a 100 MB site.yaml took 4.9 GB).
MAX_TEXT_BYTES = 2_000_000


@dataclass(frozen=True)
class Text:
    text: str          # with '\n' line endings, without a byte-order mark
    checksum: int      # CRC-32 of the bytes as read


def read_text(path: Path, shown: str, problems: Problems,
              limit: int = MAX_TEXT_BYTES) -> Text | None:
    """The file's text, or None after recording why it cannot be read.

    Problem codes: not-a-file, too-large, bad-encoding, unreadable."""
    raw = _read_bytes(path, shown, problems, limit)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")      # a byte-order mark from Word is harmless
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problems.error(shown, line, "bad-encoding",
                       "the file has bytes that are not UTF-8; save it as UTF-8 text")
        return None
    return Text(text.replace("\r\n", "\n").replace("\r", "\n"), zlib.crc32(raw))


def _read_bytes(path: Path, shown: str, problems: Problems, limit: int) -> bytes | None:
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            return report_not_a_file(shown, problems)
        # O_NONBLOCK: a FIFO put in the file's place after the stat cannot block the open.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        problems.error(shown, None, "unreadable",
                       f"the file cannot be read ({exc.strerror}); check its permissions")
        return None
    with os.fdopen(descriptor, "rb") as file:
        opened = os.fstat(file.fileno())
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != \
                (before.st_dev, before.st_ino):
            return report_not_a_file(shown, problems)
        if opened.st_size > limit:
            return _too_large(shown, problems, limit)
        raw = file.read(limit + 1)
    if len(raw) > limit:                    # it grew while we read
        return _too_large(shown, problems, limit)
    return raw


def report_not_a_file(shown: str, problems: Problems) -> None:
    """Problem code: not-a-file."""
    problems.error(shown, None, "not-a-file",
                   "this is not an ordinary file (a pipe, a device or a link to one); "
                   "replace it with an ordinary file or delete it")
    return None


def _too_large(shown: str, problems: Problems, limit: int) -> None:
    problems.error(shown, None, "too-large",
                   f"the file is larger than {limit / 1_000_000:g} MB; a real one is far "
                   "smaller, so check that this is the right file")
    return None
