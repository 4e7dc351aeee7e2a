"""Render markdown: the one markdown-it-py parser, its plugins and render rules.

Preset `commonmark` with raw HTML off (shared/guides/publishing.md § 4.2), plus tables,
footnotes, definition lists, `{lang=en}` attributes (WCAG 3.1.2) and four block
extensions for what policies contain (README, "Writing a policy"):

    ::: pejlemærke [label]      a highlighted goal
    ::: citat <who said it>     a quotation with its attribution
    ::: faktaboks <title>       a fact box
    ::: tabel <caption>         a data table with a caption; its first column is row headers
"""
from __future__ import annotations

import difflib
import functools
import html
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .i18n import _
from .glossary import combined
from .pictograms import SCHEME
from .model import Heading, Page, Variant
from .problems import Problems
from .text import make_slug

# Block extensions: name -> (CSS class, default label). Names are Danish: authors write them.
BLOCKS = {
    "pejlemærke": "goal",
    "citat": "quote",
    "faktaboks": "factbox",
    "tabel": "data-table",
}
# English and misspelled block names authors reach for, with the block they mean.
BLOCK_ALIASES = {"quote": "citat", "citation": "citat", "cite": "citat", "blockquote": "citat",
                 "table": "tabel", "fakta": "faktaboks", "fact": "faktaboks",
                 "facts": "faktaboks", "factbox": "faktaboks", "info": "faktaboks",
                 "boks": "faktaboks", "goal": "pejlemærke", "pejlemaerke": "pejlemærke",
                 "pejlemarke": "pejlemærke"}
UNKNOWN_BLOCK = "unknown-block"     # the container that catches every other '::: name'
# Ids this module writes itself (the footnotes' heading). The ids the layouts use are read
# from the layout files (layout.layout_ids) and passed to render_markdown.
OWN_IDS = frozenset({"noter"})


@functools.lru_cache(maxsize=4)
def make_parser(allow_html: bool = False, line_breaks: bool = False) -> MarkdownIt:
    """The configured parser; raw HTML stays off unless a site setting allows it (issue 8).
    Easy-read pages keep each source line as a line (`line_breaks`): one sentence per line."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": False,
                                   "breaks": line_breaks})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(deflist_plugin)
    md.use(attrs_plugin, spans=True, allowed=["lang", "class", "id"])
    md.use(attrs_block_plugin, allowed=["lang", "class", "id"])
    for name in BLOCKS:
        md.use(container_plugin, name=name, validate=_block_validator(name),
               render=_render_block)
    # Registered last, so it sees only names no block above took: '::: quote' is reported
    # with a suggestion, never published as a paragraph of raw text (issue 14).
    md.use(container_plugin, name=UNKNOWN_BLOCK, validate=_is_unknown_block,
           render=_render_block)
    md.core.ruler.push("site_gen_structure", _structure_rule)
    md.core.ruler.push("site_gen_glossary", _glossary_rule)
    md.core.ruler.push("site_gen_easy_sections", _easy_sections_rule)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("footnote_anchor", _render_footnote_anchor)
    md.add_render_rule("footnote_block_open", _render_footnote_block_open)
    md.add_render_rule("footnote_block_close", lambda *a: "</ol>\n</section>\n")
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
    duplicate-id, unknown-block, stray-block-end."""
    env = {"path": page.path, "offset": page.body_line, "problems": problems,
           "reserved_ids": reserved_ids,
           "headings": [], "terms": terms or [], "used_terms": [],
           "pictograms": pictograms or {}, "easy_read": page.variant is Variant.EASY_READ,
           "site_url": site_url or _as_written}
    md = make_parser(allow_html, line_breaks=page.variant is Variant.EASY_READ)
    page.tokens = md.parse(page.body, env)
    page.analysis = None
    page.headings = env["headings"]
    page.terms = env["used_terms"]
    if any(t.type == "footnote_block_open" for t in page.tokens):
        page.headings.append(Heading(level=2, text="Noter", id="noter", line=None))
    shown = _sentence_blocks(page.tokens) if env["easy_read"] else page.tokens
    page.fragment = md.renderer.render(shown, md.options, env)
    if allow_html:
        page.fragment = sanitise(page.fragment, site_url or _as_written)


