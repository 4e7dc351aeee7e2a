"""The generated HTML itself, parsed with selectolax (Lexbor): what any layout could get wrong
(issue 5). Content written in Markdown is checked on its tokens with source lines; this
pass catches the same defects when a layout, not the author, introduces them, and names
the page. Codes: html-lang, lang-invalid, page-title, one-h1, heading-skip, image-alt,
table-caption, table-header, link-empty, link-text, link-file, button-empty, duplicate-id,
url-outside-base; on easy-read pages also those of easy_read.check_html.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from selectolax.lexbor import LexborHTMLParser

from ..i18n import _
from ..model import Page, Site, Variant
from ..outputs import SIZE_MARKER
from . import easy_read
from .lang import LANG
from .links import VAGUE    # one list of vague link texts for Markdown and layouts
from ..problems import Problem, Severity

FILE_TYPES = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel",
              ".odt": "ODT", ".ods": "ODS", ".zip": "ZIP", ".csv": "CSV"}
SIZE = re.compile(r"\d[\d.,]*\s*(kB|KB|MB|mb|kb|bytes|kilobyte|megabyte)")
MIME_TYPES = {".pdf": "application/pdf"}    # an easy-read link says the type in words


def check(page: Page, site: Site) -> Iterable[Problem]:
    lines = {h.id: h.line for h in page.headings}
    content_ids = set(lines)
    yield from check_html(page.html, page.path, site, page.front.title, lines, content_ids)
    if page.variant is Variant.EASY_READ and page.html:
        yield from easy_read.check_html(page, LexborHTMLParser(page.html))


def check_html(html: str, path: str, site: Site, title: str | None = None,
               lines: dict | None = None, content_ids: set | None = None) -> Iterable[Problem]:
    """Problems in one complete HTML document; `title` is the page's own title."""
    if not html:
        return
    tree = LexborHTMLParser(html)
    lines, content_ids = lines or {}, content_ids or set()
    error = lambda code, message, line=None: Problem(path, line, Severity.ERROR, code, message)
    root = tree.css_first("html")
    if root is None or not (root.attributes.get("lang") or "").strip():
        yield error("html-lang", _("the page has no language (<html lang>); the layout must set it"))
    for node in tree.css("[lang]"):
        value = node.attributes.get("lang") or ""
        if not LANG.fullmatch(value) and not _in_content(node):   # content: checks/lang.py
            yield error("lang-invalid", _("'{value}' is not a language code; write e.g. lang=en").format(value=value))
    yield from _title(tree, site, title, error)
    yield from _outside_base(tree, site.config.base_path, error)
    yield from _headings(tree, lines, content_ids, error)
    # Images and tables written in Markdown are checked on their tokens, with source lines.
    for img in tree.css("img"):
        if _in_content(img):
            continue
        if "alt" not in img.attributes and img.attributes.get("aria-hidden") != "true":
            yield error("image-alt", _("the image '{value}' has no alt attribute").format(value=img.attributes.get('src')))
    for table in tree.css("table"):
        if _in_content(table):
            continue
        if table.css_first("caption") is None:
            yield error("table-caption", _("a table has no caption"))
        if table.css_first("th") is None:
            yield error("table-header", _("a table has no header cells (th)"))
    yield from _links(tree, path, error)
    for button in tree.css("button"):
        if not _name(button):
            yield error("button-empty", _("a button has no text or label"))
    counts = Counter(n.attributes.get("id") for n in tree.css("[id]"))
    for value, count in sorted((v, c) for v, c in counts.items() if v and c > 1):
        yield error("duplicate-id", _("the id '{value}' is used {count} times on the page").format(value=value, count=count),
                    lines.get(value))


def _title(tree, site: Site, title: str | None, error) -> Iterable[Problem]:
    node = tree.css_first("title")
    text = node.text().strip() if node else ""
    if not text:
        yield error("page-title", _("the page has no <title>"))
    elif site.config.title not in text or (title and title not in text):
        want = f"'{title} – {site.config.title}'" if title else _("the site's name")
        yield error("page-title", _("the page title '{text}' should name the page and the site: {want}").format(text=text, want=want))


def _headings(tree, lines: dict, content_ids: set, error) -> Iterable[Problem]:
    headings = tree.css("h1, h2, h3, h4, h5, h6")
    # A level-1 heading in the Markdown is reported with its line by the token check.
    ones = [h for h in headings if h.tag == "h1" and h.attributes.get("id") not in content_ids]
    if len(ones) != 1:
        yield error("one-h1", _("the page has {ones} level-1 headings; it must have exactly one").format(ones=len(ones)))
    previous = 0
    for heading in headings:
        level = int(heading.tag[1])
        node_id = heading.attributes.get("id")
        if level > previous + 1 and previous and node_id not in content_ids:
            yield error("heading-skip",
                        _("the heading '{value}' (h{level}) follows an h{previous}; the layout "
                           "skips a level").format(value=heading.text().strip(), level=level, previous=previous), lines.get(node_id))
        previous = level


def _name(node) -> str:
    label = (node.attributes.get("aria-label") or "").strip()
    if label:
        return label
    text = node.text(deep=True, separator=" ").strip()
    if text:
        return text
    return " ".join((img.attributes.get("alt") or "") for img in node.css("img")).strip()


def _links(tree, path: str, error) -> Iterable[Problem]:
    body = tree.css_first("body")
    easy = body is not None and "easy-read" in (body.attributes.get("class") or "").split()
    for link in tree.css("a[href]"):
        href = link.attributes.get("href") or ""
        name = " ".join(_name(link).split())
        if not name:
            yield error("link-empty", _("the link to '{href}' has no text").format(href=href))
            continue
        if name.lower().rstrip(".:") in VAGUE and not _in_content(link):
            yield Problem(path, None, Severity.WARNING, "link-text",
                          _("the link text '{name}' means nothing out of context").format(name=name))
        suffix = "." + href.split("?")[0].split("#")[0].rsplit(".", 1)[-1].lower() if "." in href else ""
        # The size of our own PDFs is filled in after they are made (pdf.py).
        has_size = SIZE.search(name) or SIZE_MARKER in name
        in_words = link.attributes.get("type") == MIME_TYPES.get(suffix) and "fil" in name.lower()
        says_type = FILE_TYPES.get(suffix, "").lower() in name.lower() or in_words
        # An easy-read reader is told what the file is for in words; its size is noise to
        # them (issue 26), and the browser has the type from type="...".
        if suffix in FILE_TYPES and not (says_type and has_size) and not (easy and in_words):
            yield Problem(path, None, Severity.WARNING, "link-file",
                          _("the link to '{href}' should say the format and size, e.g. "
                             "'Handlingsplanen ({FILE_TYPES}, 245 kB)' (WCAG 2.4.4)").format(href=href, FILE_TYPES=FILE_TYPES[suffix]))


def _outside_base(tree, base_path: str, error) -> Iterable[Problem]:
    """Under a base path, a root-relative URL that lacks it leads nowhere once published
    (issue 21): a layout printed it without the `url` filter."""
    if base_path == "/":
        return
    for node in tree.css("[href], [src]"):
        for name in ("href", "src"):
            value = node.attributes.get(name) or ""
            if value.startswith("/") and not value.startswith(("//", base_path)):
                yield error("url-outside-base",
                            _("'{value}' leaves the site's path {base}; write it in the "
                              "layout as {{{{ '{value}'|url }}}}").format(value=value,
                                                                         base=base_path))


def _in_content(node) -> bool:
    return any("content" in (p.attributes.get("class") or "").split() for p in _ancestors(node))


def _ancestors(node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent
