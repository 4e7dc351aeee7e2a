"""What a Word document leaves behind, flagged on every build until it is fixed (issue 30):
the notes `build.py import` writes (import-noter.md) are read once, but these stay in the
text after the build passes, so the build names them itself, on any page.

- Word's automatic image descriptions ("Et billede, der indeholder tekst, skærmbillede",
  "A picture containing ...", in the languages Word writes them): a screen reader reads
  them as the picture's description. Code: auto-alt.
- Invisible characters in the text (a soft hyphen in "handi-cap", a zero-width space, a
  word joiner): they split words for search and for screen readers. Code: invisible-character.
- A contents list typed with page numbers: the page makes its own from the headings, and
  the numbers are the printed pages'. Code: typed-contents.
- A document naming another municipality more often than its own ("Herlev Kommune" in
  content/viborg/): probably the wrong document, or a copy not yet adapted. Code:
  other-municipality.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..i18n import _
from ..model import Page, Site
from ..problems import Problem, Severity

# How Word begins or ends the descriptions it writes itself, in the languages of Danish
# offices (Danish, English, German, Swedish, Norwegian).
AUTOMATIC_ALT = re.compile(
    r"^\s*(?:et |en )?(?:billede|bilde|bild|picture|image)(?:,)? (?:der|som|that|das)? ?"
    r"(?:indeholder|inneholder|innehåller|visar|viser|contains|containing|enthält)"
    r"|^\s*(?:a|an) (?:picture|close-up|screenshot|drawing|diagram) (?:of|containing)"
    r"|^\s*ein bild, das"
    r"|(?:automatisk genereret beskrivelse|beskrivelse genereret automatisk|description "
    r"automatically generated|automatisch generierte beskreibung|automatiskt genererad "
    r"beskrivning|automatisk generert beskrivelse)\s*\.?\s*$", re.IGNORECASE)

# Invisible characters Word and PDFs leave in text; a no-break space is visible spacing and
# is left alone, as is the zero-width joiner inside emoji.
INVISIBLE = "\u00ad\u200b\u200c\u2060\ufeff\u200e\u200f"


def _name_of(char: str) -> str:
    return {"\u00ad": _("soft hyphen"), "\u200b": _("zero-width space"),
            "\u200c": _("zero-width non-joiner"), "\u2060": _("word joiner"),
            "\ufeff": _("zero-width no-break space"), "\u200e": _("left-to-right mark"),
            "\u200f": _("right-to-left mark")}[char]


_INVISIBLE = re.compile(f"[{INVISIBLE}]")

# "Indledning ........ 3", "Indledning … 3", "Indledning 3" (a tab became a space).
CONTENTS_ENTRY = re.compile(r"^(?P<text>.*?\S)(?P<leader>\s*(?:\.{3,}|…+)\s*|\s+)(?P<page>\d{1,3})$")
CONTENTS_TITLE = re.compile(r"^(?:indhold|indholdsfortegnelse|contents|table of contents)\s*:?$",
                            re.IGNORECASE)

# The 98 municipalities of Denmark, as their names are written before "Kommune".
MUNICIPALITIES = (
    "Albertslund", "Allerød", "Assens", "Ballerup", "Billund", "Bornholms", "Brøndby",
    "Brønderslev", "Dragør", "Egedal", "Esbjerg", "Fanø", "Favrskov", "Faxe", "Fredensborg",
    "Fredericia", "Frederiksberg", "Frederikshavn", "Frederikssund", "Furesø",
    "Faaborg-Midtfyn", "Gentofte", "Gladsaxe", "Glostrup", "Greve", "Gribskov", "Guldborgsund",
    "Haderslev", "Halsnæs", "Hedensted", "Helsingør", "Herlev", "Herning", "Hillerød",
    "Hjørring", "Holbæk", "Holstebro", "Horsens", "Hvidovre", "Høje-Taastrup", "Hørsholm",
    "Ikast-Brande", "Ishøj", "Jammerbugt", "Kalundborg", "Kerteminde", "Kolding", "Københavns",
    "Køge", "Langeland", "Lejre", "Lemvig", "Lolland", "Lyngby-Taarbæk", "Læsø",
    "Mariagerfjord", "Middelfart", "Morsø", "Norddjurs", "Nordfyns", "Nyborg", "Næstved",
    "Odder", "Odense", "Odsherred", "Randers", "Rebild", "Ringkøbing-Skjern", "Ringsted",
    "Roskilde", "Rudersdal", "Rødovre", "Samsø", "Silkeborg", "Skanderborg", "Skive",
    "Slagelse", "Solrød", "Sorø", "Stevns", "Struer", "Svendborg", "Syddjurs", "Sønderborg",
    "Thisted", "Tønder", "Tårnby", "Vallensbæk", "Varde", "Vejen", "Vejle", "Vesthimmerlands",
    "Viborg", "Vordingborg", "Ærø", "Aabenraa", "Aalborg", "Aarhus")
_NAMED = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(MUNICIPALITIES, key=len,
                                                                 reverse=True))
                    + r")s? (?:Regions)?[Kk]ommunes?\b")


def check(page: Page, site: Site) -> Iterable[Problem]:
    yield from _automatic_alt(page)
    yield from _invisible(page)
    yield from _typed_contents(page)
    yield from _other_municipality(page, site)


def _lines(page: Page):
    """(file line, token) of the page's own tokens (not their children)."""
    line = page.body_line
    for token in page.tokens:
        if token.map:
            line = token.map[0] + page.body_line
        yield line, token


