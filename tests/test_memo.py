"""The memo (issue 15): a memoised build, the command line's (on disk) and the preview's (in
memory), gives the same bytes as a clean build after any change, tested the blunt way."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import ROOT, SITES, options_for, tree_snapshot
from site_gen.memo import DiskMemo, Memo, digest
from site_gen.pipeline import build_site
from site_gen.problems import Severity

BASE = SITES / "document-features"


def _site(tmp_path: Path, search: bool = True) -> Path:
    site = tmp_path / "site"
    shutil.copytree(BASE, site, ignore=shutil.ignore_patterns("expected*"))
    shutil.copytree(ROOT / "layouts", site / "layouts")
    settings_file = site / "content/site.yaml"
    settings_file.write_text(settings_file.read_text() + f"search: {str(search).lower()}\n")
    return site


def _options(site: Path, out: Path, preview: bool = False):
    return dataclasses.replace(options_for(site, out), preview=preview)


def _same_as_clean(site: Path, out: Path, tmp_path: Path, preview: bool = False) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    assert build_site(_options(site, clean, preview), Memo()).wrote
    assert tree_snapshot(out) == tree_snapshot(clean), "the memoised build differs"


def test_digest_parts_are_length_prefixed():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest("a") == digest("a") != digest("a", "")


SETTING_EDITS = [
    ("title: Testsite", "title: Et andet navn"),
    ("description: En lille testside.", "description: En anden beskrivelse."),
    ("  name: Testkommunen", "  name: Udgiveren"),
    ("language: da", "language: da-DK"),
    ("base_url: https://test.example/", "base_url: https://andet.example/sti/"),
    ("    name: Testby Kommune", "    name: Testby Byråd"),
    ("    website: https://testby.example/", "    website: https://testby.example/ny/"),
    ("  reviewed: 2026-09-01", "  reviewed: 2026-10-01"),
    ("search: true", "search: false"),
]


@pytest.mark.parametrize("old,new", SETTING_EDITS, ids=[e[1].strip() for e in SETTING_EDITS])
def test_every_setting_reaches_the_memoised_build(tmp_path, old, new):
    """Each key of site.yaml changed in turn: the command line's memo (a fresh DiskMemo, as a
    new process has) and the preview's memo give what a clean build gives."""
    site = _site(tmp_path)
    out, preview_out, preview_memo = tmp_path / "out", tmp_path / "preview", Memo()
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    assert build_site(_options(site, preview_out, True), preview_memo).wrote
    settings_file = site / "content/site.yaml"
    text = settings_file.read_text()
    assert old in text
    settings_file.write_text(text.replace(old, new))
    result = build_site(_options(site, out), DiskMemo(site))
    assert result.wrote, result.problems.sorted_lines()
    _same_as_clean(site, out, tmp_path)
    assert build_site(_options(site, preview_out, True), preview_memo).wrote
    _same_as_clean(site, preview_out, tmp_path, preview=True)


LAYOUTS = sorted(p.relative_to(ROOT / "layouts").as_posix()
                 for p in (ROOT / "layouts").iterdir() if p.is_file())


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_file_reaches_the_memoised_build(tmp_path, name):
    site = _site(tmp_path, search=False)
    out = tmp_path / "out"
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    layout = site / "layouts" / name
    text = layout.read_text()
    if name.endswith(".yaml"):
        layout.write_text(text + "\n# en kommentar\n")
    elif name.endswith(".html") or name.endswith(".xml"):
        layout.write_text(text.replace("</body>", "<!-- ændret --></body>", 1)
                          if "</body>" in text else text + "\n<!-- ændret -->\n")
    else:
        layout.write_text(text + "\n# ændret\n")
    result = build_site(_options(site, out), DiskMemo(site))
    assert result.wrote, result.problems.sorted_lines()
    _same_as_clean(site, out, tmp_path)


def test_nothing_changed_writes_nothing_and_the_pdfs_come_from_the_memo(tmp_path):
    site = _site(tmp_path, search=False)
    settings_file = site / "content/site.yaml"
    settings_file.write_text(settings_file.read_text() + "pdf: true\n")
    out = tmp_path / "out"
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    inode = out.stat().st_ino
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    assert out.stat().st_ino == inode, "an unchanged site is not published again"
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text() + "\nEn ny sætning til sidst.\n")
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    _same_as_clean(site, out, tmp_path)