def _sentence_blocks(tokens: list[Token]) -> list[Token]:
    """Easy-read: each line of a paragraph (one sentence a line) becomes its own paragraph,
    so a sentence that wraps on a phone never runs into the next and sentences have space
    between them (issue 16). A copy for rendering: the checks keep the tokens as written.
    Paragraphs of tight lists (hidden) keep their lines as <br>."""
    shown: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type != "paragraph_open" or token.hidden or inline is None \
                or inline.type != "inline":
            shown.append(token)
            index += 1
            continue
        groups: list[list[Token]] = [[]]
        for child in inline.children or ():
            if child.type == "softbreak":
                groups.append([])
            else:
                groups[-1].append(child)
        for group in (g for g in groups if g):
            part = Token("inline", "", 0, children=group, content="".join(c.content for c in group))
            shown += [token, part, tokens[index + 2]]
        index += 3
    return shown



# What raw HTML may contain when a site allows it (issue 8): structure and text, never
# script, style, event handlers or URLs other than http(s), mailto and the site's own.
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
                "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3",
                "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
                "pre", "q", "s", "section", "small", "span", "strong", "sub", "summary", "sup",
                "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul"}
ALLOWED_ATTRIBUTES = {"*": {"lang", "id", "class", "title", "dir"},
                      "a": {"href", "hreflang"}, "abbr": {"title"},
                      "img": {"src", "alt", "width", "height"},
                      "th": {"scope", "colspan", "rowspan", "data-label"},
                      "td": {"colspan", "rowspan", "data-label"}, "time": {"datetime"},
                      "table": set(), "div": {"role", "tabindex", "aria-labelledby"},
                      "figure": {"aria-labelledby"}, "section": {"aria-labelledby"}}


def sanitise(fragment: str, site_url=None) -> str:
    """Keep only the documented allowlist (nh3, the Rust ammonia sanitiser); links and
    images in the raw HTML get the base path as Markdown ones do (`site_url`)."""
    import nh3
    site_url = site_url or _as_written
    with_base = lambda tag, name, value: site_url(value) if name in ("href", "src") else value
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto", "tel"}, link_rel=None,
                     strip_comments=True, attribute_filter=with_base)


def _as_written(url: str) -> str:
    return url


def _block_validator(name: str):
    def validate(params: str, markup: str) -> bool:
        return params.strip().split(" ", 1)[0].lower() == name
    return validate


def _is_unknown_block(params: str, markup: str) -> bool:
    name = params.strip().split(" ", 1)[0].lower()
    return bool(name) and name not in BLOCKS


def _line(env: dict, token: Token) -> int | None:
    return token.map[0] + env["offset"] if token.map else None


# --- structure: ids, captions, headers --------------------------------------------------

def _structure_rule(state: StateCore) -> None:
    env = state.env
    if "problems" not in env:           # parsing outside a build (tests of the parser)
        return
    tokens = state.tokens
    used = Ids(OWN_IDS | env.get("reserved_ids", frozenset()))
    open_blocks: list[Token] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            _heading(env, tokens, index, used)
        elif token.type.startswith("container_") and token.type.endswith("_open"):
            _block_open(env, token, used)
            open_blocks.append(token)
        elif token.type.startswith("container_") and token.type.endswith("_close"):
            open_blocks.pop()
        elif token.type == "table_open":
            table_block = open_blocks[-1] if open_blocks else None
            _table(env, tokens, index, table_block)
        elif token.type == "inline" and token.content.lstrip().startswith(":::") \
                or token.type == "inline" and "\n:::" in token.content:
            _stray_fences(env, token)


class Ids:
    """The ids taken on one page, and for each base id the next number to try, so that
    50,000 headings with the same text get their ids in linear time (issue 14)."""
    def __init__(self, taken) -> None:
        self.taken: set[str] = set(taken)
        self.next_number: dict[str, int] = {}

    def __contains__(self, candidate: str) -> bool:
        return candidate in self.taken

    def add(self, candidate: str) -> None:
        self.taken.add(candidate)


