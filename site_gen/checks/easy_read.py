"""Easy-read rules that LIX cannot see (issue 19): rare words, idioms, the passive, numbers
written as words, a mixed form of address, an ended document that does not say so first,
and (on the finished HTML) the contact part and abbreviations a layout adds.

Every rule reads the same blocks the LIX counter reads (language.measure), title and summary
included, so a line number here is the line the author edits. Each message says what to
write instead (plain-language.md § 4.3, 4.5): the heuristics are tuned on the four real
easy-read pages to give no false alarm there, and stay warnings (advice for the form of
address), never errors, except where a reader would be misled (er-contact).

Codes: er-hard-word, er-phrase, er-passive, er-number-word, er-address, er-status,
er-contact, er-layout-abbreviation; phrase-list problems: those of yamlsafe and not-a-list.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..i18n import _
from ..model import ENDED_STATUSES, Page, Site, Variant
from ..outputs import SIZE_MARKER
from ..problems import ContentError, Problem, Problems, Severity
from ..yamlsafe import YDict, YList, load_yaml
from .language import ACRONYM, NOT_ACRONYMS, Block, measure

PHRASES_FILE = "phrases.yaml"
CONTACT_HEADING = "Hvem kan jeg spørge?"

# --- the phrase list (layouts/phrases.yaml) ---------------------------------------------


@dataclass(frozen=True)
class Phrase:
    phrase: str
    forms: tuple[str, ...]
    instead: str


def load_phrases(layout_dirs: list[Path], display, problems: Problems) -> tuple[Phrase, ...]:
    """The idiom list from the first layouts folder that has one; () when none has.
    Read with the project's safe YAML reader; a bad entry is named with its line."""
    for folder in layout_dirs:
        path = folder / PHRASES_FILE
        if path.exists():
            return _read_phrases(path, display(path), problems)
    return ()


def _read_phrases(path: Path, shown: str, problems: Problems) -> tuple[Phrase, ...]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"), shown, 0, problems)
    except ContentError:
        return ()
    if not isinstance(data, YList):
        problems.error(shown, 1, "not-a-list", _("the phrase list must be a list of entries, "
                                                 "each starting with '- phrase:'"))
        return ()
    found = []
    for item, line in zip(data, data.lines):
        forms = item.get("forms", []) if isinstance(item, YDict) else None
        if not (isinstance(item, YDict) and isinstance(item.get("phrase"), str)
                and isinstance(item.get("instead"), str) and isinstance(forms, list)
                and all(isinstance(f, str) for f in forms)):
            problems.error(shown, line, "bad-value", _("each entry needs 'phrase:' and "
                                                       "'instead:' (text) and may have "
                                                       "'forms: [...]'"))
            continue
        found.append(Phrase(item["phrase"], tuple(forms), item["instead"]))
    return tuple(found)


@functools.lru_cache(maxsize=8)
def _phrase_pattern(phrases: tuple[Phrase, ...]) -> re.Pattern | None:
    """One pattern; the longest form wins where two overlap ('selvstændigt liv')."""
    forms = {f.lower(): p for p in phrases for f in (p.phrase, *p.forms)}
    if not forms:
        return None
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(r"\s+".join(map(re.escape, f.split()))
                                              for f in ordered) + r")(?![\w-])", re.IGNORECASE)


def _phrase_of(phrases: tuple[Phrase, ...], text: str) -> Phrase:
    wanted = " ".join(text.lower().split())
    return next(p for p in phrases for f in (p.phrase, *p.forms) if f.lower() == wanted)


# --- the check on the page's text -------------------------------------------------------

def check(page: Page, site: Site) -> Iterable[Problem]:
    if page.variant is not Variant.EASY_READ:
        return
    blocks = [b for b, _ in measure(page).blocks]
    lines = [(line, text, block) for block in blocks for line, text in _lines(block)]
    explained = _explained_here(lines)
    warn = lambda line, code, message: Problem(page.path, line, Severity.WARNING, code, message)
    pattern = _phrase_pattern(site.phrases)
    for line, text, block in lines:
        words = _words(text)
        phrases = list(pattern.finditer(text)) if pattern is not None else []
        in_phrase = {w.lower() for m in phrases for w in _words(m.group(1))}   # said once
        hard = [w for w in words if w.lower() not in in_phrase
                and _is_hard(w, explained, page, site)]
        if hard:
            yield warn(line, "er-hard-word",
                       _("words many readers do not know: {words}; write a common word, explain "
                         "the word in the next sentence, or explain it in content/glossary.yaml "
                         "with 'easy:'").format(words=_listed(hard)))
        for match in phrases:
            phrase = _phrase_of(site.phrases, match.group(1))
            yield warn(line, "er-phrase",
                       _("'{phrase}' is a figurative or abstract expression; {instead}").format(
                           phrase=match.group(1), instead=phrase.instead))
        for sentence in block.count_line(text).sentences:  # a summary may hold two
            said = _words(sentence.text)
            for found in passives(said):
                yield warn(line, "er-passive",
                           _("'{found}' does not say who does it; say who, e.g. 'kommunen "
                             "spørger rådet' (the municipality asks the council) instead of "
                             "'rådet bliver spurgt' (the council is asked)").format(found=found))
            for number, digit in number_words(said):
                yield warn(line, "er-number-word",
                           _("write {digit}, not {number}").format(digit=digit, number=number))
    yield from _address(page, lines)
    yield from _status(page, site, lines)


