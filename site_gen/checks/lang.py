"""The language of parts: a phrase in another language says which (`[...]{lang=en}`), with
a real language code, so a screen reader pronounces it right (WCAG 3.1.2). Checked on the
Markdown tokens, so the author gets the line. Code: lang-invalid."""
from __future__ import annotations

from typing import Iterable

from ..model import Page, Site
from ..problems import Problem, Severity
from ..schema import LANGUAGE as LANG


def check(page: Page, site: Site) -> Iterable[Problem]:
    line = None
    for token in page.tokens:
        if token.map:
            line = token.map[0] + page.body_line
        for item in (token, *(token.children or ())):
            value = item.attrs.get("lang") if item.attrs else None
            if value is not None and not LANG.fullmatch(str(value)):
                yield Problem(page.path, line, Severity.ERROR, "lang-invalid",
                              f"'{value}' is not a language code; write e.g. {{lang=en}} "
                              "for English")
