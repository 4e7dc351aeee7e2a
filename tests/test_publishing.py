"""Publishing features (issue 6): sitemap, feed, robots, /was, the statement, search
fallback, Open Graph, review-date warnings, and byte-identical rebuilds."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import ROOT, SITES, build, run_cli, tree_snapshot

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real") / "public"
    result = build(ROOT, out)
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    return out


def test_sitemap_lists_every_page_with_content_dates(real):
    root = ET.parse(real / "sitemap.xml").getroot()
    urls = {u.find(f"{SITEMAP}loc").text: getattr(u.find(f"{SITEMAP}lastmod"), "text", None)
            for u in root}
    assert "https://handicappolitik.example.dk/glostrup/handicappolitik/letlaest/" in urls
    assert urls["https://handicappolitik.example.dk/koebenhavn/status-handicappolitik-2023-2026/"] == "2025-10"
    assert len(urls) == 8 + 4 + 4 + 1     # documents, easy-read pages, municipalities, root


def test_atom_feed_is_valid_and_newest_first(real):
    root = ET.parse(real / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True) and dates
    assert root.find(f"{ATOM}updated").text == dates[0]


def test_robots_points_at_the_sitemap(real):
    text = (real / "robots.txt").read_text()
    assert "Sitemap: https://handicappolitik.example.dk/sitemap.xml" in text


def test_was_redirects_without_javascript(real):
    html = (real / "was/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/tilgaengelighed/">' in html
    assert '<a href="/tilgaengelighed/">' in html


def test_every_page_links_the_statement_in_its_footer(real):
    for page in real.rglob("*.html"):
        if "pagefind" in page.parts or page.parent.name == "was":
            continue
        assert '>Tilgængelighedserklæring</a>' in page.read_text(), page


def test_own_statement_page_from_settings(real):
    html = (real / "tilgaengelighed/index.html").read_text()
    assert "overholder delvist" in html and "endnu ikke testet af læsere" in html


def test_search_page_works_without_javascript(real):
    html = (real / "soeg/index.html").read_text()
    assert '<a href="/glostrup/">Dokumenter fra Glostrup Kommune</a>' in html
    assert (real / "pagefind/pagefind-component-ui.js").exists()


def test_open_graph_from_the_summary(real):
    html = (real / "herlev/handicappolitik/index.html").read_text()
    assert '<meta property="og:title" content="Herlev Kommunes Handicappolitik">' in html
    assert '<meta property="og:description" content="Herlev Kommunes handicappolitik fra juni 2023' in html
    assert '<meta property="og:type" content="article">' in html


def test_documents_and_easy_read_pages_have_pdfs(real):
    for page in real.rglob("index.html"):
        html = page.read_text()
        if 'type="application/pdf"' in html:
            name = html.split('class="pdf-link"><a href="')[1].split('"')[0]
            assert (page.parent / name).stat().st_size > 5000
    assert (real / "glostrup/handicappolitik/letlaest/handicappolitik-letlaest.pdf").exists()
    assert (real / "koebenhavn/handicappolitik-2023-2026/handicappolitik-2023-2026.pdf").exists()


def test_status_banner_on_expired_documents(real):
    html = (real / "albertslund/handicappolitik-handlingsplan-2012-2014/index.html").read_text()
    assert "Handlingsplanen gjaldt fra 2012 til og med juli 2014. Den gælder ikke længere." in html


def test_review_dates_warn_when_passed(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features", site)
    settings = site / "content/site.yaml"
    settings.write_text(settings.read_text().replace("reviewed: 2026-09-01", "reviewed: 2025-01-10")
                        .replace("  phone: 11 22 33 44\n", ""))
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text().replace("status: in-force", "status: in-force\nreview_by: 2026-01-01"))
    result = build(site, tmp_path / "out")
    codes = {p.code: p for p in result.problems}
    assert "statement-review" in codes and "statement-contact" in codes
    assert codes["review-passed"].line == 6 and result.wrote


@pytest.mark.parametrize("seed", ["1", "2"])
def test_builds_are_byte_identical(tmp_path, seed):
    """Same input, same bytes: twice, with different hash seeds (publishing.md § 4.10)."""
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        env = dict(os.environ, PYTHONHASHSEED=seed if run == "a" else "3", SOURCE_DATE_EPOCH="1700000000")
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "-o", str(out)],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout
        outputs.append(tree_snapshot(out))
    assert outputs[0].keys() == outputs[1].keys()
    different = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert not different