def _lines(block: Block) -> list[tuple[int | None, str]]:
    return block.lines or [(block.line, block.text)]


_LETTERS = "A-Za-zÆØÅæøåÉéÜüÖöÄä"
_WORD = re.compile(f"[{_LETTERS}]+(?:-[{_LETTERS}]+)*|\\d+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _listed(words: list[str]) -> str:
    unique = list(dict.fromkeys(words))
    return ", ".join(f"'{w}'" for w in unique)


# --- rare words (wordfreq) ----------------------------------------------------------------

# Zipf 3 = once per million words. wordfreq's Danish list (Wikipedia, subtitles, news, web)
# puts everyday words at 4 and above (hjælp 5.3, bolig 4.6, kørestol 3.6) and words a
# reader of easy-read text is unlikely to know below 3 (forperson, ramper ~0). A stricter
# line (3.5 or 4) flagged common inflections (boligerne 3.1, afdelingerne 3.1) on the real
# pages; abstract words with a high score (selvstændigt 4.2) are caught by the phrase list.
ZIPF_COMMON = 3.0
_ENDINGS = ("ernes", "erne", "ene", "ens", "ets", "ers", "en", "et", "er", "ne", "es",
            "e", "s", "t", "r")


@functools.lru_cache(maxsize=None)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency          # loads its list once, on first use
    return zipf_frequency(word, "da")


@functools.lru_cache(maxsize=None)
def is_common(word: str) -> bool:
    """Whether a lower-case word, an inflection of one, or a compound of two is common."""
    return _known(word) or _compound(word)


def _known(word: str) -> bool:
    if _zipf(word) >= ZIPF_COMMON:
        return True
    for ending in _ENDINGS:          # boligerne -> bolig, ramper -> rampe
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= 3 and (
                _zipf(stem) >= ZIPF_COMMON or _zipf(stem + "e") >= ZIPF_COMMON):
            return True
    return False


def _compound(word: str) -> bool:
    """Danish writes compounds as one word, and wordfreq knows few of them: hverdags+liv,
    handicap+rådet, køre+stole. Both parts must be common; the first has 4 letters or more
    (with a linking s or e), so 'for+person' or 'bo+tilbud' do not pass as plain words, and
    a compound of more than 12 letters (funktionsnedsættelse) never does."""
    if len(word) > 12:
        return False         # sektoransvarlighed: known parts, yet not an everyday word
    for i in range(4, len(word) - 2):
        left, right = word[:i], word[i:]
        if not _known(right):
            continue
        if _zipf(left) >= ZIPF_COMMON or (left[-1] in "se" and len(left) > 4
                                          and _zipf(left[:-1]) >= ZIPF_COMMON):
            return True
    return False


def _is_hard(word: str, explained: set[str], page: Page, site: Site) -> bool:
    if len(word) < 4 or not word.isalpha() or not word.islower():
        return False         # numbers, short words, names (capital letter)
    if is_common(word) or any(word.startswith(e) for e in explained if len(e) >= 5 or e == word):
        return False
    glossary = site.glossary
    return glossary is None or glossary.find(word, page.front.municipality) is None


# "X betyder ...", "Et X er ...", "... hedder en X", "Det kaldes X": the page explains X.
_EXPLAINS = (re.compile(r"^(?:en |et |den |det |de )?([\wæøå-]+) (?:er|betyder)\b", re.I),
             re.compile(r"\b(?:kaldes|hedder) (?:en |et )?([\wæøå-]+)", re.I))


def _explained_here(lines) -> set[str]:
    found = set()
    for _line, text, _block in lines:
        for pattern in _EXPLAINS:
            for match in pattern.finditer(text.strip()):
                found.add(match.group(1).lower())
    return found


# --- the passive ------------------------------------------------------------------------

MODALS = frozenset("skal kan må vil skulle kunne ville bør burde".split())
AUXILIARIES = frozenset("bliver blev blive blevet er var været".split())
_BETWEEN = frozenset("ikke også altid gerne kun nu snart aldrig stadig derfor heller "
                     "allerede ofte tit nok".split())
# s-forms that are not passive: deponent and reciprocal verbs (plain-language.md § 4.5).
DEPONENTS = frozenset("findes fandtes synes syntes lykkes lykkedes færdes mødes trives "
                      "længes skændes slås mindes enes ses kendes trænges undres væmmes "
                      "hedes".split())
# Past participles that do not end in -et; -et ones are found by their ending.
PARTICIPLES_T = frozenset("spurgt betalt valgt hørt købt sendt lært sagt gjort kendt "
                          "bestemt godkendt ansat sat lagt talt tænkt solgt brugt vist bragt "
                          "født dømt glemt nævnt mærket skrevet".split())
_NOT_PARTICIPLES = frozenset("meget noget det et helt slet lidt ret let sket".split())


def passives(words: list[str]) -> list[str]:
    """The passive constructions in one sentence's words, as written: 'skal behandles',
    'bliver spurgt', 'er skrevet', and a finite s-passive in the verb's place
    ('Hjælpen betales ...', '... som løses')."""
    low = [w.lower() for w in words]
    found = []
    for i, word in enumerate(low):
        j = i + 1
        while j < len(low) and low[j] in _BETWEEN:
            j += 1
        if j >= len(low):
            continue
        nxt = low[j]
        if word in MODALS and _s_passive(nxt):
            found.append(" ".join(words[i:j + 1]))
        elif word in AUXILIARIES and _participle(nxt) and not _inverted(low, i):
            found.append(" ".join(words[i:j + 1]))
    for i, word in enumerate(low):
        if _verb_place(low, i) and words[i].islower() and _s_passive(word):
            found.append(words[i])
    return found


# Words that open a two-word subject: "Din sag behandles", "Den plan bruges".
_DETERMINERS = frozenset("din dit dine min mit mine hans hendes deres vores jeres den det de "
                         "denne dette disse".split())


def _verb_place(low: list[str], i: int) -> bool:
    """Where a main clause or a 'som'/'der' clause has its finite verb: after a one-word
    subject ('Hjælpen betales'), a determiner and a noun ('Din sag behandles'), right
    after 'som'/'der', or after 'at'/'når'/... and a one-word subject ('at ting bygges').
    After 'en'/'et' an -es word is a genitive ('en kommunes plan')."""
    if i == 1:
        return low[0] not in ("en", "et")
    if i == 2 and low[0] in _DETERMINERS:
        return True
    # 'som bruges', and a clause with a one-word subject: 'at ting bygges', 'når sagen løses'
    return i > 1 and (low[i - 1] in ("som", "der") or low[i - 2] in _SUBORDINATORS)


_SUBORDINATORS = frozenset("at når hvis fordi før mens".split())


# A sentence that starts with one of these puts the subject after the verb: in "Så er målet
# ..." the word after 'er' is the subject, not a participle.
_FRONTED = frozenset("så derfor nu her der da hvor hvad hvem hvorfor hvordan hvornår også "
                     "altid ofte tit i hvis når".split())


def _inverted(low: list[str], i: int) -> bool:
    return i == 0 or (i == 1 and low[0] in _FRONTED)


def _s_passive(word: str) -> bool:
    return (len(word) >= 5 and word.endswith("es") and word not in DEPONENTS
            and word.isalpha())


def _participle(word: str) -> bool:
    if word in _NOT_PARTICIPLES or not word.isalpha():
        return False
    return word in PARTICIPLES_T or (len(word) >= 5 and word.endswith("et")
                                     and not _known_noun_et(word))


def _known_noun_et(word: str) -> bool:
    """A definite neuter noun ('rådet', 'arbejdet') also ends in -et; after 'er' it is rare
    ('Det er arbejdet, der ...'), but a common noun form with the -et removed is a hint."""
    return word[:-2] in ("råd", "arbejd", "hjem", "hus", "møde", "samfund", "sted", "liv")


# --- numbers written as words -----------------------------------------------------------

NUMBERS = {"to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9,
           "ti": 10, "elleve": 11, "tolv": 12}
# The word after a number that is not a noun: 'to og to', 'tre af dem'.
_NOT_NOUNS = frozenset("og eller af i på til om med for fra som der at end gange".split())


def number_words(words: list[str]) -> list[tuple[str, int]]:
    """('tre', 3) for each number from two to twelve written as a word before a noun
    ('en'/'et' are articles as often as numbers, so they are left alone)."""
    found = []
    for i, word in enumerate(words[:-1]):
        value = NUMBERS.get(word.lower())
        nxt = words[i + 1]
        if value and nxt.isalpha() and nxt.islower() and nxt not in _NOT_NOUNS:
            found.append((word, value))
    return found


# --- one form of address ----------------------------------------------------------------

_WE = re.compile(r"(?<![\w-])(?:vi|vores|os)(?![\w-])", re.IGNORECASE)
_MUNICIPALITY_SUBJECT = re.compile(
    r"^(?:kommunen\b|\w+ (?:vil|skal|kan|har|er|ser|taler|arbejder|hjælper|giver|"
    r"fortæller|bygger|laver|ville|skulle) kommunen\b)", re.IGNORECASE)


def _address(page: Page, lines) -> Iterable[Problem]:
    """Advice when the municipality speaks as 'vi' on one line and as 'kommunen' on another
    (a quotation after 'siger:' is somebody else speaking)."""
    we, they, quoted = None, None, False
    for line, text, block in lines:
        if block.kind in ("h", "title"):
            continue
        if quoted:
            quoted = False
            continue
        quoted = text.rstrip().endswith("siger:")
        if we is None and _WE.search(text):
            we = line
        if they is None and _MUNICIPALITY_SUBJECT.search(text.strip()):
            they = line
    if we is not None and they is not None:
        yield Problem(page.path, we, Severity.INFO, "er-address",
                      _("the page calls the municipality both 'vi' (we) and 'kommunen' (the "
                        "municipality); choose one and use it on the whole page, e.g. "
                        "'kommunen'"))


# --- an ended document says so first ----------------------------------------------------

_SAYS_ENDED = re.compile(r"gælder ikke (?:længere|mere)|ikke (?:længere|mere) gælder|"
                         r"er (?:slut|udløbet|erstattet|afløst)|sluttede|stoppede",
                         re.IGNORECASE)


def _status(page: Page, site: Site, lines) -> Iterable[Problem]:
    """The author marked the document as ended: the layout's banner says so first, and the
    text must not say otherwise. What the calendar ended is validate.py's period-ended
    (issue 26): a date never makes an error."""
    if site.document_front(page).status not in ENDED_STATUSES:
        return
    sections = [h.line for h in page.headings if h.level == 2]
    start = sections[0] if sections else 0
    stop = sections[1] if len(sections) > 1 else None
    first = [text for line, text, block in lines
             if block.kind not in ("title", "summary") and line is not None
             and line > start and (stop is None or line < stop)]
    if not any(_SAYS_ENDED.search(text) for text in first):
        yield Problem(page.path, start or None, Severity.WARNING, "er-status",
                      _("the document no longer applies; say so in the first section too, e.g. "
                        "'Planen gjaldt til juli 2014. Den gælder ikke længere.' (The plan "
                        "applied until July 2014. It no longer applies.)"))


# --- the finished HTML: contact part and the layout's own words -------------------------

# Abbreviations a layout may print around the text; the text itself is checked on its tokens.
_LAYOUT_ABBREVIATIONS = re.compile(r"\b(?:CC BY-SA|PDF|kB|KB|MB)\b")


def check_html(page: Page, tree) -> Iterable[Problem]:
    """On an easy-read page's HTML: a "Hvem kan jeg spørge?" part (written or generated),
    and no abbreviation in what the layout adds around the content."""
    from .html import _in_content      # html.py calls this function: import when called
    if page.variant is not Variant.EASY_READ:
        return
    main = tree.css_first("main")
    if main is None:
        return
    headings = [" ".join(h.text().split()) for h in main.css("h2")]
    if CONTACT_HEADING not in headings:
        yield Problem(page.path, None, Severity.ERROR, "er-contact",
                      _("the page has no part called '{heading}'; write the section "
                        "'## {heading}' with the municipality's phone number or website, or "
                        "use the layout easy-read.html, which makes it from "
                        "content/site.yaml").format(heading=CONTACT_HEADING))
    found: list[str] = []
    for node in main.css("p, a, span, h2, dt, dd, li"):
        if _in_content(node) or _authors(node):
            continue
        # The PDF's size is filled in after the check (pdf.py).
        text = node.text(deep=False).replace(SIZE_MARKER, "1 kB")
        spans = [m.span() for m in _LAYOUT_ABBREVIATIONS.finditer(text)]
        found += [text[a:b] for a, b in spans]
        found += [m.group(1) for m in ACRONYM.finditer(text) if m.group(1) not in NOT_ACRONYMS
                  and not any(a <= m.start() < b for a, b in spans)]
    for abbreviation in dict.fromkeys(found):
        yield _layout_abbreviation(page, abbreviation)


# What the author wrote or chose around the text: checked on the tokens (title, summary) or
# explained by the glossary (the word list).
_AUTHORS = frozenset(("summary", "tested", "terms"))


def _authors(node) -> bool:
    while node is not None and node.tag != "main":
        if _AUTHORS & set((node.attributes.get("class") or "").split()):
            return True
        node = node.parent
    return False


def _layout_abbreviation(page: Page, found: str) -> Problem:
    return Problem(page.path, None, Severity.ERROR, "er-layout-abbreviation",
                   _("the layout writes the abbreviation '{abbreviation}' on an easy-read page; "
                     "write it out in words in layouts/easy-read.html").format(
                       abbreviation=found))
