"""Check: problems found in rendered pages (tokens and HTML), one module per check family.

Each module exposes `check(page, site) -> Iterable[Problem]`; CHECKS is the order they run in.
"""
from __future__ import annotations

from ..model import Site
from ..problems import Problems
from . import headings, images, language, links, tables

CHECKS = (headings.check, images.check, links.check, tables.check, language.check)


def run_all(site: Site, problems: Problems) -> None:
    for page in site.pages.values():
        for check in CHECKS:
            problems.extend(check(page, site))
