"""The site glossary: abbreviations with their full names and hard words with plain and
easy-read explanations, read from `content/glossary.yaml` (issue 4).

The checks use it to know which terms are explained; the layouts render it: the first use
of an abbreviation on a page becomes <abbr title>, and each page lists its terms at the end
("Forkortelser og ord" on standard pages, "Svære ord" on easy-read pages).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .i18n import N_, _
from . import schema
from .problems import ContentError, Problems
from .schema import Field
from .textfile import read_text
from .yamlsafe import YList, load_yaml

GLOSSARY_FILE = "glossary.yaml"


@dataclass(frozen=True)
class Term:
    term: str                          # as written in the text: "BPA", "botilbud"
    full: str | None = None            # the full name of an abbreviation, as the source gives it
    explanation: str | None = None     # a plain explanation for standard pages
    easy: str | None = None            # an easy-read explanation, 15 words or fewer
    aliases: tuple[str, ...] = ()      # other forms that mean the same term
    municipality: str | None = None    # set when the abbreviation is local to one municipality
    line: int = 0

    @property
    def is_abbreviation(self) -> bool:
        return self.full is not None

    @property
    def anchor(self) -> str:
        from .text import make_slug
        return "ord-" + make_slug(self.term)

    def pattern(self) -> re.Pattern:
        return _pattern(self)

    def compile(self) -> re.Pattern:
        return re.compile(self.regex())

    def regex(self) -> str:
        forms = sorted((self.term, *self.aliases), key=len, reverse=True)
        joined = "|".join(re.escape(f) for f in forms)
        if self.is_abbreviation:                  # BPA, BPA-ordning, FN's, FN’s, FNs
            return rf"(?<![\w-])(?:{joined})(?=s?(?![\w]))"
        return rf"(?<![\w-])(?i:{joined})\w*"


@functools.lru_cache(maxsize=None)
def _pattern(term: Term) -> re.Pattern:
    return term.compile()


@functools.lru_cache(maxsize=64)
def combined(terms: tuple[Term, ...]) -> re.Pattern:
    """One pattern for all `terms`; group N+1 matches terms[N]. Longer terms are tried first."""
    return re.compile("|".join(f"({t.regex()})" for t in terms))


@dataclass
class Glossary:
    terms: list[Term] = field(default_factory=list)

    def for_municipality(self, municipality: str) -> tuple[Term, ...]:
        """The terms that apply on one municipality's pages, longest first."""
        return tuple(sorted((t for t in self.terms if t.municipality in (None, municipality)),
                            key=lambda t: len(t.term), reverse=True))

    def find(self, word: str, municipality: str) -> Term | None:
        for term in self.for_municipality(municipality):
            if term.pattern().fullmatch(word):
                return term
        return None


def _term(line: int, **values) -> Term:
    values["aliases"] = tuple(values.get("aliases", ()))
    term = Term(line=line, **values)
    if term.easy and len(term.easy.split()) > 15:
        raise schema.FieldError(_("the easy explanation of '{term}' has {words} words; use 15 "
                                  "or fewer").format(term=term.term, words=len(term.easy.split())),
                                "bad-value", line)
    if not (term.full or term.explanation or term.easy):
        raise schema.FieldError(_("'{term}' needs 'full', 'explanation' or 'easy'").format(
            term=term.term), "missing-field", line)
    return term


TERM = {
    "term": Field(schema.text, required=True, label=N_("Word or abbreviation")),
    "full": Field(schema.text, label=N_("Written out"),
                  hint=N_("The abbreviation in full, exactly as the source gives it.")),
    "explanation": Field(schema.text, label=N_("Explanation")),
    "easy": Field(schema.text, label=N_("Easy-read explanation"),
                  hint=N_("For easy-read pages: 15 words or fewer.")),
    "aliases": Field(schema.list_of(schema.text), label=N_("Other ways of writing it")),
    "municipality": Field(schema.slug, label=N_("Only for the municipality"),
                          hint=N_("Its folder name, e.g. koebenhavn; empty: every page.")),
}


def load_glossary(content_dir: Path, shown: str, problems: Problems) -> Glossary:
    """The glossary, or an empty one when the file does not exist. Problem codes: those of
    textfile, yamlsafe and schema, and duplicate-term."""
    path = content_dir / GLOSSARY_FILE
    if path.is_symlink():            # discovery names it; never read through it (issue 31)
        return Glossary()
    try:
        read = read_text(path, shown, problems)
    except FileNotFoundError:
        return Glossary()
    if read is None:
        return Glossary()
    try:
        data = load_yaml(read.text, shown, 0, problems)
    except ContentError:
        return Glossary()
    if not isinstance(data, YList):
        problems.error(shown, 1, "not-a-list", _("the glossary must be a list of terms, each starting with '- term:'"))
        return Glossary()
    glossary, seen = Glossary(), {}
    read = schema.mapping(TERM, _term)
    for item, line in zip(data, data.lines):
        try:
            term = read(item, line)
        except schema.FieldError as exc:
            problems.error(shown, exc.line or line, exc.code, str(exc))
            continue
        key = (term.term, term.municipality)
        if key in seen:
            problems.error(shown, line, "duplicate-term",
                           _("'{term}' is already in the glossary (line {seen})").format(term=term.term, seen=seen[key]))
            continue
        seen[key] = line
        glossary.terms.append(term)
    return glossary
