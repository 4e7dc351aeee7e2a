"""Variant pairs and relations (issue 14): an easy-read page is an orphan only when its
standard file is really missing, and paths in messages follow --content."""
from __future__ import annotations

import shutil

from helpers import SITES, run_cli
import pytest

# These tests check behaviour with the English messages (issue 17: Danish is the default).
pytestmark = pytest.mark.english

EASY = ("---\ntitle: Andet – let at læse\nsummary: Her kan du læse om planen.\n---\n\n"
        "## Det vigtigste\n\n![](billede:vigtigt)\n\nKommunen vil hjælpe dig.\n")


def _site(tmp_path, folder: str = "content"):
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features/content", site / folder)
    (site / folder / "testby/andet").mkdir()
    (site / folder / "testby/andet/index.easy-read.md").write_text(EASY)
    return site


def _problems(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": error: " in line]


def test_orphan_path_follows_the_content_folder(tmp_path):
    site = _site(tmp_path, "tekster")
    result = run_cli("--content", "tekster", cwd=site)
    assert _problems(result) == [
        "tekster/testby/andet/index.easy-read.md: error: no standard page "
        "'tekster/testby/andet/index.md' for this easy-read page; write the full document "
        "first [orphan-variant]"]


def test_an_unreadable_standard_page_is_no_orphan(tmp_path):
    site = _site(tmp_path)
    (site / "content/testby/andet/index.md").write_bytes(b"---\ntitle: \xff\n---\n")
    result = run_cli(cwd=site)
    assert _problems(result) == [
        "content/testby/andet/index.md:2: error: the file has bytes that are not UTF-8; "
        "save it as UTF-8 text [bad-encoding]"]


def test_a_related_document_that_cannot_be_read_is_not_called_missing(tmp_path):
    site = _site(tmp_path)
    (site / "content/testby/andet/index.easy-read.md").unlink()
    (site / "content/testby/andet/index.md").write_text("---\ntitle: [x\n---\n")
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text().replace(
        "history:", "related:\n  - page: testby/andet\n    relation: see-also\n"
                    "  - page: testby/findes-ikke\n    relation: see-also\nhistory:"))
    result = run_cli(cwd=site)
    codes = [line.rsplit("[", 1)[1] for line in _problems(result)]
    assert codes == ["yaml-syntax]", "unknown-related]"], result.stdout
    assert "(content/testby/findes-ikke/index.md)" in result.stdout
