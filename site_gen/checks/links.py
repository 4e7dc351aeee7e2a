"""Links lead somewhere and say where: internal links point at real pages and headings,
and the text means something out of context (WCAG 2.4.4). Codes: link-broken,
link-anchor, link-text, link-empty, unsafe-link, raw-html."""
from __future__ import annotations

import html
import re
from typing import Iterable
from urllib.parse import unquote, urlsplit

from ..model import Page, Site
from ..problems import Problem, Severity

VAGUE = {"her", "klik her", "læs mere", "læs her", "link", "mere", "se her", "tryk her",
         "click here", "here", "read more"}


UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})
# Where a link target can start in Markdown text: an inline link or image '](', an autolink
# or a destination in '<...>', a reference definition '[name]:' at the start of a line, and
# an href or src attribute of raw HTML. markdown-it refuses the dangerous ones, which then
# stay in the text: every way of writing one is found here and reported (issue 14).
_TARGET_START = re.compile(r"\]\(\s*<?|<(?=\S)|^[ \t]*\[[^\]\n]+\]:\s*<?|\b(?:href|src)\s*=\s*[\"']?",
                           re.IGNORECASE | re.MULTILINE)
_CODE_SPAN = re.compile(r"(`+).+?\1", re.DOTALL)
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")    # browsers drop tabs and newlines anywhere
RAW_HTML = re.compile(r"<(/?[a-zA-Z][\w-]*)(\s[^<>]*)?/?>")


def unsafe_scheme(target: str) -> str | None:
    """The dangerous scheme `target` starts with, however it is written: with character
    references (`&#106;avascript:`, `javascript&colon;`), percent-escapes, spaces, tabs,
    newlines or control characters inside, in any case. None for a harmless target."""
    first = target.lstrip("".join(map(chr, range(0x21))) + "\x7f")[:1].lower()
    if first and first not in "jvdf&%":     # the common case: a scheme that is none of them
        return None
    plain = target[:200]
    for _ in range(2):                      # '&amp;#106;' and '%26%23106;' too
        plain = unquote(html.unescape(plain))
    scheme, colon, _ = _IGNORED_IN_URL.sub("", plain).partition(":")
    scheme = scheme.lower()
    return scheme if colon and scheme in UNSAFE_SCHEMES else None


def check(page: Page, site: Site) -> Iterable[Problem]:
    for token in page.tokens:
        line = token.map[0] + page.body_line if token.map else None
        if token.type != "inline":
            continue
        yield from _check_unsafe(page, line, token)
        yield from _check_raw_html(page, site, line, token.content)
        children = token.children or []
        for index, child in enumerate(children):
            if child.type != "link_open":
                continue
            href = child.attrGet("href") or ""
            text = _link_text(children, index).strip()
            yield from _check_text(page, line, href, text)


def collect(page: Page) -> list[tuple[int | None, str]]:
    """The page's links as (line, href), kept after its tokens are dropped; an unsafe one
    is reported by `check` and is no address to look for."""
    found = []
    for token in page.tokens:
        if token.type == "inline":
            line = token.map[0] + page.body_line if token.map else None
            found += [(line, c.attrGet("href") or "") for c in token.children or []
                      if c.type == "link_open" and not unsafe_scheme(c.attrGet("href") or "")]
    return found


def check_targets(page: Page, site: Site) -> Iterable[Problem]:
    """Internal links lead to real pages and headings; needs every page's headings."""
    for line, href in page.links:
        yield from _check_target(page, site, line, href)


def _check_unsafe(page: Page, line, token) -> Iterable[Problem]:
    """Dangerous link targets in one block, each reported once with its own line."""
    found: dict[tuple, str] = {}
    content = token.content
    if "](" in content or "<" in content or "]:" in content or "=" in content:
        # Code spans show their text as code, never as a link: blanked, newlines kept.
        source = _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), content)
        for match in _TARGET_START.finditer(source):
            scheme = unsafe_scheme(source[match.end():])
            if scheme:
                at = line + source.count("\n", 0, match.start()) if line else None
                found.setdefault((at, scheme), scheme)
    for child in token.children or []:
        if child.type == "link_open" or child.type == "image":
            scheme = unsafe_scheme(child.attrGet("href" if child.type == "link_open" else "src")
                                   or "")
            if scheme and not any(s == scheme for _, s in found):
                found[(line, scheme)] = scheme
    for (at, scheme) in found:
        yield Problem(page.path, at, Severity.ERROR, "unsafe-link",
                      f"a link to '{scheme}:' is not allowed; link to a web page "
                      "(https://...) or a page of this site")


def _check_raw_html(page: Page, site: Site, line, source: str) -> Iterable[Problem]:
    # '<java\tscript:...>' looks like a tag but is an unsafe link, reported as one.
    html_tag = next((m for m in RAW_HTML.finditer(source)
                     if not unsafe_scheme(m.group(0)[1:])), None)
    if html_tag and not site.config.allow_html:
        yield Problem(page.path, line, Severity.WARNING, "raw-html",
                      f"HTML such as '<{html_tag.group(1)}>' is shown as text, not used; write "
                      "Markdown instead (see README: Writing a policy)")


def _link_text(children, index: int) -> str:
    parts = []
    for child in children[index + 1:]:
        if child.type == "link_close":
            break
        parts.append(child.content if child.type != "image" else child.attrGet("alt") or "")
    return "".join(parts)


def _check_text(page: Page, line, href: str, text: str):
    if not text:
        yield Problem(page.path, line, Severity.ERROR, "link-empty",
                      f"the link to '{href}' has no text; write what it leads to")
    elif text.lower().rstrip(".:") in VAGUE:
        yield Problem(page.path, line, Severity.WARNING, "link-text",
                      f"the link text '{text}' means nothing out of context; "
                      "name what the link leads to")
    elif text == href or text.startswith(("http://", "https://", "www.")):
        yield Problem(page.path, line, Severity.WARNING, "link-text",
                      "a bare web address is hard to listen to; write the name of the page "
                      "as the link text")


def _check_target(page: Page, site: Site, line, href: str):
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not (parts.path or parts.fragment):
        return
    if parts.path and not parts.path.startswith("/"):
        yield Problem(page.path, line, Severity.ERROR, "link-broken",
                      f"'{href}': link to another document by its address from the site's "
                      "root, e.g. /glostrup/handicappolitik/")
        return
    target = site.by_url.get(parts.path or page.url) if parts.path else page
    if parts.path and target is None:
        if _is_listing(site, parts.path):
            return
        yield Problem(page.path, line, Severity.ERROR, "link-broken",
                      f"there is no page at '{parts.path}'")
        return
    if parts.fragment and target is not None:
        ids = {h.id for h in target.headings}
        if parts.fragment not in ids:
            yield Problem(page.path, line, Severity.ERROR, "link-anchor",
                          f"'{target.front.title}' has no heading with the id "
                          f"'#{parts.fragment}'")


def _is_listing(site: Site, path: str) -> bool:
    return path == "/" or path.strip("/") in site.config.municipalities
