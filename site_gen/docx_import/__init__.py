"""Import: a Word document (.docx) into a page bundle, with a list of what needs a human.

`python build.py import POLICY.docx --to content/<municipality>/<slug>/` writes `index.md`
(front matter and the body in site_gen's authoring syntax) and the document's images beside
it, then reports `path:line: warning: message [code]` for everything an author must decide.
It reads the document with python-docx, which gives the paragraph styles, run formatting,
numbering, table header rows and image descriptions that a Word-to-HTML converter (mammoth)
flattens away, and which the tests use to write .docx files. What python-docx has no API
for (text boxes, content controls, fields, merged cells, footnotes) is read from the XML.
This module writes the bundle; `reader.py` walks the blocks, `inline.py` the text inside a
paragraph, `output.py` holds the Markdown being written, and `parts.py` answers questions
about styles, numbering, table grids and the package's other parts.

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
  wrote itself is reported. Bold, italics, links, page breaks and comments are handled as
  the README's table says, each note at its line.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..problems import Problems
from ..schema import SLUG
from ..text import make_slug
from . import parts
from .reader import Reader


class ImportError_(Exception):
    """The document cannot be imported at all (not a .docx, or the bundle exists)."""


def import_docx(source: Path, target: Path, force: bool, display, problems: Problems) -> Path:
    """Write the bundle; returns the path of index.md. Notes go to `problems` as warnings
    with their line in index.md. Raises ImportError_ when nothing can be written: the
    folder name, an existing bundle, or a file that cannot be read as a Word document
    (truncated, another kind of zip, random bytes: never a traceback)."""
    for name in target.resolve().parts[-2:]:        # <municipality>/<slug> become the address
        if not SLUG.fullmatch(name):
            raise ImportError_(f"the folder name '{name}' becomes part of the address; use "
                               f"only a-z, 0-9 and hyphens, e.g. '{make_slug(name)}'")
    if (target / "index.md").exists() and not force:
        raise ImportError_(f"{display(target / 'index.md')} exists already; import into a new "
                           "folder, or add --force to replace it")
    unreadable = f"{display(source)} cannot be read as a Word document (.docx)"
    why = parts.check_package(source)
    if why:
        raise ImportError_(f"{unreadable}: {why}; open it in Word and save it as .docx")
    try:
        import docx
        document = docx.Document(str(source))
        reader = Reader(document)
        out = reader.read()
        front = front_matter(document, reader.title)
    except Exception as exc:        # any damage in the package: a message, never a traceback
        raise ImportError_(f"{unreadable}: {type(exc).__name__}: {exc}; open it in Word and "
                           "save it as .docx again") from None
    write_bundle(target, front + "\n".join(out.lines).strip("\n") + "\n", out.images)
    index = target / "index.md"
    offset = front.count("\n")                    # body line 1 is the line after the front matter
    shown = display(index)
    for line, code, text in sorted(reader.front_notes):
        problems.warning(shown, line, code, text)
    for line, code, text in out.notes:
        problems.warning(shown, None if line is None else line + offset, code, text)
    return index


def write_bundle(target: Path, text: str, images: dict[str, bytes]) -> None:
    """index.md is replaced in one step, so a full disk never leaves half a file."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, data in images.items():
            (target / name).write_bytes(data)
        temporary = target / ".index.md.import"
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target / "index.md")
    except OSError as exc:
        raise ImportError_(f"the bundle cannot be written: {exc.strerror or exc} "
                           f"({exc.filename or target})") from None


def front_matter(document, heading_title: str | None) -> str:
    """The title the document shows (its Title paragraph), else the one in its properties,
    else its first heading; the other required fields are left empty with a hint, so the
    build names each until the author fills it in."""
    title = heading_title or (document.core_properties.title or "").strip()
    return ("---\n"
            f"title: {_yaml_text(title)}\n"
            "summary:        # 1-3 plain sentences: what the document is about\n"
            "kind:           # policy, action-plan, status-report, hearing-response, "
            "cover-note, strategy\n"
            "status:         # draft, in-hearing, in-force, adopted, published, expired, "
            "replaced\n"
            "---\n\n")


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if text else ""
