"""The `:::` blocks policies contain (README, "Writing a policy"), parsed as mdit_py_plugins'
container plugin parses them, by one rule. Names are Danish: authors write them.

    ::: pejlemærke [label]      a highlighted goal
    ::: citat <who said it>     a quotation with its attribution
    ::: faktaboks <title>       a fact box
    ::: tabel <caption>         a data table with a caption (tables.py)

`blocks_plugin` installs them; the core rule `block_rule` gives each block its name and
label (`token.meta["block"]`, `["label"]`; headings.py gives the label its id) and reports
what is not a block; `render_block` writes each block's HTML."""
from __future__ import annotations

import difflib
import html

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..i18n import _
from .env import in_build, line

# Block name -> its CSS class, which is also the base of its label's id.
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


def blocks_plugin(md: MarkdownIt) -> None:
    """One block rule for every `:::` line (issue 28): one container rule a block name (as
    mdit_py_plugins' container plugin registers them) made markdown-it try five rules on
    every line of every page, 395,000 calls in a build of 1,000 documents, for a character
    almost no line starts with. The name on the opening line chooses the block; any other
    name is UNKNOWN_BLOCK, so '::: quote' is reported with a suggestion, never published as
    a paragraph of raw text (issue 14). The tokens are the container plugin's
    (`container_<name>_open`, `_close`), so the rules and renderers after it are unchanged."""
    md.block.ruler.before("fence", "blocks", _container_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    for name in (*BLOCKS, UNKNOWN_BLOCK):
        md.add_render_rule(f"container_{name}_open", render_block)
        md.add_render_rule(f"container_{name}_close", render_block)


def _opened_block(params: str) -> str | None:
    """The block a ':::' line with these parameters opens, or None when it names none."""
    name = params.strip().split(" ", 1)[0].lower()
    if name in BLOCKS:
        return name
    return UNKNOWN_BLOCK if name else None


def _colons(src: str, start: int, maximum: int) -> int:
    """The end of the run of ':' that starts at `start` (at most one past `maximum`)."""
    pos = start + 1
    while pos <= maximum and pos < len(src) and src[pos] == ":":
        pos += 1
    return pos


def _container_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A `:::` block, as mdit_py_plugins' container rule parses one (at least three colons
    open it; a line of at least as many colons and nothing else closes it; a block left open
    ends with its parent), for every block name at once."""
    start = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    src = state.src
    if start >= len(src) or src[start] != ":" or state.is_code_block(start_line):
        return False
    pos = _colons(src, start, maximum)
    marker_count = pos - start
    if marker_count < 3:
        return False
    markup, params = src[start:pos], src[pos:maximum]
    name = _opened_block(params)
    if name is None:
        return False
    if silent:
        return True
    next_line, auto_closed = start_line, False
    while True:
        next_line += 1
        if next_line >= end_line:
            break               # left open: ended by the end of the page or of its parent
        start = state.bMarks[next_line] + state.tShift[next_line]
        maximum = state.eMarks[next_line]
        if start < maximum and state.sCount[next_line] < state.blkIndent:
            break               # a non-empty line indented less ends a list's block
        if start >= len(src) or src[start] != ":" or state.is_code_block(next_line):
            continue
        pos = _colons(src, start, maximum)
        if pos - start < marker_count:
            continue
        pos = state.skipSpaces(pos)
        if pos < maximum:
            continue
        auto_closed = True
        break
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "container"
    state.lineMax = next_line       # no lazy continuation past the closing line
    token = state.push(f"container_{name}_open", "div", 1)
    token.markup, token.block, token.info = markup, True, params
    token.map = [start_line, next_line]
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push(f"container_{name}_close", "div", -1)
    token.markup, token.block = src[start:pos], True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = next_line + (1 if auto_closed else 0)
    return True


def block_name(token: Token) -> str:
    """The block a container token opens or closes: 'citat', or UNKNOWN_BLOCK."""
    return token.type[len("container_"):].rsplit("_", 1)[0]


def block_rule(state: StateCore) -> None:
    """Name and label every block; report unknown blocks, missing labels and ':::' lines
    that end no block.

    Problem codes: block-label, unknown-block, stray-block-end."""
    env = state.env
    if not in_build(env):
        return
    for token in state.tokens:
        kind = token.type
        if kind == "inline":
            content = token.content
            if ":::" in content and (content.lstrip().startswith(":::") or "\n:::" in content):
                _stray_fences(env, token)
        elif kind.startswith("container_") and kind.endswith("_open"):
            _block_open(env, token)


def _block_open(env: dict, token: Token) -> None:
    name = block_name(token)
    label = token.info.strip().partition(" ")[2].strip()
    token.meta["block"] = name
    if name == UNKNOWN_BLOCK:
        _unknown_block(env, token)
        return
    token.meta["label"] = label
    needs_label = {"citat": _("who said it, e.g. '::: citat Borger i Herlev'"),
                   "faktaboks": _("a title, e.g. '::: faktaboks FN's handicapkonvention'"),
                   "tabel": _("a caption, e.g. '::: tabel Aktiviteter i indsats 1'")}
    if name in needs_label and not label:
        env["problems"].error(env["path"], line(env, token), "block-label",
                              _("'::: {name}' needs {needs_label}").format(name=name, needs_label=needs_label[name]))


def _unknown_block(env: dict, token: Token) -> None:
    written = token.info.strip().split(" ", 1)[0]
    name = written.lower()
    meant = BLOCK_ALIASES.get(name) or next(iter(
        difflib.get_close_matches(name, list(BLOCKS), n=1, cutoff=0.6)), None)
    hint = _("did you mean '::: {meant}'?").format(meant=meant) if meant else \
        _("use {blocks}").format(blocks=", ".join(f"'::: {known}'" for known in BLOCKS))
    env["problems"].error(env["path"], line(env, token), "unknown-block",
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


def render_block(self, tokens: list[Token], idx: int, options, env) -> str:
    """The HTML of a block's opening or closing line: a figure for a quotation, a div with
    its label for a goal or a fact box, nothing for a table block (tables.py writes it)."""
    token = tokens[idx]
    name = block_name(token)
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
