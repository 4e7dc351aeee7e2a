"""What the rules of one parse share: the `env` dict `render_markdown` (markdown/__init__.py)
passes to markdown-it-py, which hands it to every core rule and render rule.

Its keys: `path` and `offset` (the page's path as messages show it, and the file line its
body starts on), `problems` (the build's Problems), `reserved_ids` (the layouts' ids),
`headings` and `used_terms` (filled by the rules), `terms`, `pictograms`, `easy_read` and
`site_url` (the settings the rules read). A parse outside a build (the parser alone, as the
Word import's tests use it) passes no env: the structure rules then do nothing."""
from __future__ import annotations

from markdown_it.token import Token


def in_build(env: dict) -> bool:
    """Whether this parse renders a page of a build, with a Problems collector to add to."""
    return "problems" in env


def line(env: dict, token: Token) -> int | None:
    """The file line `token` starts on: its first body line plus the body's first file line."""
    return token.map[0] + env["offset"] if token.map else None


def as_written(url: str) -> str:
    """The `site_url` of a parse without a base path: every address as written."""
    return url
