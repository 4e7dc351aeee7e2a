"""Plain language: LIX, sentence length, abbreviations and the easy-read rules
(shared/guides/plain-language.md § 4; issue 4).

Standard pages get advice (severity info): their text is the municipality's and stays as
written, so advice never fails a build, not even under --strict; `build.py --advice` prints
it and the readability report counts it. Easy-read pages are ours to write, so the strict
easy-read rules give warnings and errors. A block marked `{.uden-sprogtjek}` on the line
before it (quoted law text, names) is left out of every check here.

Codes: pl-lix, pl-sentence, pl-long-word, pl-abbreviation, pl-easy-read,
er-sentence, er-lix, er-summary, er-abbreviation, er-percent, er-emphasis, er-length, er-picture,
er-line, er-pronoun.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from ..lix import Count, Figures, band, count_block, letters
from ..model import Page, Site, Variant
from ..problems import Problem, Severity

SUPPRESS_CLASS = "uden-sprogtjek"
BLOCK_KINDS = {"paragraph_open": "p", "list_item_open": "li", "heading_open": "h",
               "th_open": "cell", "td_open": "cell", "dt_open": "dt", "dd_open": "dd"}
ACRONYM = re.compile(r"(?<![\w-])([A-ZÆØÅ]{2,6})(?:-\w+|'s|’s|s)?(?![\w])")   # FN, FN's, FNs
CAPITALS = re.compile("[A-ZÆØÅ]{2}")       # a quick look before ACRONYM
NOT_ACRONYMS = {"EU", "OK", "TV", "IT", "II", "III", "IV", "VI", "DK", "NB"}


@dataclass
class Block:
    kind: str          # p, li, h, cell, dt, dd; title, summary (easy-read front matter)
    text: str
    lines: list[tuple[int | None, str]]   # easy-read: (file line, text) of each source line
    line: int | None


def text_blocks(page: Page) -> list[Block]:
    """The text of each block of the page, in order, without suppressed blocks. Only
    easy-read pages, whose rules are per line, get each block's source lines."""
    blocks, stack, suppressed = [], [], 0
    by_line = page.variant is Variant.EASY_READ
    for token in page.tokens:
        nesting = token.nesting
        if nesting == 1:
            stack.append(token)
            suppressed += _suppresses(token)
        elif nesting == -1:
            if stack:
                suppressed -= _suppresses(stack.pop())
        elif token.type == "inline" and not suppressed:
            kind = next((BLOCK_KINDS[t.type] for t in reversed(stack) if t.type in BLOCK_KINDS), "p")
            if kind == "p" and any(t.type == "list_item_open" for t in stack):
                kind = "li"
            first = token.map[0] + page.body_line if token.map else None
            if by_line:
                lines = _source_lines(token, first)
                text = " ".join(t for _, t in lines)
            else:
                lines = []
                text = "".join([c.content if c.type in _TEXT else " " if c.type in _BREAKS
                                else "" for c in token.children or ()])
            blocks.append(Block(kind, text, lines, first))
    return blocks


def _suppresses(token) -> bool:
    """Whether a block opens with `{.uden-sprogtjek}`."""
    return bool(token.attrs) and SUPPRESS_CLASS in str(token.attrs.get("class", "")).split()


_TEXT = frozenset(("text", "code_inline"))
_BREAKS = frozenset(("softbreak", "hardbreak"))


def _source_lines(token, first: int | None) -> list[tuple[int | None, str]]:
    lines, current, line = [], [], first
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append((line, "".join(current)))
            current, line = [], (line + 1 if line else None)
        elif child.type in ("text", "code_inline"):
            current.append(child.content)
        elif child.type == "image":
            continue
    lines.append((line, "".join(current)))
    return [(n, t) for n, t in lines if t.strip()]


@dataclass
class Reading:
    """What the readability report shows for one page, and the counted blocks behind it."""
    prose: Count | Figures    # paragraphs only: comparable with Danish LIX calculators
    page: Count | Figures     # headings, list items and cells included (Figures: numbers only)
    longest: int          # words in the longest sentence
    blocks: list[tuple[Block, Count]]