def test_a_build_where_nothing_changed_says_the_same_without_the_entries(tmp_path):
    """Nothing changed: the last build is said again (problems, readability table, pages)
    from the small state file alone; the entry files are not needed, so damaging them
    changes nothing until something is edited, which then builds cold and right."""
    site = _site(tmp_path, search=False)
    (site / "content/testby/politik/noter.txt").write_text("en fil der ikke udgives")
    out = tmp_path / "out"
    first = build_site(_options(site, out), DiskMemo(site))
    said = first.problems.sorted_lines(Severity.INFO)
    assert first.wrote and said and first.problems.count(Severity.INFO), "it has things to say"
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    shards = sorted((site / ".site_gen-cache").glob("entries-*.pickle"))
    assert shards
    for shard in shards:
        shard.write_bytes(b"damaged")
    again = build_site(_options(site, out), DiskMemo(site))
    assert again.wrote
    assert again.problems.sorted_lines(Severity.INFO) == said
    assert again.problems.count(Severity.INFO) == first.problems.count(Severity.INFO)
    assert again.report == first.report and again.pages_written == first.pages_written
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    assert all(shard.read_bytes() == b"damaged" for shard in shards), "nothing was written"
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text() + "\nEn ny sætning til sidst.\n")
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    _same_as_clean(site, out, tmp_path)


def test_damaged_compiled_templates_cost_a_compile_not_the_build(tmp_path):
    """Jinja's compiled templates in the memo folder are a memory only: damaged files, or a
    folder that cannot be made, give the same site as a clean build."""
    site = _site(tmp_path, search=False)
    out = tmp_path / "out"
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    compiled = [p for folder in (site / ".site_gen-cache").glob("jinja-*")
                for p in folder.iterdir()]
    assert compiled, "the templates were kept"
    for path in compiled:
        path.write_bytes(b"damaged")
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text() + "\nEn ny sætning.\n")
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    _same_as_clean(site, out, tmp_path)
    for folder in (site / ".site_gen-cache").glob("jinja-*"):
        shutil.rmtree(folder)
        folder.write_text("a file where the folder was")
    page.write_text(page.read_text() + "\nEndnu en sætning.\n")
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    _same_as_clean(site, out, tmp_path)


def test_a_changed_option_or_output_folder_is_not_the_last_build(tmp_path):
    site = _site(tmp_path, search=False)
    (site / "content/testby/politik/noter.txt").write_text("en fil der ikke udgives")
    out = tmp_path / "out"
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    strict = dataclasses.replace(_options(site, out), strict=True)
    assert not build_site(strict, DiskMemo(site)).wrote, "--strict with warnings writes nothing"
    other = tmp_path / "other"
    assert build_site(_options(site, other), DiskMemo(site)).wrote
    assert tree_snapshot(other) == tree_snapshot(out)
    shutil.rmtree(other / "testby")
    assert build_site(_options(site, other), DiskMemo(site)).wrote
    assert tree_snapshot(other) == tree_snapshot(out), "a damaged output is built again"


def test_the_day_a_period_ends_reaches_the_memoised_build(tmp_path):
    """The build's date is an input: from the day after a period runs out, both pages are
    shown as ended and the build warns about them (period-ended), memo or no memo."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair", site, ignore=shutil.ignore_patterns("expected*"))
    for name in ("index.md", "index.easy-read.md"):
        page = site / "content/testby/politik" / name
        page.write_text(page.read_text().replace("---\n", "---\nperiod:\n  from: 2023\n  to: 2026\n", 1))
    out = tmp_path / "out"

    def build(day, memo):
        options = dataclasses.replace(_options(site, out), today=day)
        return build_site(options, memo).problems.sorted_lines()

    import datetime as dt
    before, after = dt.date(2026, 12, 31), dt.date(2027, 1, 2)
    assert build(before, DiskMemo(site)) == build(before, Memo())
    clean = build(after, Memo())
    assert sum("[period-ended]" in line for line in clean) == 2
    assert build(after, DiskMemo(site)) == clean


def test_a_published_file_changed_by_hand_is_made_again(tmp_path):
    """The memo takes a file from the last output only while it is the file it wrote."""
    site = _site(tmp_path, search=False)
    out = tmp_path / "out"
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    page = out / "testby/politik/index.html"
    page.write_text("<p>ændret i hånden</p>")
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    _same_as_clean(site, out, tmp_path)


def test_a_damaged_memo_file_gives_a_cold_build(tmp_path):
    site = _site(tmp_path, search=False)
    out = tmp_path / "out"
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    for name in ("state.pickle", "entries-00.pickle", "entries-07.pickle"):
        (site / ".site_gen-cache" / name).write_bytes(b"not a pickle")
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    _same_as_clean(site, out, tmp_path)


# --- a property test: any sequence of edits ------------------------------------------------

DOCUMENT = """---
title: {title}
summary: Et kort resumé af dokument {number}.
kind: policy
status: adopted
{related}---

