"""Time never breaks a build (issue 26): the real site builds with exit 0 on every date
from today to 2030. From the day after København's period ends, both of its pages, its
listing, the search metadata and the feed say that the policy no longer applies, and the
build warns the editor about both files. The memo sees the day: a memoised build on that
day equals a clean one, byte for byte."""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, options_for, tree_snapshot
from site_gen.memo import Memo
from site_gen.model import Variant
from site_gen.pdf import running_css
from site_gen.pipeline import build_site

POLICY = "koebenhavn/handicappolitik-2023-2026"
FILES = {f"content/{POLICY}/index.md", f"content/{POLICY}/index.easy-read.md"}
DATES = [dt.date(2026, 12, 7), dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 1, 2),
         dt.date(2028, 2, 29), dt.date(2030, 12, 31)]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[dt.date, tuple]:
    """The real site built on each date into one output folder with one memo, as a site
    rebuilt every day would be; each date's problems and a copy of its output."""
    folder = tmp_path_factory.mktemp("calendar")
    out, memo, found = folder / "public", Memo(), {}
    for day in DATES:
        options = dataclasses.replace(options_for(ROOT, out), today=day)
        result = build_site(options, memo)
        assert result.wrote, (day, result.problems.sorted_lines())
        shutil.copytree(out, folder / day.isoformat(), symlinks=True)
        found[day] = (list(result.problems), folder / day.isoformat(), result.site)
    return found


def _read(out: Path, path: str) -> str:
    return " ".join((out / path).read_text().split())


@pytest.mark.parametrize("day", DATES)
def test_the_real_site_builds_on_every_date(builds, day):
    problems, _, _ = builds[day]
    assert not [p for p in problems if p.severity.name == "ERROR"]
    ended = {p.path for p in problems if p.code == "period-ended"}
    assert ended == (FILES if day > dt.date(2026, 12, 31) else set())


def test_before_the_end_both_pages_say_when_it_ends(builds):
    _, out, _ = builds[dt.date(2026, 12, 7)]
    standard = _read(out, f"{POLICY}/index.html")
    easy = _read(out, f"{POLICY}/letlaest/index.html")
    assert "Politikken gælder til og med 31. december 2026." in standard
    assert "Politikken gælder kun til og med 31. december 2026." in easy
    assert "Gælder fra 2023 til og med <time datetime=\"2026\">2026</time>" in easy
    assert "Udløbet" not in standard and "Gælder ikke mere" not in easy


def test_from_1_january_2027_it_is_shown_as_ended_everywhere(builds):
    _, out, _ = builds[dt.date(2027, 1, 1)]
    standard = _read(out, f"{POLICY}/index.html")
    easy = _read(out, f"{POLICY}/letlaest/index.html")
    assert "Politikken gjaldt fra 2023 til og med 2026. Den gælder ikke længere." in standard
    # One phrase (issue 29): "Udløbet, gjaldt 2023 til 2026".
    assert '<span class="status status-expired">Udløbet</span>, gjaldt <time' in standard
    assert 'data-pagefind-filter="Status:Udløbet"' in standard
    assert 'data-pagefind-meta="status:Udløbet, gjaldt 2023 til 2026"' in easy   # as the standard page
    assert "Politikken gjaldt fra 2023 til og med 2026. Den gælder ikke mere." in easy
    assert easy.count("gælder ikke mere") == 1 and "Gælder ikke mere" not in easy  # said once
    listing = _read(out, "koebenhavn/index.html")
    titles = [part.split("</a>")[0] for part in listing.split('class="document-link"')[1:]]
    assert titles[-1].endswith("Københavns Kommunes Handicappolitik 2023-2026"), titles
    assert "Gælder ikke længere: " in _read(out, "feed.xml")


def test_the_pdf_header_says_the_status_shown(builds):
    for day, label in ((dt.date(2026, 12, 7), "Status: Gældende"), (dt.date(2027, 1, 1), "Status: Udløbet")):
        site = builds[day][2]
        for page in (site.page_for(POLICY), site.page_for(POLICY, Variant.EASY_READ)):
            assert label in running_css(page, site), (day, page.path)


def test_the_memo_sees_the_day_a_period_ends(tmp_path):
    """A memoised build of 2 January after one of 31 December equals a clean build of that
    day, byte for byte. (Without PDFs: WeasyPrint's font subsets differ from one process to
    the next, so two clean builds with PDFs differ too.)"""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    settings = site / "content/site.yaml"
    settings.write_text(settings.read_text().replace("pdf: true", "pdf: false"))
    memo, memoised, clean = Memo(), tmp_path / "memoised", tmp_path / "clean"
    for day in (dt.date(2026, 12, 31), dt.date(2027, 1, 2)):
        options = dataclasses.replace(options_for(site, memoised), today=day)
        assert build_site(options, memo).wrote
    options = dataclasses.replace(options_for(site, clean), today=dt.date(2027, 1, 2))
    assert build_site(options, Memo()).wrote
    assert tree_snapshot(memoised) == tree_snapshot(clean)
    assert "Udløbet" in (memoised / POLICY / "index.html").read_text()
