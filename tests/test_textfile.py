"""The one reader of content, settings, glossary, pictograms and layouts (issue 14): only a
regular file is read, its size is checked before reading, bytes that are not UTF-8 are named
with their line. A pipe, a device or a link to one is an error naming the file, never a hang
or a MemoryError."""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from helpers import SITES, run_cli
from site_gen.problems import Problems
from site_gen.textfile import read_text

# These tests check behaviour with the English messages (issue 17: Danish is the default).
pytestmark = pytest.mark.english


def _read_within(path: Path, seconds: float = 10.0, **kwargs):
    """read_text in a thread; a read that blocks (a FIFO opened the ordinary way) is
    released by opening the pipe's other end, so a failing test never hangs the run."""
    problems, result = Problems(), {}
    reader = threading.Thread(target=lambda: result.update(
        text=read_text(path, path.name, problems, **kwargs)), daemon=True)
    reader.start()
    reader.join(seconds)
    if reader.is_alive():
        if path.is_fifo():
            with open(path, "wb"):
                pass
        reader.join(seconds)
        pytest.fail(f"reading {path.name} blocked")
    return result["text"], problems


def _codes(problems: Problems) -> list[str]:
    return [p.code for p in problems]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "index.md"
    os.mkfifo(fifo)
    text, problems = _read_within(fifo)
    assert text is None and _codes(problems) == ["not-a-file"]
    assert list(problems)[0].path == "index.md"


def test_a_link_to_dev_zero_is_refused_before_reading(tmp_path):
    link = tmp_path / "glossary.yaml"
    link.symlink_to("/dev/zero")
    text, problems = _read_within(link)
    assert text is None and _codes(problems) == ["not-a-file"]


def test_a_device_is_refused(tmp_path):
    text, problems = _read_within(Path("/dev/null"))
    assert text is None and _codes(problems) == ["not-a-file"]


def test_size_is_checked_before_reading(tmp_path):
    big = tmp_path / "site.yaml"
    big.write_bytes(b"a: b\n" * 300)
    text, problems = _read_within(big, limit=1000)
    assert text is None and _codes(problems) == ["too-large"]
    text, problems = _read_within(big, limit=1500)
    assert text is not None and not list(problems)


def test_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_bytes("- term: BPA\r\n  full: x\r\n- term: k\xf8rsel\r\n".encode("latin-1"))
    text, problems = _read_within(path)
    assert text is None
    assert [(p.code, p.line) for p in problems] == [("bad-encoding", 3)]


def test_text_has_newlines_and_no_byte_order_mark(tmp_path):
    path = tmp_path / "index.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r---\n")
    text, problems = _read_within(path)
    assert text.text == "---\ntitle: x\n---\n" and not list(problems)


@pytest.mark.parametrize("target", ["content/site.yaml", "layouts/pictograms.yaml",
                                    "layouts/document.html"])
def test_a_build_never_waits_for_a_fifo(tmp_path, target):
    """Settings, pictograms and layouts are read by the same reader as documents (a FIFO
    named index.md or glossary.yaml is in tests/sites/)."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features", site)
    (site / "layouts").mkdir()
    path = site / target
    if path.exists():
        path.unlink()
    os.mkfifo(path)
    result = run_cli(cwd=site, timeout=60)        # raises TimeoutExpired if the build hangs
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{target}: error: this is not an ordinary file" in result.stdout
    assert "Traceback" not in result.stderr
