"""Easy-read pages: each h2 section a block with its picture beside the text (issue 4), and
each sentence its own paragraph (issue 16). Their source keeps one sentence a line, which
the parser keeps as line breaks (`make_parser(line_breaks=True)`)."""
from __future__ import annotations

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..pictograms import SCHEME


def easy_sections_rule(state: StateCore) -> None:
    """On easy-read pages each h2 section becomes a block with its picture beside the text
    (picture column left on wide screens, above the text on a phone; issue 4); the notes
    end the last section. A paragraph holding only a pictogram is the picture's holder."""
    if not state.env.get("easy_read"):
        return
    tokens, result, open_section = state.tokens, [], False
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            if open_section:
                result.append(_block_html("</div>\n"))
            result.append(_block_html('<div class="easy-section">\n'))
            open_section = True
        elif token.type == "footnote_block_open" and open_section:
            result.append(_block_html("</div>\n"))
            open_section = False
        if token.type == "paragraph_open" and _is_pictogram_paragraph(tokens, index):
            token.attrSet("class", "pictogram-holder")
        result.append(token)
    if open_section:
        result.append(_block_html("</div>\n"))
    state.tokens = result


def sentence_blocks(tokens: list[Token]) -> list[Token]:
    """Easy-read: each line of a paragraph (one sentence a line) becomes its own paragraph,
    so a sentence that wraps on a phone never runs into the next and sentences have space
    between them (issue 16). A copy for rendering: the checks keep the tokens as written.
    Paragraphs of tight lists (hidden) keep their lines as <br>."""
    shown: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.type != "paragraph_open" or token.hidden or inline is None \
                or inline.type != "inline":
            shown.append(token)
            index += 1
            continue
        groups: list[list[Token]] = [[]]
        for child in inline.children or ():
            if child.type == "softbreak":
                groups.append([])
            else:
                groups[-1].append(child)
        for group in (g for g in groups if g):
            part = Token("inline", "", 0, children=group, content="".join(c.content for c in group))
            shown += [token, part, tokens[index + 2]]
        index += 3
    return shown


def _is_pictogram_paragraph(tokens: list[Token], index: int) -> bool:
    inline = tokens[index + 1] if index + 1 < len(tokens) else None
    children = [c for c in (inline.children or []) if c.type != "softbreak"] if inline else []
    return len(children) == 1 and children[0].type == "image" and \
        (children[0].attrGet("src") or "").startswith(SCHEME)


def _block_html(content: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    return token
