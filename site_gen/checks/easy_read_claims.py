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

from ..model import APPLYING_KINDS, Page, Site, Variant, dated
from ..pictograms import SCHEME
from ..problems import Problem, Severity
from ..text import danish_partial_date
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
    for block, _ in measure(page).blocks:
        for line, text in block.lines or [(block.line, block.text)]:
            if front.kind in APPLYING_KINDS and (match := _GOAL_AS_RIGHT.search(text)):
                verb = _PRESENT[match.group(1).lower()]
                yield warn(line, "er-goal-right",
                           f"'{match.group(0)}' lover læseren en ret; planen siger, hvad "
                           f"kommunen vil. Skriv målet som et mål, fx 'Kommunen vil arbejde for, "
                           f"at du {verb} ...' eller 'Målet er, at du {verb} ...'")
            if old and (match := _NEW.search(text)) and not _about_a_later_one(text, date):
                yield warn(line, "er-dated",
                           f"'{match.group(0)}': dokumentet er fra {_when(date)} og er ikke "
                           f"nyt mere; skriv fx '{match.group(2)} fra {date.year}'")
            if old and (match := _PRESENT_WRITER.search(text)):
                yield warn(line, "er-dated",
                           f"'{match.group(0)}': dokumentet er fra {_when(date)}; skriv i "
                           f"datid, fx 'I {date.year} skrev {match.group(1).lower()} ...'")
            if match := _NOISE.search(text):
                yield warn(line, "er-noise",
                           f"'{match.group(0)}' siger ikke læseren noget; fjern det. "
                           "Billedernes licens står på siden 'Om webstedet'")
    yield from _pictograms(page, site, warn)


_PRESENT = {"kunne": "kan", "have": "har", "få": "får"}
_LATER = re.compile(r"\b(?:lave|laver|lavet|forbereder|skrive|skriver|arbejder på|kommende|"
                    r"næste|efterfølgende)\b", re.IGNORECASE)


def _about_a_later_one(text: str, date) -> bool:
    """'en ny plan fra 2027', 'kommunen laver en ny plan': another, later document."""
    return bool(_LATER.search(text)) or any(int(year) > date.year
                                            for year in re.findall(r"\b(?:19|20)\d\d\b", text))


def _when(date) -> str:
    return danish_partial_date(date.isoformat()[:7])


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
                           f"billedet '{name}' står både ved '{first}' og ved '{section}'; et "
                           f"billede står for én idé{idea}: vælg et andet til '{section}' i "
                           "layouts/pictograms.yaml")
