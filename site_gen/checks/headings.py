"""Headings form a correct outline: the title is the h1, sections start at h2, and no level
is skipped (WCAG 1.3.1, 2.4.6). Codes: heading-skip, empty-heading."""
from __future__ import annotations

from typing import Iterable

from ..i18n import _
from ..model import Page, Site
from ..problems import Problem, Severity


def check(page: Page, site: Site) -> Iterable[Problem]:
    previous = 1
    for heading in page.headings:
        if not heading.text.strip():
            yield Problem(page.path, heading.line, Severity.ERROR, "empty-heading",
                          _("this heading has no text; write one or remove the '#' marks"))
        if heading.level > previous + 1:
            yield Problem(page.path, heading.line, Severity.ERROR, "heading-skip",
                          _("this level-{level} heading follows a level-{previous} heading; use "
                             "{value} so no level is skipped").format(level=heading.level, previous=previous, value='#' * (previous + 1)))
        previous = heading.level
