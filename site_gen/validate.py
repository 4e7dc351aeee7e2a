"""Validate: rules that need more than one field or more than one page.

Variant pairs (an easy-read page needs its standard partner, and they must agree),
relations that point at real documents, and URL clashes.
"""
from __future__ import annotations

import os

from .model import Page, Site, Variant
from .problems import Problems

# Front matter an easy-read page must share with its standard page.
SHARED_FIELDS = ("kind", "status", "municipality", "adopted", "issued", "period")


def check_publishing(site: Site, problems: Problems) -> None:
    """What the Danish web accessibility law asks of the statement (publishing.md § 2.2),
    and review dates that have passed. Problem codes: statement-review, statement-contact,
    review-passed."""
    config = site.config
    shown = config.settings_path
    line = config.lines.get("accessibility_statement")
    statement, today = config.statement, config.options.today
    if statement.reviewed is None:
        problems.warning(shown, line, "statement-review",
                         "write when the accessibility statement was last reviewed "
                         "('reviewed: YYYY-MM-DD'); it must be reviewed at least once a year")
    elif (today - statement.reviewed).days > 11 * 30.5:
        problems.warning(shown, line, "statement-review",
                         f"the accessibility statement was last reviewed {statement.reviewed}; "
                         "review it now: it must be reviewed at least once a year")
    if not statement.phone or not statement.email:
        problems.warning(shown, line, "statement-contact",
                         "the accessibility statement needs both a phone number ('phone') and "
                         "a written contact ('email') for feedback")
    for page in site.pages.values():
        review_by = page.front.review_by
        if review_by is not None and review_by < today:
            problems.warning(page.path, page.front.lines.get("review_by"), "review-passed",
                             f"this document should have been reviewed by {review_by}; review "
                             "it and set a new 'review_by'")


def check_site(site: Site, problems: Problems) -> None:
    """Problem codes: orphan-variant, variant-mismatch, unknown-related, self-related,
    url-clash, tested-incomplete, tested-standard."""
    seen_urls: dict[str, Page] = {}
    for page in site.pages.values():
        other = seen_urls.get(page.url)
        if other is not None:
            problems.error(page.path, None, "url-clash",
                           f"this page would be written to {page.url}, like {other.path}")
        seen_urls[page.url] = page
        if page.variant is Variant.EASY_READ:
            _check_pair(page, site, problems)
        elif "tested_by" in page.front.lines or "tested_on" in page.front.lines:
            line = page.front.lines.get("tested_by") or page.front.lines.get("tested_on")
            problems.error(page.path, line, "tested-standard",
                           "'tested_by' and 'tested_on' belong on the easy-read page "
                           "(index.easy-read.md), which readers tested")
        _check_related(page, site, problems)
    site.by_url = seen_urls
    check_publishing(site, problems)


def _check_pair(page: Page, site: Site, problems: Problems) -> None:
    standard = site.page_for(page.key)
    if standard is None:
        content = site.config.options.content_dir
        expected = content / page.source.source_path.replace(".easy-read.md", ".md")
        # A standard page that exists but could not be read has its own error already.
        if not os.path.lexists(expected):
            problems.error(page.path, None, "orphan-variant",
                           f"no standard page '{site.config.display(expected)}' for this "
                           "easy-read page; write the full document first")
        return
    for name in SHARED_FIELDS:
        mine, theirs = getattr(page.front, name), getattr(standard.front, name)
        if name in page.front.lines and mine != theirs:
            problems.error(page.path, page.front.lines[name], "variant-mismatch",
                           f"'{name}' differs from {standard.path}; the easy-read page must "
                           "agree with the full document (or leave the field out)")
    for name in SHARED_FIELDS:          # inherit what the easy-read page leaves out
        if name not in page.front.lines:
            setattr(page.front, name, getattr(standard.front, name))
    _check_tested(page, problems)


def _check_tested(page: Page, problems: Problems) -> None:
    if bool(page.front.tested_by) != bool(page.front.tested_on):
        line = page.front.lines.get("tested_by") or page.front.lines.get("tested_on")
        problems.error(page.path, line, "tested-incomplete",
                       "write both 'tested_by' (who tested the text with readers) and "
                       "'tested_on' (when), or neither")


def _check_related(page: Page, site: Site, problems: Problems) -> None:
    for relation in page.front.related:
        if relation.target == page.key:
            problems.error(page.path, relation.line, "self-related",
                           "a document cannot be related to itself")
        elif site.page_for(relation.target) is None and not os.path.lexists(
                index := site.config.options.content_dir / relation.target / "index.md"):
            # A document that exists but could not be read has its own error already.
            problems.error(page.path, relation.line, "unknown-related",
                           f"there is no document '{relation.target}' "
                           f"({site.config.display(index)})")
