"""Ids: every heading's, from its text or an explicit '{#id}', and every block label's, from
one pool per page in document order, so no two elements share an id and none takes an id
the layouts use (issue 14). The page's headings are collected for its contents."""
from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..i18n import _
from ..model import Heading
from ..text import make_slug
from .blocks import BLOCKS
from .env import in_build, line
from .footnotes import NOTES_ID

# Ids this package writes itself. The ids the layouts use are read from the layout files
# (layout.layout_ids) and passed to render_markdown as `reserved_ids`.
OWN_IDS = frozenset({NOTES_ID})
_EXPLICIT_ID = re.compile(r"\s*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$")


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


def unique_id(base: str, used: Ids) -> str:
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


def heading_rule(state: StateCore) -> None:
    """Give each heading its id and add it to env["headings"]; give each block's label
    (named by blocks.py's rule, which runs first) its id, `token.meta["label_id"]`.

    Problem codes: body-h1, heading-attribute, duplicate-id."""
    env = state.env
    if not in_build(env):
        return
    tokens = state.tokens
    used = Ids(OWN_IDS | env.get("reserved_ids", frozenset()))
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            _heading(env, tokens, index, used)
        elif token.meta and token.meta.get("block") in BLOCKS:     # opened a known block
            token.meta["label_id"] = unique_id(BLOCKS[token.meta["block"]], used)


def _heading(env: dict, tokens: list[Token], index: int, used: Ids) -> None:
    token, inline = tokens[index], tokens[index + 1]
    level = int(token.tag[1])
    text = "".join(t.content for t in inline.children or [] if t.type in ("text", "code_inline"))
    if level == 1:
        env["problems"].error(env["path"], line(env, token), "body-h1",
                              _("the title is the page's only level-1 heading; start sections with '## ' "
                                 "instead of '# '"))
    explicit = _explicit_id(inline)
    if explicit is None and re.search(r"\{[^}]*\}\s*$", text):
        env["problems"].warning(env["path"], line(env, token), "heading-attribute",
                                _("only '{{#an-id}}' is understood after a heading; the rest would be "
                                   "shown as text"))
    if explicit:
        text = "".join(t.content for t in inline.children or []
                       if t.type in ("text", "code_inline"))
        if explicit in used:
            env["problems"].error(env["path"], line(env, token), "duplicate-id",
                                  _("the id '#{explicit}' is used twice on this page").format(explicit=explicit))
        used.add(explicit)
    heading_id = explicit or token.attrs.get("id") or unique_id(make_slug(text), used)
    token.attrSet("id", heading_id)
    env["headings"].append(Heading(level=level, text=text, id=heading_id,
                                   line=line(env, token)))


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
