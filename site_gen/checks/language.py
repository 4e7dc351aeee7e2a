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
from dataclasses import dataclass, field
from typing import Iterable

from ..i18n import _
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
    counted: dict[str, Count] = field(default_factory=dict, repr=False, compare=False)

    def count_line(self, text: str) -> Count:
        """The count of one of the block's lines (easy-read rules are per line), made once
        for every rule that reads it (issue 28: one sentence split of each text)."""
        count = self.counted.get(text)
        if count is None:
            count = self.counted[text] = count_block(text)
        return count


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
        if block.lines:
            block.counted.setdefault(block.text, count)    # a one-line block: the same text
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


def _band(lix: int) -> str:
    """The band of a LIX as a message names it (band() is the Danish name the readability
    report shows)."""
    return {"meget let": _("very easy"), "let": _("easy"), "middel": _("medium"),
            "svær": _("difficult"), "meget svær": _("very difficult")}[band(lix)]


def _standard(page: Page, site: Site) -> Iterable[Problem]:
    reading = measure(page)
    lix = reading.prose.rounded
    if reading.prose.words >= 100 and lix is not None and lix >= 45:
        yield _advice(page, None, "pl-lix",
                      _("LIX {lix} ({band}); aim for 40 or lower with shorter sentences and "
                        "shorter words").format(lix=lix, band=_band(lix))
                      + _lix_pointers(reading, prose_only=True))
    explained = {t.term for t in page.terms}
    seen: set[str] = set()
    # Each message is looked up once a page, not once a sentence (48,000 look-ups in a cold
    # build of 1,000 documents; issue 28).
    too_long = _("the sentence has {words} words; split it up so that it has at most 25 "
                 "(\"{start}\")")
    for block, count in reading.blocks:
        for sentence in count.sentences:
            if len(sentence.words) > 25:
                yield _advice(page, block.line, "pl-sentence", too_long.format(
                    words=len(sentence.words), start=_start(sentence.text)))
            if max(map(len, sentence.words)) < 20:
                continue                                  # the common case, counted in C
            for word in sentence.words:
                if len(word) >= 20 and letters(word) >= 20:
                    yield _advice(page, block.line, "pl-long-word",
                                  _("'{word}' has {letters} letters; consider splitting the "
                                    "word up").format(word=word.strip(".,:;()"),
                                                      letters=letters(word)))
        if CAPITALS.search(block.text) is None:
            continue                                      # no abbreviation in the block
        for match in ACRONYM.finditer(block.text):
            abbreviation = match.group(1)
            if abbreviation in seen or abbreviation in NOT_ACRONYMS or abbreviation in explained:
                continue
            seen.add(abbreviation)
            if f"({abbreviation})" not in block.text:
                yield _advice(page, block.line, "pl-abbreviation",
                              _("the abbreviation '{abbreviation}' is not explained; write the "
                                "full form the first time or add it to "
                                "content/glossary.yaml").format(abbreviation=abbreviation))
    if site.page_for(page.key, Variant.EASY_READ) is None:
        yield _advice(page, None, "pl-easy-read",
                      _("the page has no easy-read version; write index.easy-read.md"))


