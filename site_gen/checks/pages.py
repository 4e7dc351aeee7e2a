"""Printed page numbers: a policy imported from a printed original often says "findes på side
21-23" or "se s. 12". A web page and its PDF have other page numbers or none, so the reader
cannot follow the reference (issue 16). A plain-language warning names the line; the author
points to the section instead, e.g. with a link to its heading. Code: pl-page-number."""
from __future__ import annotations

import re
from typing import Iterable

from ..i18n import _
from ..model import Page, Site
from ..problems import Problem, Severity

# "side 21", "siderne 21-23", "s. 21", "s. 21–23", "side 4 og 5"; not "på den anden side".
PAGE_REFERENCE = re.compile(r"\b(?:side|siderne|sidetal|s\.)\s*\d+(?:\s*[-–]\s*\d+)?(?!\d)",
                            re.IGNORECASE)


def check(page: Page, site: Site) -> Iterable[Problem]:
    line = None
    for token in page.tokens:
        if token.map:
            line = token.map[0] + page.body_line
        if token.type != "inline":
            continue
        text = "".join(child.content for child in token.children or () if child.type == "text")
        found = PAGE_REFERENCE.search(text)
        if found:
            yield Problem(page.path, line, Severity.WARNING, "pl-page-number",
                          _("\"{reference}\" refers to a page of the printed edition; the web "
                            "page and its PDF have other page numbers. Refer to the section "
                            "instead, e.g. with a link to its heading").format(
                              reference=found.group(0)))