def measure(page: Page) -> Reading:
    """Count every block once per render; checks and the report share the result."""
    if page.analysis is not None:
        return page.analysis
    prose, whole, blocks = Count(), Count(), []
    for block in _front_blocks(page) + text_blocks(page):
        count = count_block(block.text)
        blocks.append((block, count))
        whole.add(count)
        if block.kind == "p":
            prose.add(count)
    longest = max((len(s.words) for s in whole.sentences), default=0)
    page.analysis = Reading(prose, whole, longest, blocks)
    return page.analysis


def _front_blocks(page: Page) -> list[Block]:
    """An easy-read page's title and summary, read first and checked like its body (issue
    19): they are the first text a reader meets. The summary is folded YAML, so it is one
    block at the line of its key."""
    if page.variant is not Variant.EASY_READ:
        return []
    blocks = []
    for kind, key, text in (("title", "title", page.front.title),
                            ("summary", "summary", page.front.summary)):
        line = page.front.lines.get(key)
        if text and text.strip():
            blocks.append(Block(kind, text, [(line, " ".join(text.split()))], line))
    return blocks


def check(page: Page, site: Site) -> Iterable[Problem]:
    if page.variant is Variant.EASY_READ:
        yield from _easy_read(page, site)
    else:
        yield from _standard(page, site)


# --- standard pages: advice -------------------------------------------------------------

def _advice(page: Page, line, code: str, message: str) -> Problem:
    return Problem(page.path, line, Severity.INFO, code, message)


def _standard(page: Page, site: Site) -> Iterable[Problem]:
    reading = measure(page)
    lix = reading.prose.rounded
    if reading.prose.words >= 100 and lix is not None and lix >= 45:
        yield _advice(page, None, "pl-lix",
                      f"LIX {lix} ({band(lix)}); sigt efter 40 eller lavere med kortere "
                      "sætninger og kortere ord")
    explained = {t.term for t in page.terms}
    seen: set[str] = set()
    for block, count in reading.blocks:
        for sentence in count.sentences:
            if len(sentence.words) > 25:
                yield _advice(page, block.line, "pl-sentence",
                              f"sætningen har {len(sentence.words)} ord; del den op, så "
                              f"den har højst 25 (\"{_start(sentence.text)}\")")
            if max(map(len, sentence.words)) < 20:
                continue                                  # the common case, counted in C
            for word in sentence.words:
                if len(word) >= 20 and letters(word) >= 20:
                    yield _advice(page, block.line, "pl-long-word",
                                  f"'{word.strip('.,:;()')}' har {letters(word)} bogstaver; "
                                  "overvej at dele ordet op")
        if CAPITALS.search(block.text) is None:
            continue                                      # no abbreviation in the block
        for match in ACRONYM.finditer(block.text):
            abbreviation = match.group(1)
            if abbreviation in seen or abbreviation in NOT_ACRONYMS or abbreviation in explained:
                continue
            seen.add(abbreviation)
            if f"({abbreviation})" not in block.text:
                yield _advice(page, block.line, "pl-abbreviation",
                              f"forkortelsen '{abbreviation}' er ikke forklaret; skriv den fulde "
                              "form første gang eller tilføj den til content/glossary.yaml")
    if site.page_for(page.key, Variant.EASY_READ) is None:
        yield _advice(page, None, "pl-easy-read",
                      "siden har ingen letlæst udgave; skriv index.easy-read.md")


def _line_of(block: Block, sentence: str) -> int | None:
    """The source line where a sentence starts (easy-read text has one sentence a line)."""
    start = " ".join(sentence.split()[:3])
    for line, text in block.lines:
        if start in " ".join(text.split()):
            return line
    return block.line


