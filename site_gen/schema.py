"""Typed readers for YAML mappings: front matter and site settings share them.

Each field names a reader that turns the author's text into a typed value or raises
`FieldError` with a message an author can act on. `read_fields` reports every bad, missing
and unknown key of a mapping at once, with "did you mean" suggestions (difflib, as in
shared/guides/publishing.md § 5).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from .problems import Problems
from .yamlsafe import YDict, YList


class FieldError(ValueError):
    """A value an author wrote cannot be used; the message says why and what to write."""
    def __init__(self, message: str, code: str = "bad-value", line: int | None = None):
        super().__init__(message)
        self.code, self.line = code, line


@dataclass(frozen=True)
class Field:
    read: Callable[[Any, int], Any]    # (value, line) -> typed value
    required: bool = False


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def read_fields(data: Any, fields: dict[str, Field], path: str, problems: Problems,
                line: int, what: str = "front matter") -> dict[str, Any] | None:
    """Return the typed values of `data` (missing optional keys left out), or None when any
    key was bad. Problem codes: not-a-mapping, unknown-key, missing-field, and the codes
    of the readers (bad-value, bad-date, bad-url, ...)."""
    if not isinstance(data, YDict):
        kind = "a list" if isinstance(data, YList) else "empty" if data is None else "a single value"
        problems.error(path, line, "not-a-mapping",
                       f"the {what} is {kind}; it must be keys with values, like 'title: ...'")
        return None
    values, ok = {}, True
    for key, value in data.items():
        key_line = data.lines[key]
        if key not in fields:
            problems.error(path, key_line, "unknown-key",
                           f"unknown {what} key '{key}'{suggest(key, fields)}")
            ok = False
            continue
        if value is None:
            continue
        try:
            values[key] = fields[key].read(value, key_line)
        except FieldError as exc:
            problems.error(path, exc.line or key_line, exc.code, f"'{key}': {exc}")
            ok = False
    for key, spec in fields.items():
        if spec.required and key not in values and key not in _bad_keys(data, values):
            problems.error(path, line, "missing-field",
                           f"the {what} needs '{key}'")
            ok = False
    return values if ok else None


def _bad_keys(data: YDict, values: dict) -> set[str]:
    return {k for k, v in data.items() if v is not None and k not in values}


# --- readers -------------------------------------------------------------------------

def text(value: Any, line: int) -> str:
    if not isinstance(value, str):
        raise FieldError("must be text, not a list or mapping")
    value = " ".join(value.split())
    if not value:
        raise FieldError("must not be empty")
    return value


def choice(options: dict) -> Callable[[Any, int], str]:
    def read(value: Any, line: int) -> str:
        value = text(value, line)
        if value not in options:
            listed = ", ".join(options)
            raise FieldError(f"'{value}' is not one of: {listed}{suggest(value, options)}")
        return value
    return read


def boolean(value: Any, line: int) -> bool:
    word = text(value, line).lower()
    if word in ("true", "ja"):
        return True
    if word in ("false", "nej"):
        return False
    raise FieldError(f"'{value}' must be true or false")


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def date(value: Any, line: int) -> dt.date:
    raw = text(value, line)
    match = _DATE.fullmatch(raw)
    if not match:
        raise FieldError(f"'{raw}' is not a date; write it as YYYY-MM-DD, e.g. 2023-06-28",
                         "bad-date")
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise FieldError(f"'{raw}' is not a real date; check the day and month", "bad-date")


_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def partial_date(value: Any, line: int) -> str:
    """A year, year-month or full date, kept as text: '2012', '2012-07', '2012-07-01'."""
    raw = text(value, line)
    if not _PARTIAL_DATE.fullmatch(raw):
        raise FieldError(f"'{raw}' must be a year (2023), a month (2023-06) or a date (2023-06-28)",
                         "bad-date")
    parts = [int(p) for p in raw.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        raise FieldError(f"'{raw}' is not a real date; check the day and month", "bad-date")
    return raw


def url(value: Any, line: int) -> str:
    """An absolute http(s) or mailto URL; `javascript:` and friends never reach a page.
    Every URL site_gen takes (settings, front matter, the command line) is read here."""
    raw = text(value, line)
    if any(char.isspace() or not char.isprintable() for char in raw):
        raise FieldError(f"'{raw}' is not a web address: it has spaces or invisible "
                         "characters (write a space as %20)", "bad-url")
    try:
        parts = urlsplit(raw)
        parts.port                              # a port that is not a number raises
    except ValueError:
        raise FieldError(f"'{raw}' is not a web address; write it as https://...", "bad-url") \
            from None
    if parts.scheme == "mailto" and "@" in parts.path:
        return raw
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FieldError(f"'{raw}' must be a web address starting with https://", "bad-url")
    if parts.username is not None or parts.password is not None:
        raise FieldError(f"'{raw}' holds a user name or password; leave them out", "bad-url")
    return raw


def base_url(value: Any, line: int) -> str:
    """The address the site is published at: an http(s) `url` with a host and nothing after
    the path, since page addresses are appended to it (canonical links, feed, sitemap)."""
    raw = url(value, line)
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or parts.query or parts.fragment \
            or raw.endswith(("?", "#")):
        raise FieldError(f"'{raw}' must be the site's web address, such as "
                         "https://example.dk/, with no '?' or '#' part", "bad-url")
    return raw


# A BCP 47 tag as authors write them: a 2-3 letter language, optional subtags (en, en-GB).
LANGUAGE = re.compile(r"[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*")


def language(value: Any, line: int) -> str:
    """A language code such as da or en-GB (WCAG 3.1.1)."""
    raw = text(value, line)
    if not LANGUAGE.fullmatch(raw):
        raise FieldError(f"'{raw}' is not a language code; write e.g. da (Danish) or en",
                         "lang-invalid")
    return raw


def email(value: Any, line: int) -> str:
    raw = text(value, line)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", raw):
        raise FieldError(f"'{raw}' is not an e-mail address", "bad-email")
    return raw


SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def slug(value: Any, line: int) -> str:
    raw = text(value, line)
    if not SLUG.fullmatch(raw):
        raise FieldError(f"'{raw}' must be lower-case letters a-z, digits and hyphens", "bad-slug")
    return raw


def list_of(read_item: Callable[[Any, int], Any]) -> Callable[[Any, int], list]:
    def read(value: Any, line: int) -> list:
        if not isinstance(value, YList):
            raise FieldError("must be a list (each item on its own line starting with '- ')")
        return [read_item(item, item_line) for item, item_line in zip(value, value.lines)]
    return read


def mapping(fields: dict[str, Field], build: Callable[..., Any]) -> Callable[[Any, int], Any]:
    """A nested mapping whose keys are read with `fields` and passed to `build(line=..., **values)`."""
    def read(value: Any, line: int) -> Any:
        if not isinstance(value, YDict):
            raise FieldError("must be keys with values on the lines below, indented")
        values = {}
        for key, item in value.items():
            key_line = value.lines[key]
            if key not in fields:
                raise FieldError(f"unknown key '{key}'{suggest(key, fields)}", "unknown-key", key_line)
            if item is not None:
                try:
                    values[key] = fields[key].read(item, key_line)
                except FieldError as exc:
                    raise FieldError(f"'{key}': {exc}", exc.code, exc.line or key_line)
        for key, spec in fields.items():
            if spec.required and key not in values:
                raise FieldError(f"needs '{key}'", "missing-field", value.line)
        return build(line=value.line, **values)
    return read


def free(value: Any, line: int) -> Any:
    """Free-form data, passed to layouts as written (text stays text)."""
    return value
