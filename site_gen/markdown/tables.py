"""Data tables (WCAG 1.3.1): a caption from the enclosing `::: tabel`, `scope` on header
cells, the first column as row headers, right-aligned columns of numbers, and the width the
table needs, so that site.css stacks it on a screen too narrow for it (WCAG 1.4.10)."""
from __future__ import annotations

import html
import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..i18n import _
from .blocks import UNKNOWN_BLOCK
from .env import in_build, line

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


def table_rule(state: StateCore) -> None:
    """Shape every table from its enclosing block (named by blocks.py's rule, its label's
    id given by headings.py's, both of which run first).

    Problem codes: table-caption, table-header."""
    env = state.env
    if not in_build(env):
        return
    tokens = state.tokens
    open_blocks: list[Token] = []
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "table_open":
            _table(env, tokens, index, open_blocks[-1] if open_blocks else None)
        elif kind.startswith("container_"):
            if kind.endswith("_open"):
                open_blocks.append(token)
            elif kind.endswith("_close"):
                open_blocks.pop()


def _table(env: dict, tokens: list[Token], index: int, block: Token | None) -> None:
    """Give a table its caption from the enclosing `::: tabel`, `scope` on header cells,
    and row headers from the first column (WCAG 1.3.1)."""
    table = tokens[index]
    if block is not None and block.meta.get("block") == UNKNOWN_BLOCK:
        return                          # '::: table' is reported as an unknown block
    if block is None or block.meta.get("block") != "tabel":
        env["problems"].error(env["path"], line(env, table), "table-caption",
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
        env["problems"].error(env["path"], line(env, table), "table-header",
                              _("the table needs a header row: the first row, followed by a line like "
                                 "'|---|---|'"))


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


def render_table_open(self, tokens, idx, options, env) -> str:
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


def render_table_close(self, tokens, idx, options, env) -> str:
    """Closes the table, and the wrapper of a captioned one."""
    opener = next(t for t in reversed(tokens[:idx]) if t.type == "table_open")
    return "</table>\n</div>\n" if "caption" in opener.meta else "</table>\n"