def _unique_id(base: str, used: Ids) -> str:
    """`base`, or `base-2`, `base-3`, ...: the first one not taken. Numbers below
    `next_number` were taken when last tried, and ids are never given back."""
    candidate = base
    if candidate in used:
        n = used.next_number.get(base, 2)
        while f"{base}-{n}" in used:
            n += 1
        candidate = f"{base}-{n}"
        used.next_number[base] = n + 1
    used.add(candidate)
    return candidate


def _heading(env: dict, tokens: list[Token], index: int, used: Ids) -> None:
    token, inline = tokens[index], tokens[index + 1]
    level = int(token.tag[1])
    text = "".join(t.content for t in inline.children or [] if t.type in ("text", "code_inline"))
    if level == 1:
        env["problems"].error(env["path"], _line(env, token), "body-h1",
                              _("the title is the page's only level-1 heading; start sections with '## ' "
                                 "instead of '# '"))
    explicit = _explicit_id(inline)
    if explicit is None and re.search(r"\{[^}]*\}\s*$", text):
        env["problems"].warning(env["path"], _line(env, token), "heading-attribute",
                                _("only '{{#an-id}}' is understood after a heading; the rest would be "
                                   "shown as text"))
    if explicit:
        text = "".join(t.content for t in inline.children or []
                       if t.type in ("text", "code_inline"))
        if explicit in used:
            env["problems"].error(env["path"], _line(env, token), "duplicate-id",
                                  _("the id '#{explicit}' is used twice on this page").format(explicit=explicit))
        used.add(explicit)
    heading_id = explicit or token.attrs.get("id") or _unique_id(make_slug(text), used)
    token.attrSet("id", heading_id)
    env["headings"].append(Heading(level=level, text=text, id=heading_id,
                                   line=_line(env, token)))


_EXPLICIT_ID = re.compile(r"\s*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$")


def _explicit_id(inline: Token) -> str | None:
    """A trailing '{#id}' on a heading gives it a stable address; it is removed from the text."""
    children = inline.children or []
    if not children or children[-1].type != "text":
        return None
    match = _EXPLICIT_ID.search(children[-1].content)
    if not match:
        return None
    children[-1].content = children[-1].content[:match.start()]
    inline.content = _EXPLICIT_ID.sub("", inline.content)
    return match.group(1)


def _block_open(env: dict, token: Token, used: Ids) -> None:
    name = token.type[len("container_"):].rsplit("_", 1)[0]
    label = token.info.strip().partition(" ")[2].strip()
    token.meta["block"] = name
    if name == UNKNOWN_BLOCK:
        _unknown_block(env, token)
        return
    token.meta["label"] = label
    token.meta["label_id"] = _unique_id(BLOCKS[name], used)
    needs_label = {"citat": _("who said it, e.g. '::: citat Borger i Herlev'"),
                   "faktaboks": _("a title, e.g. '::: faktaboks FN's handicapkonvention'"),
                   "tabel": _("a caption, e.g. '::: tabel Aktiviteter i indsats 1'")}
    if name in needs_label and not label:
        env["problems"].error(env["path"], _line(env, token), "block-label",
                              _("'::: {name}' needs {needs_label}").format(name=name, needs_label=needs_label[name]))


def _unknown_block(env: dict, token: Token) -> None:
    written = token.info.strip().split(" ", 1)[0]
    name = written.lower()
    meant = BLOCK_ALIASES.get(name) or next(iter(
        difflib.get_close_matches(name, list(BLOCKS), n=1, cutoff=0.6)), None)
    hint = _("did you mean '::: {meant}'?").format(meant=meant) if meant else \
        _("use {blocks}").format(blocks=", ".join(f"'::: {known}'" for known in BLOCKS))
    env["problems"].error(env["path"], _line(env, token), "unknown-block",
                          _("'::: {written}' is not a block site_gen knows; {hint}").format(written=written, hint=hint))


def _stray_fences(env: dict, inline: Token) -> None:
    """A ':::' line left in running text: a block end with no block open (a misspelled
    opening line is reported by _unknown_block)."""
    for number, text in enumerate(inline.content.split("\n")):
        if text.strip().startswith(":::") and inline.map:
            env["problems"].error(env["path"], inline.map[0] + number + env["offset"],
                                  "stray-block-end",
                                  _("'{value}' ends no block and would be shown as text; remove it, or open "
                                     "the block with e.g. '::: faktaboks <title>'").format(value=text.strip()))


