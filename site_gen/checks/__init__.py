"""Check: problems found in rendered pages (tokens and HTML), one module per check family.

Each module exposes `check(page, site) -> Iterable[Problem]`. TOKEN_CHECKS need the page's
Markdown tokens and run right after markdown, in the worker that rendered it; the HTML
check runs after the layout; link targets are checked once every page's headings are known
(render.py runs them in that order).
"""
from __future__ import annotations

from . import easy_read, headings, html, images, lang, language, links, tables

TOKEN_CHECKS = (headings.check, images.check, lang.check, links.check, tables.check,
                language.check, easy_read.check)
