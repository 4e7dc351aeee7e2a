"""`build.py init <folder> --municipality <key> --name "Viborg Kommune"`: a new site for one
municipality (issue 30), as `hugo new site` starts one: its settings with every choice
explained in Danish comments, an empty glossary, and one starter document with its
easy-read version, written from the templates of `build.py new`. The new site builds with
no errors at once; with --phone and --email (the accessibility statement's contacts) also
with no warnings. Nothing is ever overwritten: a folder that holds files is refused.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from . import brand, schema
from .config import SETTINGS_FILE
from .glossary import GLOSSARY_FILE
from .i18n import _
from .new_page import easy_read_text, standard_text
from .schema import SLUG
from .text import make_slug

STARTER = "handicappolitik"          # the starter document's folder


class NewSiteError(Exception):
    """Nothing was written; the message says why and what to do."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py init",
        description=_("Start a new site for one municipality: settings, an empty glossary "
                      "and a first document with its easy-read version."))
    parser.add_argument("folder", metavar=_("FOLDER"),
                        help=_("the new site's folder; it must not exist or must be empty"))
    parser.add_argument("--municipality", required=True, metavar=_("KEY"),
                        help=_("the municipality's short name, used in addresses, e.g. viborg"))
    parser.add_argument("--name", required=True, metavar=_("NAME"),
                        help=_("the municipality's name, e.g. \"Viborg Kommune\""))
    parser.add_argument("--website", metavar="URL",
                        help=_("the municipality's own website (default: https://KEY.dk/)"))
    parser.add_argument("--base-url", metavar="URL",
                        help=_("the address the site will be published at (default: the "
                               "website's /handicappolitik/)"))
    parser.add_argument("--phone", metavar=_("NUMBER"),
                        help=_("the phone number for feedback on accessibility"))
    parser.add_argument("--email", metavar=_("ADDRESS"),
                        help=_("the e-mail address for feedback on accessibility"))
    parser.add_argument("--colour", metavar="#RRGGBB",
                        help=_("the municipality's main colour for links and lines"))
    return parser


def _checked(read, value: str | None, option: str):
    """A value read by the same reader as its setting, or NewSiteError with its message."""
    if value is None:
        return None
    try:
        return read(value, 0)
    except schema.FieldError as exc:
        raise NewSiteError(f"{option}: {exc}") from None


def create(folder: Path, key: str, name: str, website: str | None = None,
           base_url: str | None = None, phone: str | None = None, email: str | None = None,
           colour: str | None = None, today: dt.date | None = None) -> tuple[list[Path], list[str]]:
    """Write the new site; return the files written and what the editor should check (the
    values site_gen chose for them). Raises NewSiteError when nothing may be written."""
    if not SLUG.fullmatch(key):
        raise NewSiteError(_("the municipality's short name '{key}' becomes part of the "
                             "address; use only a-z, 0-9 and hyphens, e.g. '{slug}'").format(
                                 key=key, slug=make_slug(key)))
    name = " ".join(name.split())
    if not name:
        raise NewSiteError(_("--name must not be empty; write the municipality's name, e.g. "
                             "\"Viborg Kommune\""))
    if os.path.lexists(folder) and (not folder.is_dir() or folder.is_symlink()
                                    or any(folder.iterdir())):
        raise NewSiteError(_("{path} exists already and is not an empty folder; choose a new "
                             "folder for the site").format(path=folder.as_posix()))
    to_check = []
    if website is None:
        website = f"https://{key}.dk/"
        to_check.append(_("the municipality's website, guessed as {url} ('website')").format(
            url=website))
    website = _checked(schema.url, website, "--website")
    if base_url is None:
        base_url = website.rstrip("/") + f"/{STARTER}/"
        to_check.append(_("the address the site will be published at, guessed as {url} "
                          "('base_url')").format(url=base_url))
    base_url = _checked(schema.base_url, base_url, "--base-url")
    phone = _checked(schema.phone, phone, "--phone")
    email = _checked(schema.email, email, "--email")
    if colour is not None:
        colour = _checked(schema.colour, colour, "--colour")
        try:
            brand.check_colours(colour, None)
        except ValueError as exc:
            raise NewSiteError(f"--colour: {exc}") from None
    if phone is None or email is None:
        to_check.append(_("the phone number and e-mail address for feedback on accessibility "
                          "('phone' and 'email' under 'accessibility_statement'); the build "
                          "warns until both are there"))
    today = today or dt.date.today()
    content = folder / "content"
    files = {
        content / SETTINGS_FILE: settings_text(key, name, website, base_url, phone, email,
                                               colour, today),
        content / GLOSSARY_FILE: GLOSSARY_TEXT,
        content / key / STARTER / "index.md": starter_text(name),
        content / key / STARTER / "index.easy-read.md": starter_easy_read_text(name),
    }
    written = []
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as file:          # "x": never overwrite
            file.write(text)
        written.append(path)
    return written, to_check


