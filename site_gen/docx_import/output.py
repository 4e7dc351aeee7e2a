"""Import: the Markdown being written, and the text helpers that make Word's text Markdown.

A note on text not written yet (a link, an image, a page break inside a paragraph) waits in
`pending` until its block is written, and then gets that block's line (issue 20).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

BREAK = "\n"                      # a line break inside a paragraph, until the block is written


@dataclass
class Output:
    """The Markdown being written, with the line of each note for the report."""
    lines: list[str] = field(default_factory=list)
    notes: list[tuple[int | None, str, str]] = field(default_factory=list)  # (line, code, text)
    images: dict[str, bytes] = field(default_factory=dict)
    pending: list[tuple[str, str]] = field(default_factory=list)   # notes on text not written yet
    indents: list[int] = field(default_factory=list)   # content column of each open list level
    lists: list[tuple[str, str]] = field(default_factory=list)  # (Word list, marker) by level

    def block(self, text: str) -> int:
        """Add a block (blank line before it); returns its first line in the body."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        first = len(self.lines) + 1
        self.lines.extend(text.split("\n"))
        self.indents.clear()
        self.lists.clear()
        self.flush(first)
        return first

    def item(self, marker: str, text: str, depth: int, list_id: str) -> int:
        """Add a list item, keeping the list together; nested under the item above. An item
        of another Word list right after a list gets the other marker ('.' or ')', '-' or
        '*'), which starts a new list in Markdown, so its numbers stay as Word shows them."""
        if self.lines and self.lines[-1] != "" and not self.indents:
            self.lines.append("")
        depth = min(depth, len(self.indents))
        indent = self.indents[depth - 1] if depth else 0
        family = ("-", "*") if marker == "-" else (".", ")")
        kind = family[0]
        previous = self.lists[depth] if depth < len(self.lists) else None
        if previous and previous[1] in family:
            same = previous[0] == list_id
            kind = previous[1] if same else family[1 - family.index(previous[1])]
        marker = kind if marker == "-" else marker[:-1] + kind
        del self.indents[depth:]
        del self.lists[depth:]
        self.indents.append(indent + len(marker) + 1)
        self.lists.append((list_id, kind))
        first = len(self.lines) + 1
        body = text.replace("\n", "\n" + " " * self.indents[-1])
        self.lines.extend(f"{' ' * indent}{marker} {body}".split("\n"))
        self.flush(first)
        return first

    def note(self, line: int | None, code: str, text: str) -> None:
        self.notes.append((line, code, text))

    def note_here(self, code: str, text: str) -> None:
        """A note on the text being read: it gets the line of the block it ends in."""
        if (code, text) not in self.pending:
            self.pending.append((code, text))

    def flush(self, line: int | None) -> None:
        self.notes += [(line, code, text) for code, text in self.pending]
        self.pending.clear()


def table_row(values: list[str]) -> str:
    return "| " + " | ".join(v.replace(BREAK, " ") for v in values) + " |"


def plain_text(markdown: str) -> str:
    return re.sub(r"[*\\]", "", markdown).replace(BREAK, " ")


def one_line(text: str) -> str:
    return " ".join(text.replace(BREAK, " ").split())


def wrap(value: str, marker: str) -> str:
    """`**text**` with the spaces outside the markers, as CommonMark needs."""
    stripped = value.strip()
    lead = value[:len(value) - len(value.lstrip())]
    trail = value[len(value.rstrip()):]
    return f"{lead}{marker}{stripped}{marker}{trail}"


@dataclass
class Styled:
    """Text of a bold or emphasised run, not yet marked."""
    text: str
    marker: str                      # "**", "*" or "***"


def join_runs(pieces: list) -> str:
    """The pieces of a paragraph as Markdown. Neighbouring runs of one style are marked as
    one ("**Borger**" for "Bor" + "ger"). A styled run that CommonMark could not mark where
    it stands (touching a run of another style, or punctuation at its edge against a letter)
    is left unmarked: the text is kept, only that emphasis is lost, and no '**' shows."""
    merged: list = []
    for piece in pieces:
        if isinstance(piece, Styled) and merged and isinstance(merged[-1], Styled) and \
                merged[-1].marker == piece.marker:
            merged[-1] = Styled(merged[-1].text + piece.text, piece.marker)
        else:
            merged.append(piece)
    text = ""
    for number, piece in enumerate(merged):
        if isinstance(piece, Styled):
            after = merged[number + 1] if number + 1 < len(merged) else ""
            after = after.text if isinstance(after, Styled) else after
            touches = number and isinstance(merged[number - 1], Styled) and \
                not merged[number - 1].text[-1:].isspace() and not piece.text[:1].isspace()
            markable = not touches and _flanks(text[-1:], piece.text, after[:1])
            piece = wrap(piece.text, piece.marker) if markable else piece.text
        text += piece
    return text


def _flanks(before: str, inner: str, after: str) -> bool:
    """Whether '*' markers around `inner` open and close in CommonMark (its flanking rules),
    with `before` and `after` the characters outside (spaces go outside the markers)."""
    first, last = inner.strip()[:1], inner.strip()[-1:]
    if not first:
        return False
    before = " " if inner[:1].isspace() else before
    after = " " if inner[-1:].isspace() else after
    opens = not _is_punctuation(first) or not before or before.isspace() or \
        _is_punctuation(before)
    closes = not _is_punctuation(last) or not after or after.isspace() or \
        _is_punctuation(after)
    return opens and closes


def _is_punctuation(character: str) -> bool:
    return unicodedata.category(character)[0] in "PS"


def escape(text: str) -> str:
    """Characters Markdown would read as syntax in running text ('{' starts attributes)."""
    return re.sub(r"([\\`*_\[\]<>|{])", r"\\\1", text)


def guard(text: str, first: bool = True) -> str:
    """A paragraph's lines as Markdown text: a line break is a hard break, and no line
    starts something Markdown would read as a heading, quote, list, fence or code."""
    lines = [line.strip() for line in text.split(BREAK)]
    guarded = []
    for number, line in enumerate(lines):
        if number or first:
            line = re.sub(r"^([#>+]|[-*](?=\s)|:{3,}|=+$|-{3,}$)", r"\\\1", line)
            line = re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", line)
        guarded.append(line)
    return BREAK.join(g for g in guarded if g).replace(BREAK, "\\" + BREAK)