## Formål

{body}

## Mål

Kommunen vil arbejde for et godt liv for alle borgere.
"""

STEP = st.tuples(st.sampled_from(["title", "body", "add", "delete", "rename", "relate",
                                  "settings", "layout", "nothing", "touch"]),
                 st.integers(min_value=0, max_value=50))


def _documents(site: Path) -> list[Path]:
    return sorted((site / "content/testby").glob("*/index.md"))


def _apply(site: Path, action: str, number: int) -> None:
    documents = _documents(site)
    target = documents[number % len(documents)]
    if action == "title":
        text = target.read_text()
        target.write_text(text.replace("title: ", f"title: Nr. {number} ", 1))
    elif action == "body":
        target.write_text(target.read_text() + f"\nEn ny sætning nummer {number}.\n")
    elif action == "add":
        folder = site / f"content/testby/dokument-{number}"
        if not folder.exists():
            folder.mkdir()
            (folder / "index.md").write_text(DOCUMENT.format(
                title=f"Dokument {number}", number=number, related="",
                body="Her står teksten."))
    elif action == "delete" and len(documents) > 1 and target.parent.name != "politik":
        shutil.rmtree(target.parent)
    elif action == "rename" and target.parent.name != "politik":
        new = target.parent.with_name(f"omdoebt-{number}")
        if not new.exists():
            target.parent.rename(new)
    elif action == "relate" and target.parent.name != "politik":
        text = target.read_text()
        if "related:" not in text:
            target.write_text(text.replace("status: adopted\n", "status: adopted\nrelated:\n"
                                           "  - page: testby/politik\n    relation: see-also\n"))
    elif action == "settings":
        settings_file = site / "content/site.yaml"
        settings_file.write_text(settings_file.read_text().replace(
            "description: ", f"description: Version {number}. ", 1))
    elif action == "touch":                 # new times, the same bytes
        target.write_bytes(target.read_bytes())
    elif action == "layout":
        base = site / "layouts/base.html"
        base.write_text(base.read_text().replace("</body>", f"<!-- {number} --></body>", 1))


def _files(site: Path) -> dict[str, tuple]:
    return {str(p.resolve()): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in site.rglob("*") if p.is_file()}


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(STEP, min_size=2, max_size=4))
def test_any_sequence_of_edits_gives_a_clean_build(tmp_path_factory, steps):
    """Random edits, additions, deletions, renames, relations, settings and layout changes:
    after every step the command line's memoised build and the preview's equal a clean one.
    The preview is told what changed as its watcher tells it (every file whose time or size
    moved, added or removed), and trusts that. Every step builds."""
    from site_gen.serve import Preview
    tmp_path = tmp_path_factory.mktemp("memo")
    site = _site(tmp_path, search=False)
    for number in range(2):
        _apply(site, "add", 100 + number)
    out, preview_out = tmp_path / "out", tmp_path / "preview"
    preview = Preview(_options(site, preview_out, True))
    assert build_site(_options(site, out), DiskMemo(site)).wrote
    assert preview.rebuild().wrote
    for action, number in steps:
        before = _files(site)
        _apply(site, action, number)
        after = _files(site)
        changed = {path for path in before.keys() | after.keys()
                   if before.get(path) != after.get(path)}
        result = build_site(_options(site, out), DiskMemo(site))
        assert result.wrote, (action, result.problems.sorted_lines())
        _same_as_clean(site, out, tmp_path)
        assert preview.rebuild(changed).wrote
        _same_as_clean(site, preview_out, tmp_path, preview=True)
