"""Text nested too deep: markdown-it-py stops at 20 levels of quotes or lists inside each
other (its guard against runaway input) and leaves out what lies deeper, without a word.
This rule says so, at the line where the text is lost, so nothing is dropped in silence."""
from __future__ import annotations

from markdown_it.rules_core import StateCore

from ..i18n import _
from .env import in_build, line


def nesting_rule(state: StateCore) -> None:
    env = state.env
    if not in_build(env):
        return
    limit = state.md.options.maxNesting
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        # A quote or list opened at the last level and closed at once: what it holds was
        # not parsed (a paragraph there is still whole: its text is one inline token).
        if token.nesting == 1 and token.level >= limit - 1 and tokens[index + 1].nesting == -1:
            env["problems"].error(env["path"], line(env, token), "deep-nesting", _(
                "quotes or lists are nested more than {limit} levels deep here, and the text "
                "inside is not shown; nest them less deep").format(limit=limit - 1))
            return                        # once a page: the rest is the same mistake
