"""The markdown stage: raw HTML stays off, dangerous link targets never reach the page,
and the block extensions produce the semantic HTML the layouts rely on."""
from __future__ import annotations

import re

from site_gen.markdown import make_parser


def render(text: str) -> str:
    return make_parser().render(text)


def test_raw_html_is_escaped():
    html = render("<script>alert(1)</script>\n\nText <b onclick=x>bold</b>")
    assert "<script>" not in html and "<b onclick" not in html
    assert "&lt;script&gt;" in html


def test_dangerous_link_targets_are_not_links():
    for target in ("javascript:alert(1)", "vbscript:x", "data:text/html;base64,xx"):
        html = render(f"[a]({target})")
        assert "href" not in html, target


def test_foreign_phrase_gets_lang():
    assert '<span lang="en">Nothing about us</span>' in render("[Nothing about us]{lang=en}")


def test_event_handler_attributes_are_not_allowed():
    html = render("[a]{onclick=alert(1)}\n\n![x](a.png){onerror=y}\n\n{onclick=z}\npara")
    assert not re.search(r"<[^>]*\bon(click|error)=", html)


def test_heading_takes_an_explicit_id(tmp_path):
    from helpers import ROOT, build
    import shutil
    site = tmp_path / "site"
    shutil.copytree(ROOT / "tests/sites/document-features", site)
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text().replace("## Forord", "## Forord {#indledning}")
                    .replace("## Vores mål", "## Vores mål {.klasse}"))
    result = build(site, tmp_path / "out")
    html = (tmp_path / "out/testby/politik/index.html").read_text()
    assert '<h2 id="indledning">Forord</h2>' in html
    assert [p.code for p in result.problems if p.severity > 0] == ["heading-attribute"]
