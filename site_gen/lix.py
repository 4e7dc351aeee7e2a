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
_L = "A-Za-zÆØÅæøåÉéÜüÖöÄä"        # the letters LIX counts, as a regular-expression class body
_LETTER = re.compile(f"[{_L}]")
_STRIP = "()[]\"'«»“”‘’„,;"
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[^@\s]+@[^@\s]+\.\w+$|^\S+\.(?:dk|com|org|net|eu)\S*$",
                  re.IGNORECASE)
_ENDS = (".", "!", "?", ":")
_CLOSING = _STRIP.replace(",", "").replace(";", "")     # may follow the mark that ends a sentence


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
    long: list[str] = field(default_factory=list)     # the long words, as written, in order

    def add(self, other: "Count") -> None:
        self.words += other.words
        self.long_words += other.long_words
        self.sentences.extend(other.sentences)
        self.long.extend(other.long)

    def figures(self) -> Figures:
        return Figures(self.words, self.long_words, len(self.sentences))

    @property
    def lix(self) -> float | None:
        return _lix(self.words, self.long_words, len(self.sentences))

    @property
    def rounded(self) -> int | None:
        return _rounded(self.lix)


_PUNCT = _STRIP + ".!?:"


# A token is a word when it has a letter or a digit (§ 1.2: digit tokens count as words).
_WORDLIKE = re.compile(f"[{_L}0-9]")


def letters(token: str) -> int:
    core = token.strip(_PUNCT)
    if core and _all_danish(core):           # the common case: a plain word
        return len(core)
    if _URL.match(core) or not _LETTER.search(core):
        return 0
    return len(_LETTER.findall(core))


_DANISH_WORD = re.compile(f"[{_L}]+")


def _all_danish(word: str) -> bool:
    return _DANISH_WORD.fullmatch(word) is not None


def is_long(token: str) -> bool:
    return len(token) > 6 and letters(token) > 6


def _ends_sentence(token: str, following: str | None) -> bool:
    bare = token.rstrip(_CLOSING)
    if not bare.endswith(_ENDS):
        return False
    if not bare.endswith("."):                 # : ! ?
        return True
    core = bare.strip(_STRIP).lower()
    if core in ABBREVIATIONS or _ORDINAL.fullmatch(core) or _INITIALS.fullmatch(core):
        return following is None or _CAPITAL_FIRST.match(following) is not None
    return True


_ORDINAL = re.compile(r"\d+\.")
_INITIALS = re.compile(r"(?:[a-zæøå]\.){2,}")
_CAPITAL_FIRST = re.compile(r"[\"'«“„(]*[A-ZÆØÅ]")


# The counter runs over every block of every page of a build (issue 7), so the common block
# (only words, no web or e-mail address) is counted with a few calls that run in C: split,
# join, one substitution and a scan for sentence marks. Any other block is read word by
# word. tests/test_lix.py checks both against a plain reading of the rules above.
_DASHES = re.compile(r"\s[–—]\s|[–—]")
_MARKER = re.compile(r"(?:[-•*→]|\d+[.)])")
_MARKER_START = frozenset("-•*→0123456789")
_NOT_A_WORD = re.compile(rf" [^ {_L}0-9]+(?= |$)")      # a token without letter or digit
_NOT_LETTERS = re.compile(rf"[^ {_L}]+")
_MARK = re.compile(rf"[.!?:][{re.escape(_CLOSING)}]*(?= |$)")   # a mark ending a token


def _may_have_address(text: str) -> bool:
    """Whether a token might be a web or e-mail address (_URL), which is never a long word."""
    if "@" in text or "://" in text:
        return True
    text = text.lower()
    return "www." in text or ".dk" in text or ".com" in text or ".org" in text \
        or ".net" in text or ".eu" in text


def _words_of(text: str) -> list[str]:
    """The block's tokens: soft hyphens gone, dashes and no-break spaces as spaces, a list
    marker in front dropped."""
    text = text.replace("\u00ad", "")
    if "–" in text or "—" in text:
        text = _DASHES.sub(" ", text)
    words = text.split()
    if words and words[0][0] in _MARKER_START and _MARKER.fullmatch(words[0]):
        del words[0]
    return words


def count_block(text: str) -> Count:
    """Words, long words and sentences of one block (a paragraph, list item, heading, cell)."""
    words = _words_of(text)
    spaced = " ".join(words)
    if _NOT_A_WORD.search(" " + spaced) or _may_have_address(spaced):
        words = [w for w in words if _WORDLIKE.search(w)]
        long = [w for w in words if is_long(w)]
        return Count(len(words), len(long), _sentences(words, range(len(words))), long)
    # Every token is a word and none is an address: a word is long when it has 7 letters,
    # and only a token that ends with a mark can end a sentence. The substitution keeps the
    # spaces, so the i-th piece is the letters of the i-th candidate (or '').
    candidates = [w for w in words if len(w) > 6]
    letters_only = _NOT_LETTERS.sub("", " ".join(candidates)).split(" ")
    long = [w for w, only in zip(candidates, letters_only) if len(only) > 6]
    return Count(len(words), len(long), _sentences(words, _ending_words(spaced)), long)


def _ending_words(spaced: str):
    """The indexes of the words that end with a sentence mark, in a block of words joined
    by single spaces."""
    index = start = 0
    for mark in _MARK.finditer(spaced):
        end = mark.end()
        index += spaced.count(" ", start, end)
        start = end
        yield index


def _sentences(words: list[str], candidates) -> list[Sentence]:
    """The sentences of a block, given the indexes of the words that may end one, in order."""
    sentences, start, last = [], 0, len(words) - 1
    for index in candidates:
        if _ends_sentence(words[index], words[index + 1] if index < last else None):
            sentences.append(Sentence(words[start:index + 1]))
            start = index + 1
    if start <= last:
        sentences.append(Sentence(words[start:]))
    return sentences


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
