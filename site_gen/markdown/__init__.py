"""Render markdown: the one markdown-it-py parser, and the rules it runs, one module each and
registered by name below (as markdown-it-py lays out its own rules). Each rule module has a
fixture file of Markdown in and HTML out, tests/fixtures/markdown/<module>.txt.

Preset `commonmark` with raw HTML off (shared/guides/publishing.md § 4.2), plus tables,
strikethrough, footnotes, definition lists, `{lang=en}` attributes (WCAG 3.1.2) and the
`:::` blocks policies contain (blocks.py). After parsing, the core rules in CORE_RULES run in
order on the page's tokens; RENDER_RULES replace markdown-it's rendering of one token type
each. A new rule is a module and one line in one of the two lists."""
from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..model import Page, Variant
from ..problems import Problems
from . import blocks, easy_read, footnotes, glossary, headings, links_images, nesting, tables
from .env import as_written
from .sanitise import sanitise

# Core rules: (name, rule), run in this order after markdown-it's own, each over the whole
# page's tokens. A later rule may read what an earlier one wrote into the tokens.
CORE_RULES = (
    ("blocks", blocks.block_rule),                      # each block's name and label
    ("headings", headings.heading_rule),                # ids of headings and block labels
    ("tables", tables.table_rule),                      # captions, header cells, widths
    ("glossary", glossary.glossary_rule),               # first use of each term
    ("easy_sections", easy_read.easy_sections_rule),    # easy-read h2 sections
    ("nesting", nesting.nesting_rule),                  # text nested past the parser's cap
)
# Render rules: (token type, rule) in place of markdown-it's own. The blocks' are installed
# with them by blocks_plugin.
RENDER_RULES = (
    ("image", links_images.render_image),
    ("link_open", links_images.render_link_open),
    ("table_open", tables.render_table_open),
    ("table_close", tables.render_table_close),
    ("footnote_ref", footnotes.render_footnote_ref),
    ("footnote_anchor", footnotes.render_footnote_anchor),
    ("footnote_block_open", footnotes.render_footnote_block_open),
    ("footnote_block_close", footnotes.render_footnote_block_close),
)


@functools.lru_cache(maxsize=4)
def make_parser(allow_html: bool = False, line_breaks: bool = False) -> MarkdownIt:
    """The configured parser; raw HTML stays off unless a site setting allows it (issue 8).
    Easy-read pages keep each source line as a line (`line_breaks`): one sentence per line.
    Made once per process for each pair of options."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False,
                                   "breaks": line_breaks})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin)
    md.use(attrs_plugin, spans=True, allowed=["lang", "class", "id"])
    md.use(attrs_block_plugin, allowed=["lang", "class", "id"])
    md.use(blocks.blocks_plugin)
    for name, rule in CORE_RULES:
        md.core.ruler.push(name, rule)
    for token_type, rule in RENDER_RULES:
        md.add_render_rule(token_type, rule)
    return md


def render_markdown(page: Page, problems: Problems, terms: list | None = None,
                    pictograms: dict | None = None, allow_html: bool = False,
                    reserved_ids: frozenset = frozenset(), site_url=None) -> None:
    """Fill page.tokens, page.headings, page.terms and page.fragment. `terms` are the glossary
    terms that apply to the page; the first use of each abbreviation becomes <abbr title>.
    `reserved_ids` are the ids the layouts use, which no heading may take. `site_url`
    (SiteConfig.site_url) gives root-relative links and images the site's base path in the
    HTML; the tokens keep the addresses as written, for the link checks.

    Problem codes: body-h1, block-label, table-caption, table-header, heading-attribute,
    duplicate-id, unknown-block, stray-block-end, deep-nesting."""
    env = {"path": page.path, "offset": page.body_line, "problems": problems,
           "reserved_ids": reserved_ids,
           "headings": [], "terms": terms or [], "used_terms": [],
           "pictograms": pictograms or {}, "easy_read": page.variant is Variant.EASY_READ,
           # With raw HTML the sanitiser gives every address the base path, once, at the end.
           "site_url": as_written if allow_html else site_url or as_written}
    md = make_parser(allow_html, line_breaks=page.variant is Variant.EASY_READ)
    page.tokens = md.parse(page.body, env)
    page.analysis = None
    page.headings = env["headings"]
    page.terms = env["used_terms"]
    notes = footnotes.notes_heading(page.tokens)
    if notes is not None:
        page.headings.append(notes)
    shown = easy_read.sentence_blocks(page.tokens) if env["easy_read"] else page.tokens
    page.fragment = md.renderer.render(shown, md.options, env)
    if allow_html:
        page.fragment = sanitise(page.fragment, site_url or as_written)
