"""Tagged PDFs (PDF/UA-1) made by WeasyPrint, checked with pikepdf since veraPDF is not
available here (issue 6; publishing.md § 4.7)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest

from helpers import SITES, build


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(SITES / "document-features", site)
    settings = site / "content/site.yaml"
    settings.write_text(settings.read_text() + "pdf: true\n")
    out = site / "public"
    result = build(site, out)
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    return out


def _structure(node, found):
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            _structure(kid, found)
    return found


def test_page_links_its_pdf_with_format_and_size(pdf_site):
    html = (pdf_site / "testby/politik/index.html").read_text()
    pdf = pdf_site / "testby/politik/politik.pdf"
    assert pdf.exists()
    kb = max(1, round(pdf.stat().st_size / 1000))
    assert f'<a href="politik.pdf" type="application/pdf">Hent politikken som PDF ' \
           f'<span class="file-info">(PDF, {kb} kB)</span></a>' in html
    assert "@@PDF-SIZE@@" not in html


def test_pdf_is_tagged_with_language_title_alt_and_table_headers(pdf_site):
    pdf = pikepdf.open(pdf_site / "testby/politik/politik.pdf")
    root = pdf.Root
    assert str(root.Lang) == "da"
    assert bool(root.MarkInfo.Marked)
    assert bool(root.ViewerPreferences.DisplayDocTitle)
    meta = pdf.open_metadata()
    assert meta.get("pdfuaid:part") == "1"
    assert meta.get("dc:title").startswith("Testby Kommunes Handicappolitik")
    elements = _structure(root.StructTreeRoot, [])
    tags = [str(e.S) for e in elements]
    assert tags.count("/H1") == 1 and "/H2" in tags and "/H3" in tags
    assert "/TH" in tags and "/Caption" in tags and "/BlockQuote" in tags
    figures = [e for e in elements if str(e.S) == "/Figure"]
    assert figures, "the map image is not tagged as a figure"
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    assert "Kort over Testby" in str(figures[0].Alt)
