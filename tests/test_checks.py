"""Checks that name what the parser would otherwise take silently (issue 14): every way of
writing a dangerous link target, alt text that is a file name, every form of an
abbreviation, language codes in the text."""
from __future__ import annotations

import re
import shutil

import pytest

from helpers import SITES, build
from site_gen.checks.images import is_file_name
from site_gen.checks.language import ACRONYM
from site_gen.checks.links import unsafe_scheme
from site_gen.glossary import Term


@pytest.mark.parametrize("target, scheme", [
    ("javascript:alert(1)", "javascript"),
    ("JaVaScRiPt:alert(1)", "javascript"),
    ("&#106;avascript:alert(1)", "javascript"),
    ("&#x6A;avascript:alert(1)", "javascript"),
    ("javascript&colon;alert(1)", "javascript"),
    ("&amp;#106;avascript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    ("java%09script:alert(1)", "javascript"),
    ("java\nscript:alert(1)", "javascript"),
    ("\x01 javascript:alert(1)", "javascript"),
    ("java&Tab;script:alert(1)", "javascript"),
    ("vbscript:msgbox(1)", "vbscript"),
    ("data:text/html;base64,PHNjcmlwdD4=", "data"),
    ("FILE:///etc/passwd", "file"),
])
def test_every_way_of_writing_a_dangerous_scheme_is_found(target, scheme):
    assert unsafe_scheme(target) == scheme


@pytest.mark.parametrize("target", ["https://example.dk/javascript:x", "/glostrup/",
                                    "#javascript", "mailto:a@b.dk", "javascript-guide.html",
                                    "kort.png"])
def test_harmless_targets_are_not_reported(target):
    assert unsafe_scheme(target) is None


def _site_with(tmp_path, body: str, glossary: str | None = None, easy_read: str | None = None):
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features", site)
    page = site / "content/testby/politik/index.md"
    front = page.read_text().split("\n---\n", 1)[0]
    page.write_text(front + "\n---\n\n" + body)
    if glossary is not None:
        (site / "content/glossary.yaml").write_text(glossary)
    if easy_read is not None:
        (site / "content/testby/politik/index.easy-read.md").write_text(easy_read)
    return build(site, tmp_path / "out"), tmp_path / "out"


def _found(result, code):
    return [(p.path.rsplit("/", 1)[-1], p.line) for p in result.problems if p.code == code]


def test_unsafe_links_are_reported_once_each_with_their_line(tmp_path):
    body = ("Se [a](&#106;avascript:alert(1)).\n\n"       # line 16
            "[b]: javascript:alert(2)\n\n"               # line 18
            "<JAVASCRIPT:alert(3)>\n\n"                   # line 20
            "Kode: `[c](javascript:x)` og `<javascript:y>`.\n")
    result, _ = _site_with(tmp_path, body)
    assert _found(result, "unsafe-link") == [("index.md", 16), ("index.md", 18),
                                              ("index.md", 20)]


@pytest.mark.parametrize("alt, src", [("logo.png", "logo.png"), ("IMG_1234.JPG", "kort.png"),
                                      ("Billede 3.jpeg", "kort.png"), ("kort", "kort"),
                                      ("scan.PDF", "kort.png")])
def test_a_file_name_is_not_alt_text(alt, src):
    assert is_file_name(alt, src)


@pytest.mark.parametrize("alt", ["Kort over stierne i Testby", "Rampen ved rådhuset, 2024",
                                 "Logo for Testby Kommune"])
def test_a_description_is_alt_text(alt):
    assert not is_file_name(alt, "kort.png")


@pytest.mark.parametrize("text", ["FN", "FN's", "FN’s", "FNs", "FN-konventionen"])
def test_every_form_of_an_abbreviation_is_the_abbreviation(text):
    assert [m.group(1) for m in ACRONYM.finditer(f"Det er {text} regler.")] == ["FN"]
    term = Term(term="FN", full="Forenede Nationer")
    assert [m.group(0) for m in term.pattern().finditer(f"Det er {text} regler.")] == ["FN"]


def test_fns_is_explained_by_the_glossary_on_an_easy_read_page(tmp_path):
    glossary = "- term: FN\n  full: Forenede Nationer\n  easy: Et samarbejde mellem lande.\n"
    easy = ("---\ntitle: Politik – let at læse\nsummary: Her kan du læse om planen.\n---\n\n"
            "## Det vigtigste\n\n![](billede:vigtigt)\n\nDet er FNs regler.\n")
    result, out = _site_with(tmp_path, "Det er FNs regler.\n", glossary, easy)
    assert not _found(result, "er-abbreviation"), result.problems.sorted_lines()
    html = (out / "testby/politik/index.html").read_text()
    assert re.search(r'<abbr title="Forenede Nationer">FN</abbr>s regler', html)


def test_an_unexplained_fns_is_an_error_on_an_easy_read_page(tmp_path):
    easy = ("---\ntitle: Politik – let at læse\nsummary: Her kan du læse om planen.\n---\n\n"
            "## Det vigtigste\n\n![](billede:vigtigt)\n\nDet er FNs regler.\n")
    result, _ = _site_with(tmp_path, "Tekst.\n", easy_read=easy)
    assert _found(result, "er-abbreviation") == [("index.easy-read.md", 10)]


def test_an_invalid_language_code_in_the_text_has_its_line(tmp_path):
    result, _ = _site_with(tmp_path, "Tekst.\n\n[Nothing about us]{lang=en_GB} og "
                                     "[ting]{lang=en-GB}.\n")
    assert _found(result, "lang-invalid") == [("index.md", 18)]


def test_the_picture_hint_names_a_picture_that_exists(tmp_path):
    from site_gen.pictograms import load_pictograms
    from site_gen.problems import Problems
    from helpers import ROOT
    easy = ("---\ntitle: Politik – let at læse\nsummary: Her kan du læse om planen.\n---\n\n"
            "## Det vigtigste\n\nDet er en plan.\n")
    result, _ = _site_with(tmp_path, "Tekst.\n", easy_read=easy)
    hints = [p.message for p in result.problems if p.code == "er-picture"]
    names = re.findall(r"billede:([a-z-]+)", " ".join(hints))
    registry = load_pictograms([ROOT / "layouts"], str, Problems())
    assert hints and names and all(name in registry for name in names)


def test_a_printed_page_number_in_the_text_is_a_warning_with_its_line(tmp_path):
    """Issue 16: "findes på side 21-23" points to the printed original; the reader of the web
    page cannot follow it. "På den anden side" and "3 sider" are no page references."""
    result, _ = _site_with(tmp_path, "Tekst.\n\nSe bemærkningerne på side 21-23.\n\n"
                                     "- Skemaet står på s. 12.\n- På den anden side er der "
                                     "3 sider om bolig.\n\n## Side 4 af planen\n")
    found = _found(result, "pl-page-number")
    assert found == [("index.md", 18), ("index.md", 20), ("index.md", 23)], found
    assert all(p.severity.name == "WARNING" for p in result.problems if p.code == "pl-page-number")
