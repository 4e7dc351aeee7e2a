"""Footnotes (mdit_py_plugins' footnote plugin) as the layouts show them: a numbered link
read as "Note 1", a notes section named by its own heading, and a Danish way back."""
from __future__ import annotations

from markdown_it.token import Token

from ..model import Heading

NOTES_ID = "noter"          # the notes' heading: no heading of the page may take it


def notes_heading(tokens: list[Token]) -> Heading | None:
    """The notes' heading, for the page's contents, when the page has notes."""
    if any(t.type == "footnote_block_open" for t in tokens):
        return Heading(level=2, text="Noter", id=NOTES_ID, line=None)
    return None


def render_footnote_ref(self, tokens, idx, options, env) -> str:
    """The reference in the text: a number a screen reader reads as "Note 1". A name, not
    text hidden inside the link: that is read as a line of its own, its space lost (issue 29)."""
    meta = tokens[idx].meta
    number = meta["id"] + 1
    return (f'<sup class="footnote-ref"><a href="#fn{number}" id="{_ref_id(meta)}" '
            f'aria-label="Note {number}">{number}</a></sup>')


def render_footnote_anchor(self, tokens, idx, options, env) -> str:
    """The way back from a note to where it is used, named by the note, so a list of links
    does not hold the same "Tilbage til teksten" for every note (issue 29)."""
    meta = tokens[idx].meta
    return (f' <a href="#{_ref_id(meta)}" class="footnote-backref" '
            f'aria-label="Tilbage til teksten, note {meta["id"] + 1}">Tilbage til teksten</a>')


def render_footnote_block_open(self, tokens, idx, options, env) -> str:
    """The notes section, named by its heading."""
    return (f'<section class="footnotes" aria-labelledby="{NOTES_ID}">\n'
            f'<h2 id="{NOTES_ID}">Noter</h2>\n<ol class="footnotes-list">\n')


def render_footnote_block_close(self, tokens, idx, options, env) -> str:
    return "</ol>\n</section>\n"


def _ref_id(meta: dict) -> str:
    """The id of one reference to a note: 'fnref2', and 'fnref2-1' for its second use."""
    number = meta["id"] + 1
    return f"fnref{number}" + (f"-{meta['subId']}" if meta.get("subId", 0) > 0 else "")
