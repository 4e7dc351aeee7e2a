"""Messages in the author's language (STYLE.md, "Messages speak the author's language"):
every message site_gen prints goes through `_()`, which looks it up in a gettext catalog,
site_gen/locale/<language>.po. Builds read the compiled site_gen/locale/<language>.mo with the
standard library (Babel reading the .po took 70 ms of every build, a fifth of a build where
nothing changed); `python -m site_gen.i18n` writes both, and tests/test_i18n.py fails when a
.mo does not say what its .po says.

The source text (msgid) is English; Danish is the default language and English is chosen
with `build.py --lang en`, or by the environment (SITE_GEN_LANG, or LC_ALL / LC_MESSAGES /
LANG starting with 'en'). Messages take named placeholders, filled in after translation:
`_("'{value}' is not a date").format(value=raw)`. Message codes never change.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("da", "en")
DEFAULT = "da"
ENV = "SITE_GEN_LANG"        # set by --lang, inherited by the build's worker processes


def language() -> str:
    """The language messages are printed in: SITE_GEN_LANG, else the first of LC_ALL,
    LC_MESSAGES and LANG that names Danish or English (C or POSIX does not), else Danish."""
    chosen = os.environ.get(ENV)
    if chosen in LANGUAGES:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")[:2]
        if value in LANGUAGES:
            return value
    return DEFAULT


@functools.lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """msgid -> translation for one language; untranslated messages are left out."""
    import gettext
    try:
        with open(LOCALE_DIR / f"{lang}.mo", "rb") as file:
            compiled = gettext.GNUTranslations(file)._catalog
    except OSError:                  # no compiled catalog (a checkout in the making): the .po
        return po_catalog(lang)
    return {key: text for key, text in compiled.items() if key and isinstance(key, str)}


def po_catalog(lang: str) -> dict[str, str]:
    """The same, read from the .po with Babel (what the .mo is compiled from)."""
    from babel.messages.pofile import read_po
    with open(LOCALE_DIR / f"{lang}.po", "rb") as file:
        read = read_po(file, locale=lang)
    return {m.id: m.string for m in read if m.id and isinstance(m.id, str) and m.string}


def _(message: str) -> str:
    """`message` in the chosen language (the English source when a translation is missing;
    tests/test_i18n.py lists every missing one)."""
    return catalog(language()).get(message, message)


def N_(message: str) -> str:
    """Marks a message for the catalogs that is translated later, by whoever shows it."""
    return message


# What argparse itself says to a user (its usage line, its error prefix and the usage
# errors), so that `--help` and a mistyped option are in the editor's language too; argparse
# asks gettext's module-level `_`, which `speak_argparse` points at these catalogs.
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"), N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("expected one argument"),
    N_("expected at most one argument"), N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("ignored explicit argument %r"),
    N_("one of the arguments %s is required"))


def speak_argparse() -> None:
    """Let argparse's own messages come from the catalogs, in the chosen language."""
    import argparse
    argparse._ = _
    argparse.ngettext = ngettext


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a message for `count` ("Opdaterede 1 side", "Opdaterede 2 sider"). Danish
    and English share the rule (one form for 1, another for every other number), so each
    form is a message of its own in the catalogs; a language with other plural rules would
    need gettext's plural entries (Plural-Forms)."""
    return _(singular if count == 1 else plural)


def extract() -> dict[str, list[tuple[str, int]]]:
    """msgid -> where the code uses it (file, line): every `_("...")` and both forms of every
    `ngettext("...", "...", n)` in site_gen/, found by Babel's Python extractor."""
    from babel.messages.extract import extract_from_dir
    package = Path(__file__).resolve().parent
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
            str(package), method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
        for form in (message if isinstance(message, tuple) else (message,)):
            found.setdefault(form, []).append((filename, line))
    return found


def update_catalogs() -> None:
    """Bring both catalogs in step with the code: new messages are added (untranslated),
    messages the code no longer uses are removed, translations are kept; then compile each
    .po to the .mo that builds read. Run: python -m site_gen.i18n"""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po
    used = extract()
    for lang in LANGUAGES:
        path = LOCALE_DIR / f"{lang}.po"
        with open(path, "rb") as file:
            old = read_po(file, locale=lang)
        new = Catalog(locale=lang, project="site_gen", fuzzy=False,
                      creation_date=old.creation_date, revision_date=old.revision_date)
        for message, places in sorted(used.items()):
            before = old.get(message)
            # English is the source language: its catalog repeats the source text.
            string = message if lang == "en" else before.string if before is not None else ""
            new.add(message, string,
                    locations=[(f"site_gen/{f}", n) for f, n in places])
        with open(path, "wb") as file:
            write_po(file, new, width=100, omit_header=False, no_location=False)
    compile_catalogs()


def compile_catalogs() -> None:
    """Write each language's .mo from its .po (untranslated and fuzzy messages left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    for lang in LANGUAGES:
        with open(LOCALE_DIR / f"{lang}.po", "rb") as file:
            read = read_po(file, locale=lang)
        with open(LOCALE_DIR / f"{lang}.mo", "wb") as file:
            write_mo(file, read)


if __name__ == "__main__":
    update_catalogs()
