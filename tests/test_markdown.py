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


# --- issue 14: every mis-parse is named; ids from the layouts; ids in linear time ---------

def _render_page(body: str, reserved=frozenset(), easy_read: bool = False):
    from site_gen.markdown import render_markdown
    from site_gen.model import Page, SourceFile, Variant
    from site_gen.problems import Problems
    variant = Variant.EASY_READ if easy_read else Variant.STANDARD
    source = SourceFile(source_path="testby/politik/index.md", display_path="index.md",
                        key="testby/politik", variant=variant, url="/testby/politik/",
                        output_path="testby/politik/index.html")
    page = Page(source=source, front=None, body=body, body_line=8)
    problems = Problems()
    render_markdown(page, problems, reserved_ids=reserved)
    return page, [(p.code, p.line, p.message) for p in problems]


def test_unknown_block_is_an_error_with_a_suggestion_at_its_line():
    page, problems = _render_page("Tekst.\n\n::: pejlemaerke Mål 1\nRamper.\n:::\n\n"
                                  "::: Citat Borger\nJa.\n:::\n\n::: boble\nx\n:::\n")
    assert [(code, line) for code, line, _ in problems] == [("unknown-block", 10),
                                                            ("unknown-block", 18)]
    assert "mente du '::: pejlemærke'?" in problems[0][2]
    assert "'::: citat'" in problems[1][2] and "'::: tabel'" in problems[1][2]
    assert "::: pejlemaerke" not in page.fragment          # never published as raw text


def test_a_block_end_with_no_block_is_an_error():
    _, problems = _render_page("Tekst.\n:::\n\n::: faktaboks Om\nx\n:::\n\n:::\n")
    assert [(code, line) for code, line, _ in problems] == [("stray-block-end", 9),
                                                            ("stray-block-end", 15)]


def test_a_heading_never_takes_an_id_the_layouts_use():
    page, problems = _render_page("## Historik\n\n## Indhold\n\n## Historik\n",
                                  reserved=frozenset({"historik", "main"}))
    assert [h.id for h in page.headings] == ["historik-2", "indhold", "historik-3"]
    assert not problems


def test_explicit_ids_and_numbered_ids_do_not_collide():
    page, problems = _render_page("## A {#a-3}\n\n## A\n\n## A\n\n## A\n")
    assert [h.id for h in page.headings] == ["a-3", "a", "a-2", "a-4"]


def test_numbered_heading_ids_take_linear_time():
    """50,000 identical headings: each id costs at most two look-ups (before issue 14 the
    n-th heading tried n ids, 1.25 billion look-ups in all, 165 s of rendering)."""
    from site_gen.markdown import Ids, _unique_id

    headings = 50_000
    budget = 2 * headings + 2

    class CountingIds(Ids):
        probes = 0

        def __contains__(self, candidate):
            CountingIds.probes += 1
            assert CountingIds.probes <= budget, "ids are numbered in more than linear time"
            return super().__contains__(candidate)

    used = CountingIds({"maal-7"})
    ids = [_unique_id("maal", used) for _ in range(headings)]
    assert ids[:8] == ["maal", "maal-2", "maal-3", "maal-4", "maal-5", "maal-6", "maal-8",
                       "maal-9"]
    assert len(set(ids)) == headings


def test_layout_ids_are_read_from_the_layouts_in_use(tmp_path):
    from helpers import ROOT, options_for
    from site_gen.config import SiteConfig, Statement, Contact
    from site_gen.layout import layout_ids
    from site_gen.problems import Problems
    site = tmp_path / "site"
    (site / "layouts").mkdir(parents=True)
    (site / "content").mkdir()
    (site / "layouts/document.html").write_text(
        '{% extends "base.html" %}<section id="indhold"></section>'
        '<dt id="{{ term.anchor }}"></dt>')
    config = SiteConfig(options=options_for(site, tmp_path / "out"), title="T", language="da",
                        base_url="https://x.example/", description="d",
                        publisher=Contact(name="n"), statement=Statement(url="https://x.dk/"))
    problems = Problems()
    ids = layout_ids(config, problems)
    assert not list(problems)
    assert {"indhold", "main", "toc-title"} <= ids
    assert "historik" not in ids and "ansvarlig" not in ids     # site_gen's document.html is hidden
    assert not any("{" in i for i in ids)
    default = SiteConfig(options=options_for(ROOT, tmp_path / "out"), title="T", language="da",
                         base_url="https://x.example/", description="d",
                         publisher=Contact(name="n"), statement=Statement(url="https://x.dk/"))
    ids = layout_ids(default, problems)
    assert {"historik", "ansvarlig", "ord", "toc-title", "main", "svaere-ord",
            "indholdsfortegnelse"} <= ids
    assert "indhold" not in ids
