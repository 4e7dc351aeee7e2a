"""Variant pairs and relations (issue 14): an easy-read page is an orphan only when its
standard file is really missing, and paths in messages follow --content."""
from __future__ import annotations

import shutil

import pytest

from helpers import SITES, build, run_cli
from site_gen.model import SHARED_FIELDS

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


# Checked by hand: the keys an easy-read page may leave out and then takes from its standard
# page (model.FrontMatter declares them `shared`); what it writes must agree.
SHARED = ("kind", "status", "municipality", "adopted", "issued", "period")
STANDARD = ("---\ntitle: Andet\nsummary: Kommunens plan.\nkind: strategy\nstatus: adopted\n"
            "municipality: testby\nadopted: 2023-06-28\nissued: 2023-06\nperiod:\n  from: 2023\n"
            "  to: 2026\n---\n\n## Formål\n\nKommunen vil hjælpe.\n")
# A value for each shared key that differs from STANDARD's, and what the build says.
DIFFERENT = {"kind": ("policy", "variant-mismatch"), "status": ("draft", "variant-mismatch"),
             "municipality": ("andeby", "municipality-mismatch"),
             "adopted": ("2020-01-01", "variant-mismatch"), "issued": ("2020", "variant-mismatch"),
             "period": ("\n  from: 2020", "variant-mismatch")}


def test_the_shared_keys_are_those_declared_shared():
    assert SHARED_FIELDS == SHARED


def _pair(tmp_path, easy_extra: str = ""):
    site = _site(tmp_path)
    (site / "content/testby/andet/index.md").write_text(STANDARD)
    easy = site / "content/testby/andet/index.easy-read.md"
    easy.write_text(EASY.replace("---\n\n", easy_extra + "---\n\n", 1))
    result = build(site, tmp_path / "out")
    pages = {p.path.rsplit("/", 1)[1]: p for p in result.site.pages.values() if "andet" in p.path}
    return result.problems, pages


def test_an_easy_read_page_inherits_every_shared_key_it_leaves_out(tmp_path):
    problems, pages = _pair(tmp_path)
    assert not [p for p in problems if p.path.endswith("andet/index.easy-read.md")
                and p.code in ("missing-field", "variant-mismatch")]
    standard, easy = pages["index.md"].front, pages["index.easy-read.md"].front
    for name in set(SHARED) | set(SHARED_FIELDS):
        assert getattr(standard, name) is not None, name
        assert getattr(easy, name) == getattr(standard, name), name


@pytest.mark.parametrize("name", sorted(set(SHARED) | set(SHARED_FIELDS)))
def test_an_easy_read_page_that_disagrees_on_a_shared_key_is_an_error(tmp_path, name):
    value, code = DIFFERENT[name]
    problems, _ = _pair(tmp_path, f"{name}: {value}\n")
    found = [p.code for p in problems if p.path.endswith("andet/index.easy-read.md")]
    assert code in found, found


def test_inheriting_leaves_the_memoised_front_matter_as_it_was_parsed(tmp_path):
    """What an easy-read page takes from its standard page is set on a copy of its front
    matter: the memo keeps the front matter as the file says it."""
    from site_gen.memo import Memo
    from site_gen.pipeline import build_site
    from helpers import options_for
    site = _site(tmp_path)
    (site / "content/testby/andet/index.md").write_text(STANDARD)
    memo = Memo()
    result = build_site(options_for(site, tmp_path / "out"), memo)
    assert result.wrote, result.problems.sorted_lines()
    parsed = [value[0] for value in memo.entries.values() if isinstance(value, tuple)
              and getattr(value[0], "path", "").endswith("andet/index.easy-read.md")]
    assert len(parsed) == 1
    assert all(getattr(parsed[0].front, name) in (None, [], {}) for name in ("kind", "adopted"))
    easy = result.site.pages["testby/andet/index.easy-read.md"].front
    assert easy.kind == "strategy" and str(easy.adopted) == "2023-06-28"
