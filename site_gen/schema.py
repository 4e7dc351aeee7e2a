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

from .i18n import _
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
    names: tuple[str, ...] = ()        # the key's Danish names, suggested back when written
    label: str = ""                    # the editor's label for it (N_: translated when shown)
    hint: str = ""                     # the editor's one line of help on what to write
    editor: str = ""                   # its widget where the reader does not say (editor/)


def suggest_key(key: str, fields: dict[str, Field]) -> str:
    """'; did you mean ...?' for an unknown key: a misspelling of a key, or one of its Danish
    names ('vedtaget' -> 'adopted', issue 30)."""
    names = {name: real for real, spec in fields.items() for name in spec.names}
    folded = key.lower().replace(" ", "_").replace("-", "_")
    if folded in names:
        return _("; did you mean '{word}'?").format(word=names[folded])
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.8)
    return (_("; did you mean '{word}'?").format(word=names[close[0]]) if close
            else suggest(key, fields))


def suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return _("; did you mean '{word}'?").format(word=close[0]) if close else ""


def _what(what: str) -> str:
    """The mapping a message is about, in the chosen language."""
    return {"front matter": _("front matter"), "setting": _("setting")}[what]


def read_fields(data: Any, fields: dict[str, Field], path: str, problems: Problems,
                line: int, what: str = "front matter") -> dict[str, Any] | None:
    """Return the typed values of `data` (missing optional keys left out), or None when any
    key was bad. Problem codes: not-a-mapping, unknown-key, missing-field, and the codes
    of the readers (bad-value, bad-date, bad-url, ...)."""
    values, failed = read_fields_partly(data, fields, path, problems, line, what)
    return values if values is not None and not failed else None


def read_fields_partly(data: Any, fields: dict[str, Field], path: str, problems: Problems,
                       line: int, what: str = "front matter"
                       ) -> tuple[dict[str, Any] | None, set[str]]:
    """The values that could be read, and the keys that could not (bad, unknown or missing
    though required), every problem recorded: a page with one bad key is still rendered
    and checked, so one build names all its problems (issue 30). Values are None when
    `data` is not a mapping at all."""
    if not isinstance(data, YDict):
        kind = _("a list") if isinstance(data, YList) else _("empty") if data is None \
            else _("a single value")
        problems.error(path, line, "not-a-mapping",
                       _("the {what} is {kind}; it must be keys with values, like 'title: ...'")
                       .format(what=_what(what), kind=kind))
        return None, set()
    values, failed = {}, set()
    for key, value in data.items():
        key_line = data.lines[key]
        if key not in fields:
            problems.error(path, key_line, "unknown-key",
                           _("unknown {what} key '{key}'").format(what=_what(what), key=key)
                           + suggest_key(key, fields))
            failed.add(key)
            continue
        value = _as_written(fields[key], value)
        if value is None:
            continue
        try:
            values[key] = fields[key].read(value, key_line)
        except FieldError as exc:
            problems.error(path, exc.line or key_line, exc.code, f"'{key}': {exc}")
            failed.add(key)
    for key, spec in fields.items():
        if spec.required and key not in values and key not in _bad_keys(data, values):
            problems.error(path, line, "missing-field",
                           _("the {what} needs '{key}'").format(what=_what(what), key=key))
            failed.add(key)
    return values, failed


def _as_written(spec: Field, value: Any) -> Any:
    """The value to read, or None for a key that is not set. An optional key written with
    nothing, '~' or '' (as a browser editor writes an empty field) is not set (issue 30),
    never an error; a required one left so is empty ("must not be empty", not a title '~')."""
    if isinstance(value, str) and value.strip() in ("", "~", "''", '""'):
        return "" if spec.required else None
    return value


def _bad_keys(data: YDict, values: dict) -> set[str]:
    return {k for k, v in data.items() if v is not None and k not in values}


# --- readers -------------------------------------------------------------------------

def text(value: Any, line: int) -> str:
    if not isinstance(value, str):
        raise FieldError(_("must be text, not a list or mapping"))
    value = " ".join(value.split())
    if not value:
        raise FieldError(_("must not be empty"))
    return value


