"""What an easy-read page claims (issue 26): the checks that catch what an easy-read editor
caught when reviewing the pages against their sources. Each is a Danish warning that says
what to write instead, never an error: the author decides, the build explains.

- er-goal-right: a goal written as a right. A policy, action plan or strategy states goals
  ("Det er vores mål, at ...", "vil arbejde for", "skal sikre"); on its easy-read page
  "Du skal kunne/have/få ..." promises the reader a right the source does not give. (Said by
  the kind of document, not by reading the standard page's section: a page's check sees only
  its own file, which keeps the memo keyed on whole inputs.)
- er-dated: "ny" about a document dated more than a year ago, or its writer named in the
  present tense ("borgmesteren siger").
- er-pictogram: one picture beside two different sections of a page: a picture stands for
  one idea (layouts/pictograms.yaml, 'idea').
- er-noise: file sizes and licence lines in the text: they tell this reader nothing.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..i18n import _
from ..model import APPLYING_KINDS, Page, Site, Variant, dated
from ..pictograms import SCHEME
from ..problems import Problem, Severity
from .language import measure

_GOAL_AS_RIGHT = re.compile(r"\bdu\s+skal\s+(?:også\s+|altid\s+|kun\s+)?(kunne|have|få)\b",
                            re.IGNORECASE)
_NEW = re.compile(r"\b(?:den|en|vores|kommunens|sin|din)\s+(?:helt\s+)?(ny|nye)\s+"
                  r"(politik|handicappolitik|plan|handlingsplan|strategi)\b", re.IGNORECASE)
_PRESENT_WRITER = re.compile(r"\b((?:social)?borgmester(?:en)?|formand(?:en)?|forperson(?:en)?|"
                             r"rådmand(?:en)?)(?:\s+[A-ZÆØÅ][\w-]+)*\s+(siger|skriver|mener)\b",
                             re.IGNORECASE)
_NOISE = re.compile(r"\b\d[\d.,]*\s*(?:kB|KB|MB|kilobyte|megabyte)\b|\bCC[ -]BY\b|"
                    r"\bCreative Commons\b|\blicens\w*", re.IGNORECASE)


def check(page: Page, site: Site) -> Iterable[Problem]:
    if page.variant is not Variant.EASY_READ:
        return
    front = site.document_front(page)
    warn = lambda line, code, message: Problem(page.path, line, Severity.WARNING, code, message)
    date = dated(front)
    old = site.age_of(page) == "old"
    for block, _count in measure(page).blocks:
        for line, text in block.lines or [(block.line, block.text)]:
            if front.kind in APPLYING_KINDS and (match := _GOAL_AS_RIGHT.search(text)):
                verb = _PRESENT[match.group(1).lower()]
                yield warn(line, "er-goal-right",
                           _("'{found}' promises the reader a right; the plan says what the "
                             "municipality intends to do. Write the goal as a goal, e.g. 'Kommunen "
                             "vil arbejde for, at du {verb} ...' or 'Målet er, at du {verb} "
                             "...'").format(found=match.group(0), verb=verb))
            if old and (match := _NEW.search(text)) and not _about_a_later_one(text, date):
                yield warn(line, "er-dated",
                           _("'{found}': the document is from {when} and is no longer new; "
                             "write e.g. '{noun} fra {year}'").format(
                               found=match.group(0), when=_when(date), noun=match.group(2),
                               year=date.year))
            if old and (match := _PRESENT_WRITER.search(text)):
                yield warn(line, "er-dated",
                           _("'{found}': the document is from {when}; write in the past tense, "
                             "e.g. 'I {year} skrev {writer} ...'").format(
                               found=match.group(0), when=_when(date), year=date.year,
                               writer=match.group(1).lower()))
            if match := _NOISE.search(text):
                yield warn(line, "er-noise",
                           _("'{found}' tells the reader nothing; remove it. The licence of "
                             "the pictures is on the page 'Om webstedet'").format(
                               found=match.group(0)))
    yield from _pictograms(page, site, warn)


_PRESENT = {"kunne": "kan", "have": "har", "få": "får"}
_LATER = re.compile(r"\b(?:lave|laver|lavet|forbereder|skrive|skriver|arbejder på|kommende|"
                    r"næste|efterfølgende)\b", re.IGNORECASE)


def _about_a_later_one(text: str, date) -> bool:
    """'en ny plan fra 2027', 'kommunen laver en ny plan': another, later document."""
    return bool(_LATER.search(text)) or any(int(year) > date.year
                                            for year in re.findall(r"\b(?:19|20)\d\d\b", text))


def _when(date) -> str:
    """The document's month as a message says it: 'juli 2012' (English: 'July 2012')."""
    months = (_("January"), _("February"), _("March"), _("April"), _("May"), _("June"),
              _("July"), _("August"), _("September"), _("October"), _("November"),
              _("December"))
    return f"{months[date.month - 1]} {date.year}"


def _pictograms(page: Page, site: Site, warn) -> Iterable[Problem]:
    """A picture used beside two different `##` sections of one page."""
    seen: dict[str, str] = {}
    section, inline_heading = None, False
    for token in page.tokens:
        if token.type == "heading_open":
            inline_heading = token.tag == "h2"
            continue
        if token.type != "inline":
            continue
        if inline_heading:
            section, inline_heading = token.content.strip(), False
            continue
        for child in token.children or ():
            src = child.attrGet("src") if child.type == "image" else None
            if not src or not src.startswith(SCHEME) or section is None:
                continue
            name = src[len(SCHEME):]
            first = seen.setdefault(name, section)
            if first != section:
                picture = site.pictograms.get(name)
                idea = f" ({picture.idea})" if picture and picture.idea else ""
                line = token.map[0] + page.body_line if token.map else None
                yield warn(line, "er-pictogram",
                           _("the picture '{name}' is used at both '{first}' and '{section}'; "
                             "a picture stands for one idea{idea}: choose another one for "
                             "'{section}' in layouts/pictograms.yaml").format(
                               name=name, first=first, section=section, idea=idea))
