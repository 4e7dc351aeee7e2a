"""Import: a Word document (.docx) into a page bundle, with a list of what needs a human.

`python build.py import POLICY.docx --to content/<municipality>/<slug>/` writes `index.md`
(front matter and the body in site_gen's authoring syntax) and the document's images beside
it, then reports `path:line: warning: message [code]` for everything an author must decide.
It reads the document with python-docx, which gives the paragraph styles, run formatting,
numbering, table header rows and image descriptions that a Word-to-HTML converter (mammoth)
flattens away, and which the tests use to write .docx files. What python-docx has no API
for (text boxes, content controls, fields, merged cells, footnotes) is read from the XML.
This module writes the bundle; `package.py` first unpacks every part of the zip within
limits (a zip bomb is refused in a second, issue 31), `reader.py` walks the blocks,
`inline.py` the text inside a paragraph, `output.py` holds the Markdown being written, and
`parts.py` answers questions about styles, numbering, table grids and the package's other
parts.

Nothing in the document is lost or moved without a note (issues 9 and 20):
- Text is read wherever Word keeps it: paragraphs, tables, text boxes and shapes (the
  `mc:Fallback` copy skipped), content controls at every level, field results (a `HYPERLINK`
  field is a link), footnotes and endnotes (with their own relationships). What is left out
  (page headers and footers, Word's automatic contents list, placeholder text, comments) is
  named in a note with its text.
- Headings take their level from the style's outline level along its `basedOn` chain; a
  skipped level moves the heading and all its siblings up, with one note naming them.
  A paragraph that only looks like a heading stays a paragraph and is reported.
- Lists keep the numbers Word shows (a list continued after a paragraph goes on counting);
  bullets and numbers typed as text ("•⇥", "2)⇥", "→") become lists and are reported;
  a typed contents list is reported for deletion (the page makes its own).
- Tables become `::: tabel` with merged cells laid out on Word's grid; several header rows
  are joined into one, a cell merged across body columns is reported at its line.
- Text boxes and one-cell tables become `::: faktaboks`, the Quote styles `::: citat`, both
  reported for their label. Images keep their description on one line; a description Word
  wrote itself is reported, and a picture Word only links to is named with its address.
  Bold, italics, links, page breaks and comments are handled as the README's table says,
  each note at its line.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..i18n import _
from ..outputs import NOTES_FILE
from ..problems import Problems
from ..schema import SLUG
from ..text import make_slug
from . import package
from .reader import Reader


class ImportError_(Exception):
    """The document cannot be imported at all (not a .docx, or the bundle exists)."""


def import_docx(source: Path, target: Path, force: bool, display, problems: Problems) -> Path:
    """Write the bundle; returns the path of index.md. Notes go to `problems` as warnings
    with their line in index.md. Raises ImportError_ when nothing can be written: the
    folder name, an existing bundle, a file that cannot be read as a Word document
    (truncated, another kind of zip, random bytes: never a traceback), or one that unpacks
    to more than the import reads (a zip bomb, refused before anything parses it)."""
    for name in target.resolve().parts[-2:]:        # <municipality>/<slug> become the address
        if not SLUG.fullmatch(name):
            raise ImportError_(_("the folder name '{name}' becomes part of the address; use only a-z, 0-9 "
                                  "and hyphens, e.g. '{name2}'").format(name=name, name2=make_slug(name)))
    if (target / "index.md").exists() and not force:
        raise ImportError_(_("{value} exists already; import into a new folder, or add --force to "
                              "replace it").format(value=display(target / 'index.md')))
    unreadable = _("{file} cannot be read as a Word document (.docx)").format(
        file=display(source))
    try:
        data = package.read(source)        # every part unpacked within limits (issue 31)
    except package.TooLarge as exc:
        raise ImportError_(_("{file} is too large to import: {reason}; save it again in Word, "
                             "split it into smaller documents, or remove large embedded "
                             "objects (videos, big pictures), and import again").format(
                                 file=display(source), reason=exc)) from None
    except package.Unreadable as exc:
        raise ImportError_(_("{unreadable}: {why}; open it in Word and save it as .docx").format(
            unreadable=unreadable, why=exc)) from None
    try:
        import docx
        document = docx.Document(package.Named(data, str(source)))   # the bytes checked
        reader = Reader(document)
        out = reader.read()
        front = front_matter(document, reader.title)
    except Exception as exc:        # any damage in the package: a message, never a traceback
        raise ImportError_(_("{unreadable}: {name}: {exc}; open it in Word and save it as .docx again").format(unreadable=unreadable, name=type(exc).__name__, exc=exc)) from None
    text = front + "\n".join(out.lines).strip("\n") + "\n"
    offset = front.count("\n")                    # body line 1 is the line after the front matter
    notes = sorted(reader.front_notes) + [(None if line is None else line + offset, code, note)
                                          for line, code, note in out.notes]
    write_bundle(target, text, out.images, notes_text(source.name, text, notes))
    index = target / "index.md"
    shown = display(index)
    for line, code, note in notes:
        problems.warning(shown, line, code, note)
    return index


def notes_text(source_name: str, text: str, notes: list[tuple[int | None, str, str]]) -> str:
    """import-noter.md (issue 30): each note under the heading of the part it is about, with
    a quoted phrase of its line, never a line number, which the first edit makes wrong."""
    lines = text.split("\n")
    groups: dict[str, list[str]] = {}
    for line, code, note in notes:
        place, quote = _place(lines, line)
        where = _("At \u00bb{quote}\u00ab: ").format(quote=quote) if quote else ""
        groups.setdefault(place, []).append(f"- [ ] {where}{note} `[{code}]`")
    parts = [_("# Notes from importing {name}").format(name=source_name), "",
             _("These are the points of the Word document a person must decide. Fix each in "
               "index.md and tick it off or delete it here; delete this file when all are done. "
               "Until they are fixed, the build keeps warning about Word's own image "
               "descriptions, invisible characters, a typed contents list and another "
               "municipality's name."), ""]
    if not notes:
        parts += [_("The import found nothing to check."), ""]
    for place, items in groups.items():
        parts += [f"## {place}", "", *items, ""]
    return "\n".join(parts)


def _place(lines: list[str], line: int | None) -> tuple[str, str]:
    """The heading of the part `line` is in (or 'front matter') and a phrase of the line."""
    if line is None:
        return _("The whole document"), ""
    fences = [n for n, text in enumerate(lines[:line], start=1) if text.rstrip() == "---"]
    if len(fences) < 2 or line <= fences[1]:
        key = lines[line - 1].split(":", 1)[0].strip() if 0 < line <= len(lines) else ""
        return _("Front matter"), key
    heading = next((text.lstrip("#").strip() for text in reversed(lines[:line - 1])
                    if re.match(r"#{1,6} ", text)), None)
    quote = " ".join(re.sub(r"^(#{1,6}|[-*](?=\s)|\d+[.)]|:::|\|)\s*", "",
                            lines[line - 1] if line <= len(lines) else "").split())
    quote = re.sub(r"!\[[^\]]*\]\(([^)]*)\)", r"\1", quote).replace("\\", "")
    if len(quote) > 60:
        quote = quote[:59].rstrip() + "…"
    return (_("Under the heading \u00bb{heading}\u00ab").format(heading=heading) if heading
            else _("Before the first heading")), quote


def write_bundle(target: Path, text: str, images: dict[str, bytes], notes: str) -> None:
    """index.md and import-noter.md are each replaced in one step, so a full disk never
    leaves half a file."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, data in images.items():
            (target / name).write_bytes(data)
        for name, body in (("index.md", text), (NOTES_FILE, notes)):
            temporary = target / f".{name}.import"
            temporary.write_text(body, encoding="utf-8")
            os.replace(temporary, target / name)
    except OSError as exc:
        raise ImportError_(_("the bundle cannot be written: {value} ({value2})").format(value=exc.strerror or exc, value2=exc.filename or target)) from None


def front_matter(document, heading_title: str | None) -> str:
    """The title the document shows (its Title paragraph), else the one in its properties,
    else its first heading; the other required fields are left empty with a Danish hint, so
    the build names each until the author fills it in, and the optional ones are listed as
    `build.py new` lists them (the same template, new_page.OPTIONAL_KEYS: issue 30)."""
    from ..new_page import OPTIONAL_KEYS
    title = heading_title or (document.core_properties.title or "").strip()
    return ("---\n"
            f"title: {_yaml_text(title)}\n"
            "summary:        # 1-3 sætninger i et enkelt sprog: hvad dokumentet handler om\n"
            "kind:           # policy (politik), action-plan (handlingsplan), status-report "
            "(status), hearing-response (høringssvar), cover-note (notat), strategy (strategi)\n"
            "status:         # draft (udkast), in-hearing (i høring), in-force (gældende), "
            "adopted (vedtaget), published (offentliggjort), expired (udløbet), replaced "
            "(erstattet)\n"
            f"{OPTIONAL_KEYS}"
            "---\n\n")


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if text else ""