def _yaml_text(value: str) -> str:
    """A value as a YAML double-quoted string (names with ':' or '#' stay text)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def settings_text(key: str, name: str, website: str, base_url: str, phone: str | None,
                  email: str | None, colour: str | None, today: dt.date) -> str:
    phone_line = f"  phone: {_yaml_text(phone)}" if phone else \
        "  # phone: \"+45 12 34 56 78\"   # skriv kommunens telefonnummer"
    email_line = f"  email: {_yaml_text(email)}" if email else \
        "  # email: tilgaengelighed@kommune.dk   # skriv kommunens e-mailadresse"
    colours = (f"  colours:\n    primary: \"{colour}\"" if colour else
               "  # colours:\n  #   primary: \"#0b4ea2\"   # kommunens farve til links og streger")
    return f"""# Indstillinger for webstedet. Hver nøgle er forklaret i docs/vejledning.md.
# Ret teksterne efter '#'-tegnet: det er forklaringer, som ikke bliver vist.

# Webstedets navn: vises øverst på hver side og i browserens faneblad.
title: {_yaml_text(f"Handicappolitik – {name}")}
language: da
# Adressen, webstedet bliver lagt på. Alle links bygges ud fra den. Spørg jeres IT, hvis I
# ikke kender den (docs/til-it.md).
base_url: {base_url}
# En kort beskrivelse til søgemaskiner og deling på sociale medier.
description: {_yaml_text(f"{name}s handicappolitik, skrevet så alle kan læse den, med en "
                         f"letlæst udgave.")}
# Hvem står bag webstedet (vises i sidefoden).
publisher:
  name: {_yaml_text(name)}
  website: {website}
{phone_line}
{email_line}
  # address: "Rådhuset, Gade 1, 8800 By"
  # opening_hours: "Mandag-fredag 10-15"
{colours}
# Tilgængelighedserklæringen, som loven kræver. Har kommunen en erklæring på was.digst.dk,
# så skriv dens adresse under 'url' i stedet for 'compliance' og 'known_issues'.
accessibility_statement:
  compliance: partially        # fully (helt), partially (delvist) eller not (ikke)
  reviewed: {today.isoformat()}         # hvornår erklæringen sidst blev gennemgået
{phone_line}
{email_line}
  known_issues:
    - Webstedet er testet automatisk, men endnu ikke manuelt med skærmlæser.
# Lav en PDF af hvert dokument (tager længere tid at bygge).
pdf: true
# Kommunen, hvis dokumenter ligger i mappen content/{key}/.
municipalities:
  {key}:
    name: {_yaml_text(name)}
    website: {website}
"""


GLOSSARY_TEXT = """# Ordlisten: forkortelser og svære ord, som forklares på siderne.
# Skriv hvert ord sådan (fjern '#'), og slet '[]' nederst, når der står ord her:
# - term: BPA
#   full: borgerstyret personlig assistance
#   easy: Du får en hjælper, som du selv styrer. Kommunen betaler.
[]
"""


def starter_text(name: str) -> str:
    """The starter document: `build.py new`'s template with a summary and a first text the
    editor replaces; a draft until its status is changed."""
    text = standard_text(STARTER, "policy")
    text = text.replace("summary:\n", f"summary: {name}s handicappolitik. Her står, hvad "
                        "kommunen vil gøre for borgere med handicap.\n", 1)
    return text + ("Her skriver I politikkens indledning: hvem politikken er for, og hvad "
                   "den vil.\n\nErstat teksten med jeres egen. Siden er et udkast, indtil I "
                   "ændrer 'status'.\n")


def starter_easy_read_text(name: str) -> str:
    text = easy_read_text(STARTER)
    text = text.replace("summary:\n", "summary: Kort om politikken for borgere med "
                        "handicap.\n", 1)
    return text + (f"Her står det vigtigste om politikken.\n\nDen er fra {name}.\n\n"
                   "Teksten er et udkast.\n")
