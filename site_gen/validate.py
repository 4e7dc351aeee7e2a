"""Validate: rules that need more than one field or more than one page.

Variant pairs (an easy-read page needs its standard partner, and they must agree),
relations that point at real documents, and URL clashes.
"""
from __future__ import annotations

import copy
import os

from .model import SHARED_FIELDS, STAND_INS, Page, Site, Variant, period_end
from .i18n import _
from .problems import Problems



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
                         _("write when the accessibility statement was last reviewed "
                           "('reviewed: YYYY-MM-DD'); it must be reviewed at least once a year"))
    elif (today - statement.reviewed).days > 11 * 30.5:
        problems.warning(shown, line, "statement-review",
                         _("the accessibility statement was last reviewed {date}; review it "
                           "now: it must be reviewed at least once a year").format(
                             date=statement.reviewed))
    if not statement.phone or not (statement.email or statement.form):
        problems.warning(shown, line, "statement-contact",
                         _("the accessibility statement needs both a phone number ('phone') "
                           "and a written contact ('email', or 'form' for a web form) for "
                           "feedback"))
    for page in site.pages.values():
        review_by = page.front.review_by
        if review_by is not None and review_by < today:
            problems.warning(page.path, page.front.lines.get("review_by"), "review-passed",
                             _("this document should have been reviewed by {date}; review it "
                               "and set a new 'review_by'").format(date=review_by))
        _period_ended(page, site, problems)


def _period_ended(page: Page, site: Site, problems: Problems) -> None:
    """The calendar ended a document the author has not marked as ended (issue 26): the
    site shows it as expired by itself (model.timing), and both of its files are named, so
    the editor updates the status and the text. A warning, never an error: a date alone
    must not stop a publication. Problem code: period-ended."""
    front = site.document_front(page)
    if site.status_of(page) == front.status:       # the author's status still holds
        return
    end = period_end(front)
    line = page.front.lines.get("period") or page.front.lines.get("status")
    problems.warning(page.path, line, "period-ended",
                     _("the document's period ended on {date}, so the site now shows it as "
                       "expired ('Udløbet'); write 'status: expired' (or 'replaced', with the "
                       "new document under 'related') and say in the text that it no longer "
                       "applies").format(date=end.isoformat()))


# Front matter only an easy-read page may write.
_EASY_READ_ONLY = ("tested_by", "tested_on", "written_by")


def check_site(site: Site, problems: Problems) -> None:
    """Problem codes: orphan-variant, variant-mismatch, unknown-related, self-related,
    url-clash, tested-incomplete, tested-standard."""
    seen_urls: dict[str, Page] = {}
    for page in site.pages.values():
        other = seen_urls.get(page.url)
        if other is not None:
            problems.error(page.path, None, "url-clash",
                           _("this page would be written to {url}, like {other}").format(
                               url=page.url, other=other.path))
        seen_urls[page.url] = page
        if page.variant is Variant.EASY_READ:
            _check_pair(page, site, problems)
        elif not page.front.lines.keys().isdisjoint(_EASY_READ_ONLY):
            line = min(page.front.lines[key] for key in _EASY_READ_ONLY if key in page.front.lines)
            problems.error(page.path, line, "tested-standard",
                           _("'tested_by', 'tested_on' and 'written_by' belong on the "
                             "easy-read page (index.easy-read.md), which they are about"))
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
                           _("no standard page '{path}' for this easy-read page; write the "
                             "full document first").format(path=site.config.display(expected)))
        missing = [name for name in SHARED_FIELDS
                   if getattr(page.front, name) is None and name in STAND_INS]
        if missing:              # nothing to inherit: stand-ins, so it is still checked
            page.front = copy.copy(page.front)
            for name in missing:
                setattr(page.front, name, STAND_INS[name])
            page.unread = page.unread | set(missing)
        return
    for name in SHARED_FIELDS:
        mine, theirs = getattr(page.front, name), getattr(standard.front, name)
        if name in page.front.lines and mine != theirs and name not in standard.unread:
            problems.error(page.path, page.front.lines[name], "variant-mismatch",
                           _("'{name}' differs from {path}; the easy-read page must agree "
                             "with the full document (or leave the field out)").format(
                               name=name, path=standard.path))
    missing = [name for name in SHARED_FIELDS if name not in page.front.lines]
    if missing:                         # inherit what the easy-read page leaves out, on a
        front = copy.copy(page.front)   # copy: the parsed front matter is the memo's
        for name in missing:
            setattr(front, name, getattr(standard.front, name))
        page.front = front
    _check_tested(page, problems)


def _check_tested(page: Page, problems: Problems) -> None:
    if bool(page.front.tested_by) != bool(page.front.tested_on):
        line = page.front.lines.get("tested_by") or page.front.lines.get("tested_on")
        problems.error(page.path, line, "tested-incomplete",
                       _("write both 'tested_by' (who tested the text with readers) and "
                         "'tested_on' (when), or neither"))


def _check_related(page: Page, site: Site, problems: Problems) -> None:
    for relation in page.front.related:
        if relation.target == page.key:
            problems.error(page.path, relation.line, "self-related",
                           _("a document cannot be related to itself"))
        elif site.page_for(relation.target) is None and not os.path.lexists(
                index := site.config.options.content_dir / relation.target / "index.md"):
            # A document that exists but could not be read has its own error already.
            problems.error(page.path, relation.line, "unknown-related",
                           _("there is no document '{target}' ({path})").format(
                               target=relation.target, path=site.config.display(index)))
