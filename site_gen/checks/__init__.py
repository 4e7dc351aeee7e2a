"""Check: problems found in rendered pages (tokens and HTML), one module per check family.

Each check is `check(page, site) -> Iterable[Problem]`, registered in one of three lists:
TOKEN_CHECKS need the page's Markdown tokens and run right after markdown, in the worker
that rendered it; HTML_CHECKS run on the page's complete HTML after its layout (render.py);
SITE_CHECKS need every page's headings and run once all pages are rendered (pipeline.py).
"""
from __future__ import annotations

from . import (easy_read, easy_read_claims, heading_repeats, headings, html, images, lang,
               language, links, pages, tables, word_leftovers)

TOKEN_CHECKS = (headings.check, heading_repeats.check, images.check, lang.check, links.check,
                tables.check, language.check, easy_read.check, easy_read_claims.check,
                pages.check, word_leftovers.check)
HTML_CHECKS = (html.check,)
SITE_CHECKS = (links.check_targets,)