def choice(options: dict) -> Callable[[Any, int], str]:
    """One of `options`' keys. A Danish label written instead ('vedtaget', 'Politik') is
    suggested back with its key (issue 30): the values are English, the labels Danish."""
    labels = {}
    for key, described in options.items():
        label = label_of(described)
        if label:
            labels.setdefault(label.lower(), (key, label))
    def read(value: Any, line: int) -> str:
        value = text(value, line)
        if value not in options:
            listed = ", ".join(options)
            close = difflib.get_close_matches(value.lower(), list(labels), n=1, cutoff=0.75)
            hint = (_("; did you mean '{key}' ({label})?").format(
                key=labels[close[0]][0], label=labels[close[0]][1]) if close
                else suggest(value, options))
            raise FieldError(_("'{value}' is not one of: {listed}").format(
                value=value, listed=listed) + hint)
        return value
    read.options = options             # what the browser editor offers (editor/config.py)
    return read


def label_of(described: Any) -> str | None:
    """The Danish label of a choice: the value itself, its 'label', or its first part."""
    if isinstance(described, str):
        return described
    if isinstance(described, dict):
        return described.get("label")
    if isinstance(described, tuple) and described and isinstance(described[0], str):
        return described[0]
    return None


def boolean(value: Any, line: int) -> bool:
    word = text(value, line).lower()
    if word in ("true", "ja"):
        return True
    if word in ("false", "nej"):
        return False
    raise FieldError(_("'{value}' must be true or false").format(value=value))


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class Month(dt.date):
    """A month written without a day (`adopted: 2023-06`, issue 30): where the source says
    "juni 2023", no day is made up. It is the month's first day wherever dates are compared,
    and is written and shown as the month ('2023-06', 'juni 2023')."""
    precision = "month"

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat


_MONTH = re.compile(r"(\d{4})-(\d{2})")


def date_or_month(value: Any, line: int) -> dt.date:
    """A date, or a month when the source gives no day: '2023-06-28' or '2023-06'."""
    raw = text(value, line)
    match = _MONTH.fullmatch(raw)
    if match:
        year, month = map(int, match.groups())
        if not 1 <= month <= 12:
            raise FieldError(_("'{value}' is not a real month; check the month").format(
                value=raw), "bad-date")
        return Month(year, month, 1)
    if not _DATE.fullmatch(raw):
        raise FieldError(_("'{value}' is not a date; write it as YYYY-MM-DD (year, month, "
                           "day), or as YYYY-MM when the source gives only the month").format(
                               value=raw), "bad-date")
    return date(raw, line)


def date(value: Any, line: int) -> dt.date:
    raw = text(value, line)
    match = _DATE.fullmatch(raw)
    if not match:
        raise FieldError(_("'{value}' is not a date; write it as YYYY-MM-DD (year, month, "
                           "day)").format(value=raw), "bad-date")
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        raise FieldError(_("'{value}' is not a real date; check the day and month").format(
            value=raw), "bad-date")


_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def partial_date(value: Any, line: int) -> str:
    """A year, year-month or full date, kept as text: '2012', '2012-07', '2012-07-01'."""
    raw = text(value, line)
    if not _PARTIAL_DATE.fullmatch(raw):
        raise FieldError(_("'{value}' must be a year (2023), a month (2023-06) or a date "
                           "(2023-06-28)").format(value=raw), "bad-date")
    parts = [int(p) for p in raw.split("-")] + [1, 1]
    try:
        dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        raise FieldError(_("'{value}' is not a real date; check the day and month").format(
            value=raw), "bad-date")
    return raw


def url(value: Any, line: int) -> str:
    """An absolute http(s) or mailto URL; `javascript:` and friends never reach a page.
    Every URL site_gen takes (settings, front matter, the command line) is read here."""
    raw = text(value, line)
    if any(char.isspace() or not char.isprintable() for char in raw):
        raise FieldError(_("'{value}' is not a web address: it has spaces or invisible "
                           "characters (write a space as %20)").format(value=raw), "bad-url")
    try:
        parts = urlsplit(raw)
        parts.port                              # a port that is not a number raises
    except ValueError:
        raise FieldError(_("'{value}' is not a web address; write it as https://...").format(
            value=raw), "bad-url") from None
    if parts.scheme == "mailto" and "@" in parts.path:
        return raw
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FieldError(_("'{value}' must be a web address starting with https://").format(
            value=raw), "bad-url")
    if parts.username is not None or parts.password is not None:
        raise FieldError(_("'{value}' holds a user name or password; leave them out").format(
            value=raw), "bad-url")
    return raw


def base_url(value: Any, line: int) -> str:
    """The address the site is published at: an http(s) `url` with a host and nothing after
    the path, since page addresses are appended to it (canonical links, feed, sitemap)."""
    raw = url(value, line)
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or parts.query or parts.fragment \
            or raw.endswith(("?", "#")):
        raise FieldError(_("'{value}' must be the site's web address, such as "
                           "https://example.dk/, with no '?' or '#' part").format(value=raw),
                         "bad-url")
    return raw