def _start(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# --- easy-read pages: the strict rules --------------------------------------------------

def _easy_read(page: Page, site: Site) -> Iterable[Problem]:
    error, warning = Severity.ERROR, Severity.WARNING
    reading = measure(page)
    lix = reading.page.rounded
    if reading.page.words >= 100 and lix is not None:
        if lix > 30:
            yield Problem(page.path, None, error, "er-lix",
                          f"LIX {lix} ({band(lix)}); en letlæst side må højst have 30. "
                          "Brug kortere sætninger og kortere ord")
        elif lix >= 25:
            yield Problem(page.path, None, warning, "er-lix",
                          f"LIX {lix} ({band(lix)}); sigt efter 24 eller lavere")
    if reading.page.words > 1000:
        yield Problem(page.path, None, error, "er-length",
                      f"siden har {reading.page.words} ord; en letlæst side må højst have "
                      "1.000. Del den i flere sider")
    elif reading.page.words > 600:
        yield Problem(page.path, None, warning, "er-length",
                      f"siden har {reading.page.words} ord; sigt efter højst 600")
    first_section = next((h for h in page.headings if h.level == 2), None)
    if first_section is None or first_section.text.strip() != "Det vigtigste":
        yield Problem(page.path, first_section.line if first_section else None, warning,
                      "er-summary", "begynd med afsnittet '## Det vigtigste': de vigtigste "
                      "ting kort, før resten")
    explained = {t.term for t in page.terms if t.easy}
    for block, count in reading.blocks:
        yield from _easy_block(page, block, count, explained)
    yield from _easy_tokens(page, site)


def _easy_block(page: Page, block: Block, count: Count, explained: set[str]) -> Iterable[Problem]:
    error, warning = Severity.ERROR, Severity.WARNING
    for sentence in count.sentences:
        n = len(sentence.words)
        line = _line_of(block, sentence.text)
        if n > 15:
            yield Problem(page.path, line, error, "er-sentence",
                          f"sætningen har {n} ord; en letlæst sætning må højst have 15 "
                          f"(\"{_start(sentence.text)}\")")
        elif n > 12:
            yield Problem(page.path, line, warning, "er-sentence",
                          f"sætningen har {n} ord; sigt efter 12 eller færre "
                          f"(\"{_start(sentence.text)}\")")
    for line, text in block.lines:
        # A colon ends a sentence for LIX, but "Mål 1: ..." on one line is one thought.
        ends = [s for s in count_block(text).sentences[:-1] if not s.words[-1].endswith(":")]
        if block.kind not in ("h", "title", "summary") and ends:
            yield Problem(page.path, line, warning, "er-line",
                          "skriv hver sætning på sin egen linje")
    for line, text in block.lines:
        for match in ACRONYM.finditer(text):
            if match.group(1) not in explained and match.group(1) not in NOT_ACRONYMS:
                yield Problem(page.path, line, error, "er-abbreviation",
                              f"'{match.group(1)}' er en forkortelse; skriv ordet helt ud")
        if re.search(r"%|\bprocent\b|\bpct\b", text, re.IGNORECASE):
            yield Problem(page.path, line, error, "er-percent",
                          "skriv ikke procent; skriv fx 'mange', 'få' eller 'halvdelen'")
        sentences = count_block(text).sentences
        if block.kind not in ("h", "title") and any(_formal(s.words) for s in sentences):
            yield Problem(page.path, line, warning, "er-pronoun",
                          "skriv 'du' til læseren i stedet for 'man' eller 'De'")


def _formal(words: list[str]) -> bool:
    """'man' anywhere, or 'De/Dem/Deres' inside a sentence ('De tre planer' starts one)."""
    bare = [w.strip(".,:;!?()\"'”") for w in words]
    return "man" in bare or (bare[:1] == ["Man"]) or \
        any(w in ("De", "Dem", "Deres") for w in bare[1:])


def _easy_tokens(page: Page, site: Site) -> Iterable[Problem]:
    line, has_picture, section_line = None, True, None
    for token in page.tokens:
        if token.map:
            line = token.map[0] + page.body_line
        if token.type == "heading_open" and token.tag == "h2":
            if not has_picture:
                yield _missing_picture(page, section_line, site)
            has_picture, section_line = False, line
        if token.type == "inline":
            child_line = line
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak") and child_line:
                    child_line += 1
                if child.type in ("em_open", "s_open"):
                    yield Problem(page.path, child_line, Severity.ERROR, "er-emphasis",
                                  "brug ikke kursiv eller overstregning i letlæst tekst; "
                                  "fremhæv med fed skrift")
                if child.type == "image":
                    has_picture = True
    if not has_picture:
        yield _missing_picture(page, section_line, site)


def _missing_picture(page: Page, line, site: Site) -> Problem:
    # Only a picture that is in the registry is ever suggested (issue 14).
    example = next(iter(site.pictograms), None)
    hint = f", fx ![](billede:{example})" if example else \
        " fra layouts/pictograms.yaml"
    return Problem(page.path, line, Severity.WARNING, "er-picture",
                   f"afsnittet har intet billede; sæt et billede ved hver overskrift{hint}")
