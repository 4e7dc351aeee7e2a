"""Images have alt text or are marked decorative, and point at a file of the page bundle
(WCAG 1.1.1). A pictogram (![](billede:bolig)) comes from the registry and may be
decorative, because it sits beside text that says the same. Codes: image-alt,
image-missing, image-path, image-pictogram."""
from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Iterable
from urllib.parse import unquote, urlsplit

from ..model import Page, Site
from ..pictograms import SCHEME
from ..problems import Problem, Severity
from ..schema import suggest


def check(page: Page, site: Site) -> Iterable[Problem]:
    assets = {PurePosixPath(a.source_path).name for a in page.source.assets}
    for line, token in _images(page):
        src = token.attrGet("src") or ""
        if src.startswith(SCHEME):
            name = src[len(SCHEME):]
            alt = (token.attrGet("alt") or "").strip()
            if alt and is_file_name(alt, src):
                yield _file_name_alt(page, line, alt)
            if name not in site.pictograms:
                yield Problem(page.path, line, Severity.ERROR, "image-pictogram",
                              f"there is no picture '{name}' in layouts/pictograms.yaml"
                              f"{suggest(name, site.pictograms)}")
            continue
        alt = (token.attrGet("alt") or "").strip()
        decorative = "decorative" in (token.attrGet("class") or "").split()
        if not alt and not decorative:
            yield Problem(page.path, line, Severity.ERROR, "image-alt",
                          f"the image '{src}' has no alt text; describe it in ![...] or, if the "
                          "text already says it, mark it {.decorative}")
        elif is_file_name(alt, src):
            yield _file_name_alt(page, line, alt)
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            continue
        name = unquote(parts.path)
        if "/" in name or name.startswith("."):
            yield Problem(page.path, line, Severity.ERROR, "image-path",
                          f"'{src}' must be a file in the same folder as the page, "
                          "e.g. ![...](kort.png)")
        elif name not in assets:
            yield Problem(page.path, line, Severity.ERROR, "image-missing",
                          f"the image '{src}' is not in the page's folder")


# A name a camera, a phone or a program gives a file: 'IMG_1234.JPG', 'logo.png', 'Billede 3.jpeg'.
_FILE_NAME = re.compile(r"[^\s/\\]*(?:\s[^\s/\\]*){0,3}\.(?:png|jpe?g|gif|svg|webp|tiff?|bmp|heic|"
                        r"avif|pdf)", re.IGNORECASE)


def is_file_name(alt: str, src: str) -> bool:
    """Whether alt text is a file name (the image's own or any image file's name), which
    tells a screen-reader user nothing (WCAG 1.1.1)."""
    alt = alt.strip()
    own = PurePosixPath(unquote(urlsplit(src).path)).name
    return alt.lower() == own.lower() or _FILE_NAME.fullmatch(alt) is not None


def _file_name_alt(page: Page, line, alt: str) -> Problem:
    return Problem(page.path, line, Severity.ERROR, "image-alt",
                   f"the alt text '{alt}' is a file name; describe what the image shows, or "
                   "mark it {.decorative} if the text already says it")


def _images(page: Page):
    for token in page.tokens:
        if token.type != "inline":
            continue
        line = token.map[0] + page.body_line if token.map else None
        for child in token.children or []:
            if child.type == "image":
                child.attrSet("alt", "".join(c.content for c in child.children or []))
                yield line, child
