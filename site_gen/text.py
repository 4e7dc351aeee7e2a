"""Small pure helpers for Danish text: slugs and dates as readers expect them."""
from __future__ import annotations

import datetime as dt
import functools

from slugify import slugify

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")
_DANISH = [["Æ", "Ae"], ["æ", "ae"], ["Ø", "Oe"], ["ø", "oe"], ["Å", "Aa"], ["å", "aa"]]


@functools.lru_cache(maxsize=4096)         # headings repeat across documents
def make_slug(text: str, fallback: str = "afsnit") -> str:
    """A URL-safe Danish slug: 'Børne- og ungepolitik' -> 'boerne-og-ungepolitik'.

    python-slugify with Danish replacements (shared/guides/publishing.md § 5); never empty."""
    return slugify(text, replacements=_DANISH) or fallback


def danish_date(value: dt.date) -> str:
    """'28. juni 2011'; 'juni 2011' for a month written without a day (schema.Month)."""
    if getattr(value, "precision", "day") == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def danish_partial_date(value: str) -> str:
    """'2012' -> '2012', '2012-07' -> 'juli 2012', '2012-07-01' -> '1. juli 2012'."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return danish_date(dt.date(*parts))


def danish_phone(number: str) -> str:
    """'+4543591000' (as schema.phone keeps it) -> '+45 43 59 10 00', grouped in pairs as
    Danish numbers are written."""
    digits = "".join(c for c in number if c.isdigit())[-8:]
    return "+45 " + " ".join(digits[i:i + 2] for i in range(0, 8, 2))


def phone_link(number: str) -> str:
    """'+4543591000' -> 'tel:+4543591000' (RFC 3966: the global number, no spaces)."""
    return "tel:+45" + "".join(c for c in number if c.isdigit())[-8:]
