"""LIX for Danish, counted as shared/guides/plain-language.md § 1.5 says.

One segmenter serves LIX and every per-sentence check, so authors never see two different
counts. `textstat` is not used: it counts Danish wrongly (§ 2.1).

    LIX = words / sentences + 100 * long words / words
    long word = more than 6 letters (letters only; URLs, e-mails and numbers never long)
    a sentence ends at . ! ? :  but an abbreviation or ordinal dot ends one only at the end
    of a block or before a capital letter; a block without a closing mark is one sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ABBREVIATIONS = frozenset("""
bl.a. jf. dvs. f.eks. fx. ca. nr. stk. pkt. m.fl. mv. m.v. osv. evt. inkl. ekskl. kl. tlf.
pct. kr. mio. mia. pga. p.g.a. ift. iht. mht. vedr. ifm. hhv. pr. mm. m.m. bla. e.l. etc.
s. f. jan. feb. mar. apr. jun. jul. aug. sep. sept. okt. nov. dec. ang. gl. max. min. mhp.
""".split())
_LETTER = re.compile(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä]")
_STRIP = "()[]\"'«»“”‘’„,;"
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[^@\s]+@[^@\s]+\.\w+$|^\S+\.(?:dk|com|org|net|eu)\S*$",
                  re.IGNORECASE)
_ENDS = (".", "!", "?", ":")
_LIST_MARKER = re.compile(r"^(?:[-•*→]|\d+[.)])$")


@dataclass
class Sentence:
    words: list[str]

    @property
    def text(self) -> str:
        return " ".join(self.words)


def _lix(words: int, long_words: int, sentences: int) -> float | None:
    """None when there is no text at all."""
    if not words or not sentences:
        return None
    return words / sentences + 100 * long_words / words


def _rounded(value: float | None) -> int | None:
    return None if value is None else int(value + 0.5)   # round half up (§ 1.2)


@dataclass(frozen=True)
class Figures:
    """A Count's numbers without its sentences: what the report keeps of a page."""
    words: int
    long_words: int
    sentences: int

    @property
    def lix(self) -> float | None:
        return _lix(self.words, self.long_words, self.sentences)

    @property
    def rounded(self) -> int | None:
        return _rounded(self.lix)


@dataclass
class Count:
    words: int = 0
    long_words: int = 0
    sentences: list[Sentence] = field(default_factory=list)

    def add(self, other: "Count") -> None:
        self.words += other.words
        self.long_words += other.long_words
        self.sentences.extend(other.sentences)

    def figures(self) -> Figures:
        return Figures(self.words, self.long_words, len(self.sentences))

    @property
    def lix(self) -> float | None:
        return _lix(self.words, self.long_words, len(self.sentences))

    @property
    def rounded(self) -> int | None:
        return _rounded(self.lix)


def normalise(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u00ad", "")
    return re.sub(r"\s[–—]\s|[–—]", " ", text)


def tokens(text: str) -> list[str]:
    """Word tokens of a block: whitespace-separated, list markers and bare punctuation dropped."""
    raw = normalise(text).split()
    if raw and _LIST_MARKER.match(raw[0]):
        raw = raw[1:]
    search = _WORDLIKE.search
    return [token for token in raw if search(token)]


_PUNCT = _STRIP + ".!?:"


# A token is a word when it has a letter or a digit (§ 1.2: digit tokens count as words).
_WORDLIKE = re.compile(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä0-9]")


def letters(token: str) -> int:
    core = token.strip(_PUNCT)
    if core and _all_danish(core):           # the common case: a plain word
        return len(core)
    if _URL.match(core) or not _LETTER.search(core):
        return 0
    return len(_LETTER.findall(core))


_DANISH_WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÜüÖöÄä]+")


def _all_danish(word: str) -> bool:
    return _DANISH_WORD.fullmatch(word) is not None


def is_long(token: str) -> bool:
    return len(token) > 6 and letters(token) > 6


def _ends_sentence(token: str, following: str | None) -> bool:
    bare = token.rstrip(_STRIP.replace(",", "").replace(";", ""))
    if not bare.endswith(_ENDS):
        return False
    if bare.endswith((":", "!", "?")):
        return True
    core = bare.strip(_STRIP).lower()
    is_abbreviation = core in ABBREVIATIONS or re.fullmatch(r"\d+\.", core) is not None \
        or re.fullmatch(r"(?:[a-zæøå]\.){2,}", core) is not None
    if _URL.match(core.rstrip(".")) and not bare.endswith(".") :
        return False
    if not is_abbreviation:
        return True
    return following is None or bool(re.match(r"[\"'«“„(]*[A-ZÆØÅ]", following))


# Counting letters by deleting them (str.translate runs in C): the build counts every word
# of every page, so this is the hot loop of the plain-language checks (issue 7).
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzÆØÅæøåÉéÜüÖöÄä"
_DELETE_LETTERS = str.maketrans("", "", _LETTERS)
_END_MARKS = frozenset(".!?:")
_URL_HINTS = frozenset("@/.")


def _is_long_fast(word: str) -> bool:
    """is_long() for a token of more than 6 characters, without a regex for plain words."""
    count = len(word) - len(word.translate(_DELETE_LETTERS))
    if count <= 6:
        return False
    if _URL_HINTS.isdisjoint(word):
        return True
    return letters(word) > 6


def count_block(text: str) -> Count:
    """Words, long words and sentences of one block (a paragraph, list item, heading, cell)."""
    words = tokens(text)
    count = Count(words=len(words),
                  long_words=sum(1 for w in words if len(w) > 6 and _is_long_fast(w)))
    start, last = 0, len(words) - 1
    for index, word in enumerate(words):
        if _END_MARKS.isdisjoint(word):
            continue                                     # most words end nothing
        following = words[index + 1] if index < last else None
        if _ends_sentence(word, following):
            count.sentences.append(Sentence(words[start:index + 1]))
            start = index + 1
    if start <= last:
        count.sentences.append(Sentence(words[start:]))
    return count


def count_blocks(blocks: list[str]) -> Count:
    total = Count()
    for block in blocks:
        total.add(count_block(block))
    return total


BANDS = ((24, "meget let"), (34, "let"), (44, "middel"), (54, "svær"))


def band(value: int | None) -> str:
    """The Danish five-step band of a rounded LIX (§ 1.3)."""
    if value is None:
        return "ingen tekst"
    for upper, name in BANDS:
        if value <= upper:
            return name
    return "meget svær"