def _children(page: Page, kind: str):
    """(file line, child) of the children of one type (text, image) of the page's tokens:
    a page has some 750 tokens with 30,000 children, and each check wants one type."""
    for line, token in _lines(page):
        for child in token.children or ():
            if child.type == kind:
                yield line, child


def _automatic_alt(page: Page) -> Iterable[Problem]:
    for line, token in _children(page, "image"):
        alt = " ".join((token.content or token.attrGet("alt") or "").split())
        if alt and AUTOMATIC_ALT.search(alt):
            yield Problem(page.path, line, Severity.WARNING, "auto-alt", _(
                "the description of '{src}' was written by Word ('{alt}'); say what the "
                "picture shows that the text does not, or mark it {{.decorative}}").format(
                    src=token.attrGet("src") or "", alt=_short(alt)))


def _invisible(page: Page) -> Iterable[Problem]:
    for number, text in enumerate((page.body or "").split("\n"), start=page.body_line):
        found = _INVISIBLE.search(text)
        if not found:
            continue
        start = text.rfind(" ", 0, found.start()) + 1
        end = text.find(" ", found.end())
        word = text[start:end if end != -1 else len(text)]
        shown = _INVISIBLE.sub("[" + _("invisible") + "]", word)
        names = sorted({_name_of(char) for char in _INVISIBLE.findall(text)})
        yield Problem(page.path, number, Severity.WARNING, "invisible-character", _(
            "'{word}' has a character that cannot be seen ({names}); it splits the word for "
            "search and screen readers. Delete it (in an editor that shows it, or write the "
            "word again)").format(word=shown, names=", ".join(names)))


def _typed_contents(page: Page) -> Iterable[Problem]:
    """A list (or run of paragraphs) of three or more 'text ... page number' entries."""
    run, previous_text = [], ""
    for line, token in _lines(page):
        if token.type != "inline":
            continue
        text = " ".join(token.content.split())
        # An entry ends with its page number; the pattern is tried only then (its lazy
        # first group makes a miss cost a scan of the paragraph for each of its spaces).
        entry = CONTENTS_ENTRY.match(text) if text[-1:].isdecimal() else None
        if entry:
            run.append((line, entry, previous_text))
        else:
            yield from _contents_run(page, run)
            run = []
            previous_text = text
    yield from _contents_run(page, run)


def _contents_run(page: Page, run: list) -> Iterable[Problem]:
    if len(run) < 3:
        return
    pages = [int(entry.group("page")) for _, entry, _ in run]
    if pages != sorted(pages):
        return
    leaders = any(entry.group("leader").strip() for _, entry, _ in run)
    titled = bool(CONTENTS_TITLE.match(run[0][2]))
    first_words = {entry.group("text").split()[0].lower() for _, entry, _ in run}
    jumps = max(b - a for a, b in zip(pages, pages[1:])) > 1
    # "Trin 1, Trin 2, Trin 3" is a numbered list, not a contents list.
    if leaders or titled or (jumps and len(first_words) > 1):
        yield Problem(page.path, run[0][0], Severity.WARNING, "typed-contents", _(
            "this looks like a contents list typed with page numbers ('{entry}'); delete it: "
            "the page makes its own from the headings, and the web page has no such page "
            "numbers").format(entry=_short(run[0][1].group(0))))


def _other_municipality(page: Page, site: Site) -> Iterable[Problem]:
    owner = site.config.municipalities.get(page.front.municipality)
    if owner is None:
        return
    own = _NAMED.search(owner.name)
    own_stem = own.group(1) if own else owner.name
    counts, first = {}, {}
    # Only a text saying 'kommune' can name one (the pattern ends with [Kk]ommunes?).
    text_lines = [(line, child.content) for line, child in _children(page, "text")
                  if "ommune" in child.content]
    for line, text in [(page.front.lines.get("title", page.body_line), page.front.title),
                       (page.front.lines.get("summary", page.body_line), page.front.summary)] \
            + text_lines:
        for found in _NAMED.finditer(text or ""):
            stem = found.group(1)
            counts[stem] = counts.get(stem, 0) + 1
            first.setdefault(stem, (line, found.group(0)))
    others = sorted((n, stem) for stem, n in counts.items() if stem != own_stem)
    if not others:
        return
    times, stem = others[-1]
    if times <= counts.get(own_stem, 0):
        return
    line, written = first[stem]
    yield Problem(page.path, line, Severity.WARNING, "other-municipality", _(
        "the document names '{other}' {times} times and {own} {own_times} times, but it is "
        "published as {own}'s (content/{folder}/); check that it is the right document and "
        "that its text is {own}'s, or move it").format(
            other=written, times=times, own=owner.name, own_times=counts.get(own_stem, 0),
            folder=page.front.municipality))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
