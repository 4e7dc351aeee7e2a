"""The markdown stage (site_gen/markdown/). Each rule module has a fixture file,
tests/fixtures/markdown/<module>.txt (parser.txt for the set-up in __init__.py), in
markdown-it-py's fixture format, read with its own `markdown_it.utils.read_fixture_file`:

    a title saying what the case shows
    .
    Markdown in
    .
    HTML out: the page's fragment
    .
    3: error [body-h1]
    warning [some-code]

    the next case's title
    ...

The lines after the HTML's closing '.', up to the blank line, are optional: the problems the
case must report, one a line, `<line>: <severity> [<code>]` (or `<severity> [<code>]` for a
problem with no line), sorted by line as the build prints them. No lines means no problems.
markdown-it-py's reader skips them. Messages' wording is not in the fixtures: their language
follows the environment (tests of the wording are below).

Each case is rendered as a page's body with `render_markdown`, the body starting on line 1
(so a problem's line is its line in the Markdown), with the settings SETTINGS gives its file.
A title starting with 'easy-read:' renders the case as an easy-read page.

The tests after the fixtures need more than Markdown in and HTML out: a whole build, the
messages' wording, a time budget, the layouts."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from site_gen.glossary import Term
from site_gen import markdown
from site_gen.markdown import render_markdown
from site_gen.model import Page, SourceFile, Variant
from site_gen.pictograms import Pictogram
from site_gen.problems import Problems

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "markdown"
EASY_READ = "easy-read:"


def _under_base(url: str) -> str:
    """SiteConfig.site_url for a site published under /politik/ (issue 21)."""
    return "/politik/" + url[1:] if url.startswith("/") and not url.startswith("//") else url


TERMS = (Term("BPA", full="borgerstyret personlig assistance",
              explanation="Du styrer selv, hvem der hjælper dig."),
         Term("botilbud", explanation="Et sted at bo, hvor man får hjælp.",
              easy="Et hjem med hjælp.", aliases=("bofællesskab",)),
         Term("visitation", easy="Når kommunen ser på, hvad du har brug for."))
PICTOGRAMS = {"hjem": Pictogram("hjem", "1F3E0", "Et hus")}
# Keyword arguments of render_markdown for the cases of one fixture file (by its stem).
SETTINGS: dict[str, dict] = {
    "headings": {"reserved_ids": frozenset({"historik", "main"})},
    "glossary": {"terms": list(TERMS)},
    "easy_read": {"pictograms": PICTOGRAMS},
    "links_images": {"pictograms": PICTOGRAMS, "site_url": _under_base},
    "sanitise": {"allow_html": True, "site_url": _under_base},
}


def _page(body: str, body_line: int, easy_read: bool = False) -> Page:
    variant = Variant.EASY_READ if easy_read else Variant.STANDARD
    return Page(source=SourceFile(source_path="testby/politik/index.md", display_path="index.md",
                                  key="testby/politik", variant=variant, url="/testby/politik/",
                                  output_path="testby/politik/index.html"),
                front=None, body=body, body_line=body_line)


def render_case(stem: str, title: str, source: str) -> tuple[str, list[str]]:
    """The fragment and the problem lines of one fixture case."""
    page = _page(source, body_line=1, easy_read=title.startswith(EASY_READ))
    problems = Problems()
    render_markdown(page, problems, **SETTINGS.get(stem, {}))
    found = sorted(problems, key=lambda p: (p.line or 0, -p.severity, p.code))
    return page.fragment, [(f"{p.line}: " if p.line is not None else "") +
                           f"{p.severity.name.lower()} [{p.code}]" for p in found]


def fixture_cases(path: Path):
    """(first line, title, Markdown, HTML, problem lines) of each case in `path`."""
    lines = path.read_text("utf-8").splitlines()
    for first, title, source, expected in read_fixture_file(path):
        closing = first + source.count("\n") + expected.count("\n") + 2     # the HTML's '.'
        listed = list(itertools.takewhile(str.strip, lines[closing + 1:]))
        yield first, title, source, expected, listed


CASES = [pytest.param(path.stem, title, source, expected, listed, id=f"{path.name}:{first}")
         for path in sorted(FIXTURES.glob("*.txt"))
         for first, title, source, expected, listed in fixture_cases(path)]


def test_every_rule_module_has_a_fixture_file():
    modules = {p.stem for p in Path(markdown.__file__).parent.glob("*.py")}
    shown = {"__init__": "parser", "env": None}       # env.py holds no rule
    assert {shown.get(m, m) for m in modules} - {None} == {p.stem for p in FIXTURES.glob("*.txt")}


@pytest.mark.parametrize("stem, title, source, expected, listed", CASES)
def test_fixture(stem, title, source, expected, listed):
    fragment, problems = render_case(stem, title, source)
    assert fragment == expected, title
    assert problems == listed, title


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

def _render_page(body: str):
    page, problems = _page(body, body_line=8), Problems()
    render_markdown(page, problems)
    return page, [(p.code, p.line, p.message) for p in problems]


def test_unknown_block_is_an_error_with_a_suggestion_at_its_line():
    page, problems = _render_page("Tekst.\n\n::: pejlemaerke Mål 1\nRamper.\n:::\n\n"
                                  "::: Citat Borger\nJa.\n:::\n\n::: boble\nx\n:::\n")
    assert [(code, line) for code, line, _ in problems] == [("unknown-block", 10),
                                                            ("unknown-block", 18)]
    assert "mente du '::: pejlemærke'?" in problems[0][2]
    assert "'::: citat'" in problems[1][2] and "'::: tabel'" in problems[1][2]
    assert "::: pejlemaerke" not in page.fragment          # never published as raw text


def test_numbered_heading_ids_take_linear_time():
    """50,000 identical headings: each id costs at most two look-ups (before issue 14 the
    n-th heading tried n ids, 1.25 billion look-ups in all, 165 s of rendering)."""
    from site_gen.markdown.headings import Ids, unique_id

    headings = 50_000
    budget = 2 * headings + 2

    class CountingIds(Ids):
        probes = 0

        def __contains__(self, candidate):
            CountingIds.probes += 1
            assert CountingIds.probes <= budget, "ids are numbered in more than linear time"
            return super().__contains__(candidate)

    used = CountingIds({"maal-7"})
    ids = [unique_id("maal", used) for _ in range(headings)]
    assert ids[:8] == ["maal", "maal-2", "maal-3", "maal-4", "maal-5", "maal-6", "maal-8",
                       "maal-9"]
    assert len(set(ids)) == headings


def test_layout_ids_are_read_from_the_layouts_in_use(tmp_path):
    from helpers import ROOT, options_for
    from site_gen.config import SiteConfig, Statement, Contact
    from site_gen.layout import layout_ids
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