# A BCP 47 tag as authors write them: a 2-3 letter language, optional subtags (en, en-GB).
LANGUAGE = re.compile(r"[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*")


def language(value: Any, line: int) -> str:
    """A language code such as da or en-GB (WCAG 3.1.1)."""
    raw = text(value, line)
    if not LANGUAGE.fullmatch(raw):
        raise FieldError(_("'{value}' is not a language code; write e.g. da (Danish) or en")
                         .format(value=raw), "lang-invalid")
    return raw


def email(value: Any, line: int) -> str:
    raw = text(value, line)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", raw):
        raise FieldError(_("'{value}' is not an e-mail address").format(value=raw), "bad-email")
    return raw


_PHONE = re.compile(r"(?:\+45|0045)?(\d{8})")


def phone(value: Any, line: int) -> str:
    """A Danish phone number, 8 digits with or without +45, kept as '+4543591000'; layouts
    show it as '+45 43 59 10 00' (text.danish_phone)."""
    raw = text(str(value) if isinstance(value, int) else value, line)
    match = _PHONE.fullmatch(re.sub(r"[\s\-.]", "", raw))
    if not match:
        raise FieldError(_("'{value}' is not a Danish phone number; write 8 digits, "
                           "such as 43 59 10 00 or +45 43 59 10 00").format(value=raw), "bad-phone")
    return "+45" + match.group(1)


_COLOUR = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def colour(value: Any, line: int) -> str:
    """A colour as '#rrggbb' (or '#rgb'), kept in lower case as '#rrggbb'."""
    raw = text(value, line)
    match = _COLOUR.fullmatch(raw)
    if not match:
        raise FieldError(_("'{value}' is not a colour; write it as #rrggbb, such as #005a5a")
                         .format(value=raw), "bad-colour")
    digits = match.group(1).lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp")


def asset_name(value: Any, line: int) -> str:
    """A picture in layouts/assets/, named relative to that folder: 'logo.svg'."""
    raw = text(value, line)
    parts = raw.split("/")
    if raw.startswith("/") or "\\" in raw or any(p in ("", ".", "..") for p in parts) \
            or not raw.lower().endswith(IMAGE_SUFFIXES):
        raise FieldError(_("'{value}' must be a picture ({suffixes}) in the layouts' assets "
                           "folder, named from there, such as logo.svg").format(
            value=raw, suffixes=", ".join(IMAGE_SUFFIXES)), "bad-asset")
    return raw


SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def slug(value: Any, line: int) -> str:
    raw = text(value, line)
    if not SLUG.fullmatch(raw):
        raise FieldError(_("'{value}' must be lower-case letters a-z, digits and hyphens")
                         .format(value=raw), "bad-slug")
    return raw


def list_of(read_item: Callable[[Any, int], Any]) -> Callable[[Any, int], list]:
    def read(value: Any, line: int) -> list:
        if not isinstance(value, YList):
            raise FieldError(_("must be a list (each item on its own line starting with '- ')"))
        return [read_item(item, item_line) for item, item_line in zip(value, value.lines)]
    read.item = read_item
    return read


def mapping(fields: dict[str, Field], build: Callable[..., Any]) -> Callable[[Any, int], Any]:
    """A nested mapping whose keys are read with `fields` and passed to `build(line=..., **values)`."""
    def read(value: Any, line: int) -> Any:
        if not isinstance(value, YDict):
            raise FieldError(_("must be keys with values on the lines below, indented"))
        values = {}
        for key, item in value.items():
            key_line = value.lines[key]
            if key not in fields:
                raise FieldError(_("unknown key '{key}'").format(key=key) + suggest(key, fields),
                                 "unknown-key", key_line)
            item = _as_written(fields[key], item)
            if item is not None:
                try:
                    values[key] = fields[key].read(item, key_line)
                except FieldError as exc:
                    raise FieldError(f"'{key}': {exc}", exc.code, exc.line or key_line)
        for key, spec in fields.items():
            if spec.required and key not in values:
                raise FieldError(_("needs '{key}'").format(key=key), "missing-field", value.line)
        return build(line=value.line, **values)
    read.fields = fields
    return read


def free(value: Any, line: int) -> Any:
    """Free-form data, passed to layouts as written (text stays text)."""
    return value


# The text each reader accepts, as a pattern the browser editor checks while a value is
# typed (editor/config.py); the readers above remain the judges.
date_or_month.pattern = f"{_MONTH.pattern}|{_DATE.pattern}"
partial_date.pattern = _PARTIAL_DATE.pattern
slug.pattern = SLUG.pattern
