"""Headings a screen reader's list of headings can tell apart (issue 29, WCAG 2.4.6): the
same words at the same level more than twice in one document ('Vi er i gang' six times at
level 4) is read out six times with nothing to choose between them. A warning, not an error:
the text is the municipality's, and the author decides how to name each one.
Code: repeated-heading."""
from __future__ import annotations

from typing import Iterable

from ..i18n import _
from ..model import Heading, Page, Site
from ..problems import Problem, Severity

MOST_REPEATS = 2        # 'Mål' under two sections is common and still clear enough


def check(page: Page, site: Site) -> Iterable[Problem]:
    seen: dict[tuple[int, str], list[tuple[Heading, Heading | None]]] = {}
    parents: dict[int, Heading] = {}          # level -> the latest heading at that level
    for heading in page.headings:
        parents[heading.level] = heading
        parent = next((parents[level] for level in range(heading.level - 1, 0, -1)
                       if level in parents), None)
        for level in [level for level in parents if level > heading.level]:
            del parents[level]
        words = " ".join(heading.text.split()).casefold()
        if words:
            seen.setdefault((heading.level, words), []).append((heading, parent))
    for (level, _words), found in seen.items():
        if len(found) > MOST_REPEATS:
            yield _repeated(page, level, found)


def _repeated(page: Page, level: int, found: list) -> Problem:
    first, parent = found[0]
    lines = ", ".join(str(heading.line) for heading, _parent in found if heading.line is not None)
    example = parent.text if parent is not None else _("the section's name")
    return Problem(page.path, first.line, Severity.WARNING, "repeated-heading",
                   _("the heading '{text}' occurs {count} times at level {level} (lines "
                     "{lines}); in a screen reader's list of headings they cannot be told "
                     "apart: add to each what it belongs to, e.g. '{text}: {example}'")
                   .format(text=first.text, count=len(found), level=level, lines=lines,
                           example=example))