def _table(env: dict, tokens: list[Token], index: int, block: Token | None) -> None:
    """Give a table its caption from the enclosing `::: tabel`, `scope` on header cells,
    and row headers from the first column (WCAG 1.3.1)."""
    table = tokens[index]
    if block is not None and block.meta.get("block") == UNKNOWN_BLOCK:
        return                          # '::: table' is reported as an unknown block
    if block is None or block.meta.get("block") != "tabel":
        env["problems"].error(env["path"], _line(env, table), "table-caption",
                              _("a table needs a caption: put it inside '::: tabel <caption>' and ':::'"))
        return
    table.meta["caption"] = block.meta["label"]
    table.meta["caption_id"] = block.meta["label_id"]
    in_body, column = False, 0
    headers: list[str] = []
    cells: dict[int, list[tuple[Token, str, bool]]] = {}   # column -> (token, text, header?)
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.type == "table_close":
            break
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open":
            column = 0
        elif token.type == "th_open":
            token.attrSet("scope", "col")
            headers.append(tokens[position + 1].content)
            cells.setdefault(len(headers) - 1, []).append((token, headers[-1], True))
        elif token.type == "td_open" and in_body:
            if column < len(headers):
                # The column header shown beside each cell when the table stacks on a phone.
                token.attrSet("data-label", headers[column])
            if column == 0:
                token.tag = "th"
                token.attrSet("scope", "row")
            cells.setdefault(column, []).append((token, tokens[position + 1].content, False))
        elif token.type == "td_close" and in_body and column == 0:
            token.tag = "th"
        if token.type in ("td_close", "th_close"):
            column += 1
    for column, found in cells.items():
        values = [text for _, text, header in found if text.strip() and not header]
        if column > 0 and values and all(_NUMBER.match(text) for text in values):
            for token, _text, _header in found:       # right-aligned, tabular figures (site.css)
                token.attrSet("class", "num")
    table.meta["fit"] = _fit_class(cells)
    header_cells = len(headers)
    if not header_cells:
        env["problems"].error(env["path"], _line(env, table), "table-header",
                              _("the table needs a header row: the first row, followed by a line like "
                                 "'|---|---|'"))


# --- glossary --------------------------------------------------------------------------

def _glossary_rule(state: StateCore) -> None:
    """Mark the first use of each glossary term in running text (not in headings or links).
    Abbreviations get <abbr title="full name">; every used term is remembered for the list of
    terms at the end of the page (WCAG 3.1.3, 3.1.4)."""
    terms = tuple(state.env.get("terms") or ())
    if not terms:
        return
    used: list = state.env["used_terms"]
    in_heading = False
    for token in state.tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and token.children:
            token.children = _mark_terms(token.children, terms, used, in_heading,
                                         bool(state.env.get("easy_read")))


def _mark_terms(children: list[Token], terms: tuple, used: list, in_heading: bool,
                easy_read: bool) -> list[Token]:
    result, link_depth = [], 0
    for child in children:
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        if child.type != "text" or link_depth:
            result.append(child)
            continue
        result.extend(_split_text(child, terms, used, not in_heading, easy_read))
    return result


def _explains(term, easy_read: bool) -> bool:
    return bool(term.easy if easy_read else term.explanation)