def _lix_pointers(reading: Reading, prose_only: bool = False, sentences: int = 3,
                  words: int = 5) -> str:
    """What to shorten for a lower LIX (issue 30): one sentence on what LIX counts, the
    longest sentences (quoted, with their line) and the long words that weigh most (those
    used most often; each use counts). Read from the counts measure() made: the long words
    are the counter's own, and only a sentence of more than 10 words is ever quoted."""
    found, long_words = [], {}
    for block, count in reading.blocks:
        if prose_only and block.kind != "p":
            continue
        for sentence in count.sentences:
            if len(sentence.words) > 10:
                text = sentence.text
                found.append((len(sentence.words), _line_of(block, text), text))
        for word in count.long:
            core = word.strip(".,:;()!?\"'«»“”").lower()
            long_words[core] = long_words.get(core, 0) + 1
    found = sorted(set(found), key=lambda item: (-item[0], item[1] or 0, item[2]))
    seen: set[str] = set()
    found = [item for item in found if not (item[2] in seen or seen.add(item[2]))]
    quoted = "; ".join(_("\"{start}\" (line {line}, {words} words)").format(
        start=_start(text, 6), line=line, words=length) for length, line, text in
        found[:sentences] if length > 10)
    heavy = sorted(long_words.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    listed = ", ".join(f"'{word}'" + (f" (x{times})" if times > 1 else "")
                       for word, times in heavy[:words])
    text = _(". LIX is the average number of words per sentence plus the percentage of "
             "words of more than six letters")
    if quoted:
        text += _(". Shorten the longest sentences: {sentences}").format(sentences=quoted)
    if listed:
        text += _(". Long words that weigh most: {words}").format(words=listed)
    return text


def _line_of(block: Block, sentence: str) -> int | None:
    """The source line where a sentence starts (easy-read text has one sentence a line)."""
    if not block.lines:
        return block.line
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
                          _("LIX {lix} ({band}); an easy-read page may have at most 30. Use "
                            "shorter sentences and shorter words").format(lix=lix,
                                                                          band=_band(lix))
                          + _lix_pointers(reading))
        elif lix >= 25:
            yield Problem(page.path, None, warning, "er-lix",
                          _("LIX {lix} ({band}); aim for 24 or lower").format(lix=lix,
                                                                             band=_band(lix))
                          + _lix_pointers(reading))
    if reading.page.words > 1000:
        yield Problem(page.path, None, error, "er-length",
                      _("the page has {words} words; an easy-read page may have at most "
                        "1,000. Split it into several pages").format(words=reading.page.words))
    elif reading.page.words > 600:
        yield Problem(page.path, None, warning, "er-length",
                      _("the page has {words} words; aim for 600 at most").format(
                          words=reading.page.words))
    first_section = next((h for h in page.headings if h.level == 2), None)
    if first_section is None or first_section.text.strip() != "Det vigtigste":
        yield Problem(page.path, first_section.line if first_section else None, warning,
                      "er-summary", _("start with the section '## Det vigtigste' (the most "
                                      "important): the most important things in short, "
                                      "before the rest"))
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
                          _("the sentence has {words} words; an easy-read sentence may have at "
                            "most 15 (\"{start}\")").format(words=n, start=_start(sentence.text)))
        elif n > 12:
            yield Problem(page.path, line, warning, "er-sentence",
                          _("the sentence has {words} words; aim for 12 or fewer "
                            "(\"{start}\")").format(words=n, start=_start(sentence.text)))
    for line, text in block.lines:
        # A colon ends a sentence for LIX, but "Mål 1: ..." on one line is one thought.
        ends = [s for s in block.count_line(text).sentences[:-1] if not s.words[-1].endswith(":")]
        if block.kind not in ("h", "title", "summary") and ends:
            yield Problem(page.path, line, warning, "er-line",
                          _("write each sentence on a line of its own"))
    for line, text in block.lines:
        for match in ACRONYM.finditer(text):
            if match.group(1) not in explained and match.group(1) not in NOT_ACRONYMS:
                yield Problem(page.path, line, error, "er-abbreviation",
                              _("'{abbreviation}' is an abbreviation; write the word out in "
                                "full").format(abbreviation=match.group(1)))
        if re.search(r"%|\bprocent\b|\bpct\b", text, re.IGNORECASE):
            yield Problem(page.path, line, error, "er-percent",
                          _("do not write percentages; write e.g. 'mange' (many), 'få' (few) "
                            "or 'halvdelen' (half)"))
        sentences = block.count_line(text).sentences
        if block.kind not in ("h", "title") and any(_formal(s.words) for s in sentences):
            yield Problem(page.path, line, warning, "er-pronoun",
                          _("call the reader 'du' (you) instead of 'man' (one) or 'De' (the "
                            "formal you)"))


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
                                  _("do not use italics or strikethrough in easy-read text; "
                                    "use bold for emphasis"))
                if child.type == "image":
                    has_picture = True
    if not has_picture:
        yield _missing_picture(page, section_line, site)


def _missing_picture(page: Page, line, site: Site) -> Problem:
    # Only a picture that is in the registry is ever suggested (issue 14).
    example = next(iter(site.pictograms), None)
    if example:
        message = _("the section has no picture; put a picture next to each heading, e.g. "
                    "![](billede:{example})").format(example=example)
    else:
        message = _("the section has no picture; put a picture from layouts/pictograms.yaml "
                    "next to each heading")
    return Problem(page.path, line, Severity.WARNING, "er-picture", message)
