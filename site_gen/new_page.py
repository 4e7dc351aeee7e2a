"""`build.py new <municipality>/<slug>`: start a document with its front matter filled in and
every optional key listed as a Danish comment (issue 17), and with --easy-read its easy-read
partner. Nothing is ever overwritten: an existing document is refused, as is a folder name
that cannot be part of an address (the same rule as `build.py import`).
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from .i18n import _
from .model import DOCUMENT_KINDS
from .schema import SLUG
from .text import make_slug


class NewPageError(Exception):
    """Nothing was written; the message says why and what to do."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py new", description=_("Start a new document with its front matter."))
    parser.add_argument("address", metavar="MUNICIPALITY/SLUG",
                        help=_("the document's folder under content/, e.g. glostrup/trafikpolitik"))
    parser.add_argument("--kind", default="policy", choices=list(DOCUMENT_KINDS),
                        help=_("what kind of document it is (default: policy)"))
    parser.add_argument("--easy-read", action="store_true",
                        help=_("also start the easy-read version (index.easy-read.md)"))
    parser.add_argument("--content", default="content", metavar="DIR",
                        help=_("folder with site.yaml and the documents (default: content)"))
    return parser


def title_of(slug: str) -> str:
    """'handicappolitik-2024' -> 'Handicappolitik 2024': a first title the author edits."""
    words = slug.replace("-", " ")
    return words[:1].upper() + words[1:]


# The optional keys of a document, as Danish comments: `build.py new` and `build.py import`
# write the same lines (issue 30).
OPTIONAL_KEYS = """# Valgfrie felter: fjern '#' foran dem, du bruger.
# issued: 2024            # hvornår dokumentet blev udgivet: år, år-måned eller dato
# adopted: 2024-06-28     # hvornår det blev vedtaget politisk (ÅÅÅÅ-MM-DD, eller ÅÅÅÅ-MM)
# updated: 2024-09-01     # hvornår teksten sidst blev ændret
# review_by: 2026-06-01   # hvornår dokumentet skal gennemgås igen
# period:                 # perioden, dokumentet gælder for
#   from: 2024
#   to: 2027
# related:                # andre dokumenter, som dette hænger sammen med
#   - page: kommune/andet-dokument
#     relation: see-also  # action-plan-for, reports-on, responds-to, cover-note-for,
#                         # supplements, replaces, see-also
# history:                # ændringer, som læserne skal kende
#   - date: 2024-09-01
#     note: Opdateret efter høring.
# lang: da                # sproget, hvis det ikke er webstedets
"""


def standard_text(slug: str, kind: str) -> str:
    return f"""---
title: {title_of(slug)}
# Et resumé på 1-3 sætninger i et enkelt sprog. Skal udfyldes, før siden kan bygges.
summary:
kind: {kind}
# Status: draft (udkast), in-hearing (i høring), adopted (vedtaget), in-force (gældende),
# published (offentliggjort), expired (udløbet), replaced (erstattet).
# Siger kilden ikke, om dokumentet gælder nu? Så skriv published og årstallet under issued.
status: draft
{OPTIONAL_KEYS}---

## Indledning

"""


def easy_read_text(slug: str) -> str:
    return f"""---
title: {title_of(slug)} – let at læse
# Et resumé på én kort sætning. Skal udfyldes, før siden kan bygges.
summary:
# Valgfrie felter: fjern '#' foran dem, du bruger.
# tested_by: Læsere fra målgruppen   # hvem der har testet teksten
# tested_on: 2024-09-01             # hvornår den blev testet
# written_by: Kommunikation         # hvem der har skrevet den letlæste tekst (ellers udgiveren)
---

## Det vigtigste

![](billede:vigtigt)

"""


# Names Windows keeps for devices: a folder named so cannot be made or copied there.
RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                            *(f"lpt{n}" for n in range(1, 10))})


def _municipalities(content: Path) -> set[str] | None:
    """The municipalities site.yaml names; None when it cannot be read (the build says why)."""
    from .problems import Problems
    from .yamlsafe import YDict, load_yaml
    try:
        path = content / "site.yaml"
        if path.is_symlink():
            return None
        data = load_yaml(path.read_text(encoding="utf-8"), "site.yaml", 0, Problems())
    except Exception:                  # a missing or broken site.yaml: the build names it
        return None
    found = data.get("municipalities") if isinstance(data, YDict) else None
    return set(found) if isinstance(found, dict) else None


def create(content: Path, address: str, kind: str, easy_read: bool) -> list[Path]:
    """Write the new document (and its easy-read partner); return the files written.
    Raises NewPageError when nothing may be written."""
    parts = address.strip("/").split("/")
    if len(parts) != 2:
        raise NewPageError(_("write the document as MUNICIPALITY/SLUG, such as "
                             "glostrup/trafikpolitik, not '{address}'").format(address=address))
    for name in parts:
        if not SLUG.fullmatch(name):
            raise NewPageError(_("the folder name '{name}' becomes part of the address; use "
                                 "only a-z, 0-9 and hyphens, e.g. '{slug}'").format(
                name=name, slug=make_slug(name)))
    for name in parts:
        if name.split(".")[0].lower() in RESERVED_NAMES:
            raise NewPageError(_("'{name}' is a name Windows keeps for itself; a folder of "
                                 "that name cannot be copied to or opened on Windows. Choose "
                                 "another, e.g. '{name}-politik'").format(name=name))
    known = _municipalities(content)
    if known is not None and parts[0] not in known:
        raise NewPageError(_("the municipality '{name}' is not in {settings}; add it under "
                             "'municipalities:' first, or use one of: {known}").format(
                                 name=parts[0], settings=(content / "site.yaml").as_posix(),
                                 known=", ".join(sorted(known)) or "-"))
    for path in (content / parts[0], content / parts[0] / parts[1]):
        if path.is_symlink():
            raise NewPageError(_("{path} is a symbolic link; site_gen writes only into "
                                 "folders of content/ itself. Make it a real folder").format(
                                     path=path.as_posix()))
    folder = content / parts[0] / parts[1]
    files = {"index.md": standard_text(parts[1], kind)}
    if easy_read:
        files["index.easy-read.md"] = easy_read_text(parts[1])
    for name in ("index.md", "index.easy-read.md"):
        if os.path.lexists(folder / name):
            raise NewPageError(_("{path} exists already; choose another name, or edit it").format(
                path=(folder / name).as_posix()))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        with open(folder / name, "x", encoding="utf-8") as file:   # "x": never overwrite
            file.write(text)
        written.append(folder / name)
    return written
