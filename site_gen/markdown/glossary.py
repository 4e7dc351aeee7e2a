"""Glossary terms in running text (WCAG 3.1.3, 3.1.4): the first use of an abbreviation
becomes <abbr title="full name">, the first use of an explained term a link to its
explanation in the page's list of terms; every term used is remembered for that list."""
from __future__ import annotations

import html

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..glossary import combined


def glossary_rule(state: StateCore) -> None:
    """Mark the first use of each of env["terms"] in running text (not in headings or
    links) and add every term used to env["used_terms"], in order of first use. A term in a
    heading counts as used but is not marked."""
    terms = tuple(state.env.get("terms") or ())
    if not terms:
        return
    used: list = state.env["used_terms"]
    in_heading = False
    for token in state.tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and token.children:
            token.children = _mark_terms(token.children, terms, used, in_heading,
                                         bool(state.env.get("easy_read")))


def _mark_terms(children: list[Token], terms: tuple, used: list, in_heading: bool,
                easy_read: bool) -> list[Token]:
    result, link_depth = [], 0
    for child in children:
        if child.type == "link_open":
            link_depth += 1
        elif child.type == "link_close":
            link_depth -= 1
        if child.type != "text" or link_depth:
            result.append(child)
            continue
        result.extend(_split_text(child, terms, used, not in_heading, easy_read))
    return result


def _explains(term, easy_read: bool) -> bool:
    return bool(term.easy if easy_read else term.explanation)


def _split_text(child: Token, terms: tuple, used: list, mark: bool,
                easy_read: bool) -> list[Token]:
    pattern = combined(terms)
    pieces, position = [], 0
    for match in pattern.finditer(child.content):
        term = terms[match.lastindex - 1]
        is_new = term not in used
        if is_new:
            used.append(term)
        pieces.append(_text_token(child.content[position:match.start()]))
        word = match.group(0)
        # 'Børne- og Ungdomsudvalget (BUU)': the text says the full name right before, so a
        # title would only make a screen reader say it twice (issue 29).
        said = term.is_abbreviation and term.full.casefold() in \
            child.content[max(0, match.start() - len(term.full) - 3):match.start()].casefold()
        if said:
            pieces.append(_text_token(word))
        elif is_new and mark and term.is_abbreviation:
            pieces += [_html(f'<abbr title="{html.escape(term.full)}">'), _text_token(word),
                       _html("</abbr>")]
        elif is_new and mark and _explains(term, easy_read):
            # The explanation is one click away in the page's list of terms (WCAG 3.1.3);
            # the list links back to this first use (issue 16).
            pieces += [_html(f'<a class="term" href="#{term.anchor}" id="{term.anchor}-brug">'),
                       _text_token(word), _html("</a>")]
        else:
            pieces.append(_text_token(word))
        position = match.end()
    if not pieces:
        return [child]
    pieces.append(_text_token(child.content[position:]))
    return [p for p in pieces if p.content]


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _html(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token
