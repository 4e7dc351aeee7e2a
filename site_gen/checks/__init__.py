"""Check: problems found in rendered pages (tokens and HTML), one module per check family.

Each module exposes `check(page, site) -> Iterable[Problem]`; CHECKS is the order they run in.
"""
from __future__ import annotations

from ..model import Site
from ..problems import Problems
from . import headings, html, images, language, links, tables

CHECKS = (headings.check, images.check, links.check, tables.check, language.check,
          html.check)


def run_all(site: Site, problems: Problems) -> None:
    for page in site.pages.values():
        for check in CHECKS:
            problems.extend(check(page, site))
    for output_path, text in site.extra_pages:          # listings, search, statement ...
        if output_path.endswith(".html") and not output_path.startswith("was/"):
            problems.extend(html.check_html(text, f"{output_path} (layout)", site))