def _split_text(child: Token, terms: tuple, used: list, mark: bool,
                easy_read: bool) -> list[Token]:
    pattern = combined(terms)
    pieces, position = [], 0
    for match in pattern.finditer(child.content):
        term = terms[match.lastindex - 1]
        is_new = term not in used
        if is_new:
            used.append(term)
        pieces.append(_text_token(child.content[position:match.start()]))
        word = match.group(0)
        if is_new and mark and term.is_abbreviation:
            pieces += [_html(f'<abbr title="{html.escape(term.full)}">'), _text_token(word),
                       _html("</abbr>")]
        elif is_new and mark and _explains(term, easy_read):
            # The explanation is one click away in the page's list of terms (WCAG 3.1.3);
            # the list links back to this first use (issue 16).
            pieces += [_html(f'<a class="term" href="#{term.anchor}" id="{term.anchor}-brug">'),
                       _text_token(word), _html("</a>")]
        else:
            pieces.append(_text_token(word))
        position = match.end()
    if not pieces:
        return [child]
    pieces.append(_text_token(child.content[position:]))
    return [p for p in pieces if p.content]


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _html(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token


# --- easy-read sections and pictograms -----------------------------------------------------

def _easy_sections_rule(state: StateCore) -> None:
    """On easy-read pages each h2 section becomes a block with its picture beside the text
    (picture column left on wide screens, above the text on a phone; issue 4)."""
    if not state.env.get("easy_read"):
        return
    tokens, result, open_section = state.tokens, [], False
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            if open_section:
                result.append(_block_html("</div>\n"))
            result.append(_block_html('<div class="easy-section">\n'))
            open_section = True
        elif token.type == "footnote_block_open" and open_section:
            result.append(_block_html("</div>\n"))
            open_section = False
        if token.type == "paragraph_open" and _is_pictogram_paragraph(tokens, index):
            token.attrSet("class", "pictogram-holder")
        result.append(token)
    if open_section:
        result.append(_block_html("</div>\n"))
    state.tokens = result


def _is_pictogram_paragraph(tokens: list[Token], index: int) -> bool:
    inline = tokens[index + 1] if index + 1 < len(tokens) else None
    children = [c for c in (inline.children or []) if c.type != "softbreak"] if inline else []
    return len(children) == 1 and children[0].type == "image" and \
        (children[0].attrGet("src") or "").startswith(SCHEME)


def _block_html(content: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    return token


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = "".join(c.content for c in token.children or [])
    if src.startswith(SCHEME):
        picture = env.get("pictograms", {}).get(src[len(SCHEME):])
        if picture is None:
            return ""            # reported by checks/images.py
        src = env.get("site_url", _as_written)(picture.url)
        return (f'<img src="{html.escape(src)}" alt="{html.escape(alt)}" class="pictogram" '
                f'width="96" height="96">')
    token.attrSet("alt", alt)
    site_url = env.get("site_url", _as_written)
    shown = dict(token.attrs, src=site_url(src)) if "src" in token.attrs else token.attrs
    attrs = "".join(f' {k}="{html.escape(str(v))}"' for k, v in shown.items())
    return f"<img{attrs}>"


def _render_link_open(self, tokens, idx, options, env) -> str:
    """A root-relative link ('/glostrup/handicappolitik/') with the site's base path (issue
    21); the token keeps the address as written, which the link checks look up."""
    token = tokens[idx]
    written = token.attrGet("href")
    if written is None:
        return self.renderToken(tokens, idx, options, env)
    token.attrSet("href", env.get("site_url", _as_written)(str(written)))
    try:
        return self.renderToken(tokens, idx, options, env)
    finally:
        token.attrSet("href", written)


# --- render rules ----------------------------------------------------------------------

def _render_block(self, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    name = token.type[len("container_"):].rsplit("_", 1)[0]
    if name == UNKNOWN_BLOCK:           # an error stops the build; the text stays readable
        return "<div>\n" if token.nesting == 1 else "</div>\n"
    css = BLOCKS[name]
    if token.nesting == -1:
        if name == "citat":
            opener = next(t for t in reversed(tokens[:idx]) if t.type == "container_citat_open")
            label = html.escape(opener.meta.get("label", ""))
            caption_id = opener.meta.get("label_id", "")
            caption = f'<figcaption id="{caption_id}">{label}</figcaption>\n' if label else ""
            return f"</blockquote>\n{caption}</figure>\n"
        return "" if name == "tabel" else "</div>\n"
    label = html.escape(token.meta.get("label", ""))
    if name == "citat":
        # Chromium does not yet name a figure from its figcaption; say it explicitly so the
        # attribution is announced with the quotation (issue 5).
        named = f' aria-labelledby="{token.meta["label_id"]}"' if label else ""
        return f'<figure class="{css}"{named}>\n<blockquote>\n'
    if name == "tabel":
        return ""
    if name == "pejlemærke":
        return f'<div class="{css}">\n<p class="box-label">{label or "Pejlemærke"}</p>\n'
    return (f'<div class="{css}">\n'
            f'<p class="box-label" id="{token.meta.get("label_id", "")}">{label}</p>\n')


def _render_table_open(self, tokens, idx, options, env) -> str:
    """The caption names the table, once (issue 16): the wrapper is no region and no Tab
    stop. The wrapper's class says how wide the table must be to fit (`_fit_class`); below
    that width site.css stacks it, so it never scrolls sideways at 320 CSS px (WCAG 1.4.10)
    and is never stacked when it fits."""
    meta = tokens[idx].meta
    if "caption" not in meta:
        return "<table>\n"
    caption_id = meta["caption_id"]
    return (f'<div class="table-wrap {meta["fit"]}">\n<table>\n'
            f'<caption id="{caption_id}">{html.escape(meta["caption"])}</caption>\n')


# A number as a cell holds it: "87", "1.234", "12,5", "185 pct.", "71 %", "-3", "kr. 1.500".
_NUMBER = re.compile(r"^\s*(kr\.\s*)?[-+−]?\d[\d.,  ]*(\s*(%|pct\.?|procent|kr\.?|mio\.?|mia\.?))?\s*$")
# The widths (rem) a table may need to fit, as classes site.css stacks the table below.
TABLE_FITS = tuple(range(16, 73, 2))
WIDE_TABLE = 36         # rem: a table needing more is given the page's width on a wide screen
_CELL_EM = 1.0          # a cell's padding, both sides
# Letter widths in em, rounded up from Chromium's system-ui on Linux (DejaVu Sans, one of the
# widest): narrow letters, wide ones, capitals and digits, the rest; bold is ~10 % wider.
_NARROW = frozenset("ijlIJ'’,.;:/f-()tr!|")
_WIDE = frozenset("mwMW%æÆ")
# The sum of the widths above came out 6-8 % over Chromium's own min-content width on every
# table of the real site (test_citizens.py measures it): scaled to stay just above it.
_CALIBRATION = 0.95


def _word_em(word: str, bold: bool) -> float:
    width = sum(0.4 if c in _NARROW else 1.0 if c in _WIDE else 0.75 if c.isupper() or c.isdigit()
                else 0.64 for c in word)
    return width * (1.1 if bold else 1.0)


def _fit_class(cells: dict[int, list[tuple[Token, str, bool]]]) -> str:
    """The narrowest width the table fits in without cutting a word: per column its longest
    word, measured at build time (browsers without a Danish hyphenation dictionary, such as
    Chromium on Linux, break no word). 'fit-36': the table needs up to 36rem; 'fit-wide':
    more than the largest step. Checked against Chromium's own layout in test_citizens.py."""
    need = 0.0
    for found in cells.values():
        longest = 0.0
        for _, text, header in found:
            longest = max([longest] + [_word_em(word, header)
                                       for word in re.split(r"[\s/]+|(?<=-)", text)])
        need += longest + _CELL_EM
    need *= _CALIBRATION
    fit = next((step for step in TABLE_FITS if need <= step), None)
    wide = " table-wide" if need > WIDE_TABLE else ""      # may use the page's full width
    return (f"fit-{fit}" if fit else "fit-wide") + wide


def _render_table_close(self, tokens, idx, options, env) -> str:
    opener = next(t for t in reversed(tokens[:idx]) if t.type == "table_open")
    return "</table>\n</div>\n" if "caption" in opener.meta else "</table>\n"


def _render_footnote_ref(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    number = meta["id"] + 1
    ref_id = f"fnref{number}" + (f"-{meta['subId']}" if meta.get("subId", 0) > 0 else "")
    return (f'<sup class="footnote-ref"><a href="#fn{number}" id="{ref_id}">'
            f'<span class="visually-hidden">Note </span>{number}</a></sup>')


def _render_footnote_anchor(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    number = meta["id"] + 1
    ref_id = f"fnref{number}" + (f"-{meta['subId']}" if meta.get("subId", 0) > 0 else "")
    return f' <a href="#{ref_id}" class="footnote-backref">Tilbage til teksten</a>'


def _render_footnote_block_open(self, tokens, idx, options, env) -> str:
    return ('<section class="footnotes" aria-labelledby="noter">\n'
            '<h2 id="noter">Noter</h2>\n<ol class="footnotes-list">\n')
