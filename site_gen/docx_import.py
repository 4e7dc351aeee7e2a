"""Import: a Word document (.docx) into a page bundle, with a list of what needs a human.

`python build.py import POLICY.docx --to content/<municipality>/<slug>/` writes `index.md`
(front matter and the body in site_gen's authoring syntax) and the document's images beside
it, then reports `path:line: warning: message [code]` for everything an author must decide.
It reads the document with python-docx, which gives the paragraph styles, run formatting,
numbering, table header rows and image descriptions that a Word-to-HTML converter (mammoth)
flattens away, and which the tests use to write .docx files. What python-docx has no API
for (text boxes, content controls, fields, merged cells, footnotes) is read from the XML;
`docx_parts.py` answers the questions about styles, numbering, tables and other parts.

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
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import docx_parts as parts
from .checks.links import VAGUE as VAGUE_TEXTS
from .docx_parts import MC, SYMBOLS, W, to_int, val
from .problems import Problems
from .schema import SLUG
from .text import make_slug

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"

TYPED_NUMBER = re.compile(r"^\s*(?:(\d{1,2})[.)]|([a-z])\))[ \t\u00a0]+(?=\S)")
TYPED_BULLET = re.compile(r"^\s*([•·▪◦‣–\-→➔➜►▸✓\uf0b7\uf0a7\uf0d8\uf0e0])[ \t\u00a0]+(?=\S)")
CONTENTS_ENTRY = re.compile(r"^(?=.*\S)(.+?)(?:\t+|\s*\.{3,}\s*|\s*…+\s*)(\d{1,3})\s*$")
CONTENTS_TITLE = re.compile(r"(indhold|indholdsfortegnelse|contents|table of contents)\s*:?",
                            re.I)
ATTRIBUTION = re.compile(r"^\s*[–—-]\s*\S")        # "– Borger i Herlev, 45 år"
AUTOMATIC_ALT = re.compile(r"\s*(automatisk genereret beskrivelse|beskrivelse genereret "
                           r"automatisk|description automatically generated)[^.]*\.?\s*$", re.I)
BREAK = "\n"                      # a line break inside a paragraph, until the block is written
NORMAL_SIZE_PT = 11


class ImportError_(Exception):
    """The document cannot be imported at all (not a .docx, or the bundle exists)."""


@dataclass
class Output:
    """The Markdown being written, with the line of each note for the report."""
    lines: list[str] = field(default_factory=list)
    notes: list[tuple[int | None, str, str]] = field(default_factory=list)  # (line, code, text)
    images: dict[str, bytes] = field(default_factory=dict)
    pending: list[tuple[str, str]] = field(default_factory=list)   # notes on text not written yet
    indents: list[int] = field(default_factory=list)   # content column of each open list level
    lists: list[tuple[str, str]] = field(default_factory=list)  # (Word list, marker) by level

    def block(self, text: str) -> int:
        """Add a block (blank line before it); returns its first line in the body."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        first = len(self.lines) + 1
        self.lines.extend(text.split("\n"))
        self.indents.clear()
        self.lists.clear()
        self._flush(first)
        return first

    def item(self, marker: str, text: str, depth: int, list_id: str) -> int:
        """Add a list item, keeping the list together; nested under the item above. An item
        of another Word list right after a list gets the other marker ('.' or ')', '-' or
        '*'), which starts a new list in Markdown, so its numbers stay as Word shows them."""
        if self.lines and self.lines[-1] != "" and not self.indents:
            self.lines.append("")
        depth = min(depth, len(self.indents))
        indent = self.indents[depth - 1] if depth else 0
        family = ("-", "*") if marker == "-" else (".", ")")
        kind = family[0]
        previous = self.lists[depth] if depth < len(self.lists) else None
        if previous and previous[1] in family:
            same = previous[0] == list_id
            kind = previous[1] if same else family[1 - family.index(previous[1])]
        marker = kind if marker == "-" else marker[:-1] + kind
        del self.indents[depth:]
        del self.lists[depth:]
        self.indents.append(indent + len(marker) + 1)
        self.lists.append((list_id, kind))
        first = len(self.lines) + 1
        body = text.replace("\n", "\n" + " " * self.indents[-1])
        self.lines.extend(f"{' ' * indent}{marker} {body}".split("\n"))
        self._flush(first)
        return first

    def note(self, line: int | None, code: str, text: str) -> None:
        self.notes.append((line, code, text))

    def note_here(self, code: str, text: str) -> None:
        """A note on the text being read: it gets the line of the block it ends in."""
        if (code, text) not in self.pending:
            self.pending.append((code, text))

    def _flush(self, line: int | None) -> None:
        self.notes += [(line, code, text) for code, text in self.pending]
        self.pending.clear()


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


@dataclass
class Heading:
    index: int                # its line in Output.lines (0-based)
    level: int                # the Markdown level Word's outline gives it
    text: str


class Reader:
    """Walks the document in reading order, writing Markdown into an Output."""

    def __init__(self, document):
        self.document = document
        self.part = document.part            # whose relationships links and images use
        self.styles = parts.Styles(document)
        self.numbering = parts.Numbering.of(document)
        self.out = Output()
        self.title: str | None = None
        self.front_notes: list[tuple[int, str, str]] = []
        body = document.element.body
        self.has_title = bool((document.core_properties.title or "").strip()) or any(
            self.styles.outline_level(p) == 0 for p in body.iter(W + "p"))
        self.headings: list[Heading] = []
        self.notes = {kind: parts.notes_of(document.part, kind)
                      for kind in ("footnote", "endnote")}
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.comments = parts.comments_of(document.part)
        self.comments_seen: set[str] = set()
        self.tracked = 0
        self.floating: list[tuple[str, object]] = []   # text boxes met in the current block
        self.fields: list[dict] = []                    # complex fields open (w:fldChar)
        self.contents_field = _contents_field_paragraphs(body)
        self.plain = 0                       # >0: writing header cells (no emphasis marks)
        self.in_box = 0                      # >0: inside a fact box (no headings there)
        self.lettered: set[str] = set()      # lists reported for their letters

    def read(self) -> Output:
        self.blocks(self.flatten(self.document.element.body))
        self.note_block()
        self.fix_outline()
        self.summary_notes()
        if self.title is None and not (self.document.core_properties.title or "").strip():
            self.front_notes.append((2, "import-title", "the document has no title in its "
                                     "properties and no heading; write the title"))
        self.out._flush(len(self.out.lines) or None)
        return self.out

    # --- blocks -----------------------------------------------------------------------

    def flatten(self, container) -> list:
        """Paragraphs, tables and the content controls Word gives a meaning of their own
        (a contents list, placeholder text), others opened up, in reading order."""
        found = []
        for child in container.iterchildren():
            if child.tag in (W + "p", W + "tbl"):
                found.append(child)
            elif child.tag == W + "sdt":
                props = child.find(W + "sdtPr")
                gallery = val(props, f"{W}docPartObj/{W}docPartGallery", "")
                if "contents" in gallery.lower() or props is not None and \
                        props.find(W + "showingPlcHdr") is not None:
                    found.append(child)
                elif child.find(W + "sdtContent") is not None:
                    found += self.flatten(child.find(W + "sdtContent"))
            elif child.tag == W + "customXml":
                found += self.flatten(child)
            elif child.tag == MC + "AlternateContent":
                found += self.flatten(_chosen(child))
        return found

    def blocks(self, elements: list) -> None:
        captions = self.table_captions(elements)
        taken = {near for near, _ in captions.values()}
        index, dropped_contents = 0, []
        while index < len(elements):
            element = elements[index]
            if element.tag == W + "p" and element in self.contents_field:
                dropped_contents.append(parts.paragraph_text(element))
                index += 1
                continue
            if dropped_contents:
                self.drop_contents(dropped_contents)
                dropped_contents = []
            end = self.group_end(elements, index)
            if end > index + 1 or end > index and self.is_quote(element):
                if self.is_quote(element):
                    self.quote(elements[index:end])
                else:
                    self.typed_contents(elements[index:end])
                index = end
            elif element.tag == W + "p" and index not in taken:
                self.paragraph(element)
                index += 1
            elif element.tag == W + "tbl":
                self.table(element, captions.get(index, (None, None))[1])
                index += 1
            elif element.tag == W + "sdt":
                self.content_control(element)
                index += 1
            else:
                index += 1
            self.write_floating()
        if dropped_contents:
            self.drop_contents(dropped_contents)

    def group_end(self, elements: list, index: int) -> int:
        """The end of a run of Quote paragraphs, or of a typed contents list (its title
        included) starting at `index`; `index` when none starts there."""
        element = elements[index]
        if element.tag != W + "p":
            return index
        if self.is_quote(element):       # one quotation: one style, up to its attribution
            style, end = self.styles.of(element), index
            while end < len(elements) and self.is_quote(elements[end]) and \
                    self.styles.of(elements[end]) == style:
                end += 1
                if ATTRIBUTION.match(parts.paragraph_text(elements[end - 1])):
                    break
            return end
        start = index + 1 if CONTENTS_TITLE.fullmatch(parts.paragraph_text(element).strip()) \
            else index
        end = start
        while end < len(elements) and elements[end].tag == W + "p" and \
                elements[end] not in self.contents_field and \
                self.is_contents_entry(elements[end]):
            end += 1
        entries = end - start
        styled = entries and self.styles.is_contents_entry(elements[start])
        return end if entries >= 2 or styled else index

    def is_quote(self, element) -> bool:
        return not self.in_box and element.tag == W + "p" and \
            self.styles.is_kind(element, parts.QUOTE_NAMES) and \
            bool(parts.paragraph_text(element).strip())

    def is_contents_entry(self, element) -> bool:
        return bool(CONTENTS_ENTRY.match(parts.paragraph_text(element).strip("\n "))) or \
            self.styles.is_contents_entry(element)

    def table_captions(self, elements: list) -> dict[int, tuple[int, str]]:
        """Table index -> (index, text) of the caption-style paragraph right before or after
        it: the table takes it as its caption, and the paragraph is not written again."""
        found: dict[int, tuple[int, str]] = {}
        for index, element in enumerate(elements):
            if element.tag != W + "tbl":
                continue
            for near in (index - 1, index + 1):
                if 0 <= near < len(elements) and elements[near].tag == W + "p" and \
                        self.styles.is_kind(elements[near], parts.CAPTION_NAMES):
                    text = " ".join(parts.paragraph_text(elements[near]).split())
                    if text and near not in {i for i, _ in found.values()}:
                        found[index] = (near, _escape(text))
                        break
        return found

    # --- paragraphs -------------------------------------------------------------------

    def paragraph(self, element) -> None:
        text = self.inline(element).strip()
        if not text.strip(BREAK + " "):
            return
        level = self.styles.outline_level(element)
        if level is not None and not self.in_box:
            self.heading(level, _one_line(text))
            return
        numbered = self.styles.list_numbering(element)
        if numbered is not None and numbered[0] != "0":
            self.list_item(text, *numbered)
            return
        plain = parts.paragraph_text(element)
        typed = TYPED_NUMBER.match(plain) or TYPED_BULLET.match(plain)
        if typed:
            self.typed_item(plain, text)
            return
        if level is not None:                      # a heading inside a fact box
            text = f"**{_one_line(text).replace('**', '')}**"
        line = self.out.block(_guard(text))
        if level is None and _looks_like_heading(element, text):
            self.out.note(line, "import-fake-heading", "this paragraph looks like a heading "
                          "(bold or large type) but is not a Word heading; make it '## ...' "
                          "if it is one")

    def heading(self, level: int, text: str) -> None:
        """The Title paragraph (or, in a document without one, the first Heading 1) is the
        page's title; every other heading is a section, its level one below Word's."""
        text = text.replace("**", "").strip()
        if self.title is None and (level == 0 or level == 1 and not self.has_title):
            self.title = _plain_text(text)
            return
        markdown_level = min(max(level, 1) + 1, 6)
        line = self.out.block(f"{'#' * markdown_level} {text}")
        self.headings.append(Heading(line - 1, markdown_level, text))

    def fix_outline(self) -> None:
        """A heading deeper than the one above allows is moved up, and so are its siblings
        and their children, the same way; one note per skip names them all (issue 20)."""
        stack: list[tuple] = []          # (level from Word, level written, skip, number)
        moved: dict[tuple, list[Heading]] = {}
        for number, heading in enumerate(self.headings):
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            parent = stack[-1] if stack else (1, 1, None, -1)
            level = min(heading.level, parent[1] + 1)
            skip = None
            if level != heading.level:     # siblings share their parent and Word level
                skip = parent[2] if parent[2] is not None else (parent[3], heading.level)
                moved.setdefault(skip, []).append(heading)
                self.out.lines[heading.index] = f"{'#' * level} {heading.text}"
            stack.append((heading.level, level, skip, number))
        for group in moved.values():
            names = ", ".join(f"'{_plain_text(h.text)}'" for h in group)
            self.out.note(group[0].index + 1, "import-heading-level",
                          f"the Word headings skip a level here; {names} "
                          f"{'is' if len(group) == 1 else 'are'} moved up to follow the "
                          "heading above: check the outline")

    def list_item(self, text: str, num_id: str, level: int, depth: int) -> None:
        if num_id in ("style-number", "style-bullet"):
            label, fmt = "1", "decimal" if num_id == "style-number" else "bullet"
        else:
            found, label = self.numbering.next(num_id, level)
            fmt = found.format
        if fmt in ("bullet", "none"):
            self.out.item("-", _guard(text), depth, num_id)
            return
        number = _last_number(label, fmt)
        line = self.out.item(f"{number}.", _guard(text), depth, num_id)
        if fmt not in ("decimal", "decimalZero") and num_id not in self.lettered:
            self.lettered.add(num_id)
            self.out.note(line, "import-list-numbering", f"Word numbers this list "
                          f"'{label}', ...; the page numbers it 1, 2, 3: check any "
                          "reference to the items by letter or Roman number")

    def typed_item(self, plain: str, text: str) -> None:
        number = TYPED_NUMBER.match(plain)
        marker = number.group(0).strip() if number else TYPED_BULLET.match(plain).group(1)
        stripped = re.sub(r"^\s*" + re.escape(marker) + r"[ \t\u00a0]+", "", text, count=1)
        if number:
            value = to_int(number.group(1), 0) or ord(number.group(2)) - ord("a") + 1
            line = self.out.item(f"{value}.", _guard(stripped), 0, "typed")
        else:
            line = self.out.item("-", _guard(stripped), 0, "typed")
        self.out.note(line, "import-typed-list", f"the numbering or bullet ('{marker}') was "
                      "typed as text in Word; it is now a list: check that it is one")

    def quote(self, elements: list) -> None:
        texts = [_guard(self.inline(e).strip()) for e in elements]
        texts = [t for t in texts if t.strip()]
        who = ""
        if len(texts) > 1 and ATTRIBUTION.match(_plain_text(texts[-1])):
            who = re.sub(r"^[–—-]\s*", "", _one_line(_plain_text(texts.pop())))
        body = "\n\n".join(texts)
        line = self.out.block(f"::: citat {who}".rstrip() + f"\n{body}\n:::")
        style = self.styles.name(self.styles.of(elements[0]))
        self.out.note(line, "import-quote", f"the '{style}' style became '::: citat'; "
                      + (f"check that '{who}' is who said it" if who else
                         "write who said it after '::: citat' (required)"))

    def typed_contents(self, elements: list) -> None:
        texts = [" ".join(parts.paragraph_text(e).split()) for e in elements]
        title = texts.pop(0) if CONTENTS_TITLE.fullmatch(texts[0]) else None
        lines = ([_escape(title), ""] if title else []) + [f"- {_escape(t)}" for t in texts]
        line = self.out.block("\n".join(lines))
        self.out.note(line, "import-contents", "this is a contents list typed in Word"
                      f"{f' (from {title!r})' if title else ''}; delete it: the page makes "
                      "its own from the headings")

    def drop_contents(self, texts: list[str]) -> None:
        shown = "; ".join(" ".join(t.split()) for t in texts if t.strip())
        self.out.note_here("import-contents", "Word's automatic contents list is left out: the "
                           f"page makes its own from the headings (it held: {shown})")

    def content_control(self, element) -> None:
        text = " ".join(parts.paragraph_text(element).split())
        gallery = val(element.find(W + "sdtPr"), f"{W}docPartObj/{W}docPartGallery", "")
        if "contents" in gallery.lower():
            content = element.find(W + "sdtContent")
            paragraphs = list(content.iter(W + "p")) if content is not None else []
            self.drop_contents([parts.paragraph_text(p) for p in paragraphs])
        elif text:
            self.out.note_here("import-placeholder", f"the content control holds only Word's "
                               f"placeholder text ('{text}'); it is left out: write the text "
                               "it asks for, if it is needed")

    # --- text boxes -------------------------------------------------------------------

    def write_floating(self) -> None:
        """The text boxes anchored in the block just written, each as a fact box after it."""
        while self.floating:
            kind, container = self.floating.pop(0)
            self.box(self.flatten(container), kind)

    def box(self, elements: list, kind: str) -> None:
        """A text box or one-cell table as a fact box; a first paragraph that looks like a
        heading is its title."""
        with_text = [e for e in elements if parts.paragraph_text(e).strip()]
        title = None
        first = with_text[0] if with_text else None
        if len(with_text) > 1 and first.tag == W + "p" and (
                self.styles.outline_level(first) is not None or
                _looks_like_heading(first, parts.paragraph_text(first).strip())):
            title = _plain_text(_one_line(self.inline(first).strip()))
            elements = elements[elements.index(first) + 1:]
        saved, saved_floating = (self.out, self.floating)
        self.out, self.floating = Output(images=saved.images), []
        self.in_box += 1
        try:
            self.blocks(elements)
            self.out._flush(len(self.out.lines) or None)
        finally:
            inner, self.out, self.floating = self.out, saved, saved_floating
            self.in_box -= 1
        if not inner.lines and not title:
            return
        fences = [len(m.group(0)) for m in (re.match(r"^\s*:{3,}", ln) for ln in inner.lines) if m]
        fence = ":" * (max(fences, default=2) + 1)
        first_line = self.out.block(f"{fence} faktaboks {title or ''}".rstrip() + "\n"
                                    + "\n".join(inner.lines) + f"\n{fence}")
        for line, code, text in inner.notes:
            self.out.note(None if line is None else first_line + line, code, text)
        self.out.note(first_line, "import-box", f"the {kind} became '::: faktaboks'; " + (
            f"check that '{_plain_text(title)}' is its title" if title else
            "write its title after '::: faktaboks' (required)"))

    # --- runs, fields, links, images, notes -------------------------------------------

    def inline(self, element) -> str:
        pieces: list[str] = []
        for field_ in self.fields:                # a field carried over from the last paragraph
            field_["start"] = 0
        for child in element.iterchildren():
            self.inline_child(child, pieces)
        # A field whose instruction never ends would hide all text after it: close it here.
        while self.fields and not self.fields[-1]["result"]:
            self.fields.pop()
        return _join_runs(pieces)

    def inline_child(self, child, pieces: list[str]) -> None:
        tag = child.tag
        if tag == W + "r":
            self.run(child, pieces)
        elif tag == W + "hyperlink":
            pieces.append(self.hyperlink(child))
        elif tag in (W + "ins", W + "moveTo"):
            self.tracked += 1
            for grandchild in child.iterchildren():    # insertions read as accepted
                self.inline_child(grandchild, pieces)
        elif tag in (W + "del", W + "moveFrom"):
            self.tracked += 1                           # deletions read as accepted
        elif tag == W + "commentRangeStart":
            self.comment(child.get(W + "id"))
        elif tag == W + "fldSimple":
            inner: list[str] = []
            for grandchild in child.iterchildren():
                self.inline_child(grandchild, inner)
            pieces.append(self.field_result(child.get(W + "instr") or "", _join_runs(inner)))
        elif tag == W + "sdt":
            props = child.find(W + "sdtPr")
            content = child.find(W + "sdtContent")
            if props is not None and props.find(W + "showingPlcHdr") is not None:
                self.content_control(child)
            elif content is not None:
                for grandchild in content.iterchildren():
                    self.inline_child(grandchild, pieces)
        elif tag in (W + "smartTag", W + "customXml", W + "sdtContent"):
            for grandchild in child.iterchildren():
                self.inline_child(grandchild, pieces)
        elif tag == MC + "AlternateContent":
            for grandchild in _chosen(child).iterchildren():
                self.inline_child(grandchild, pieces)
        elif tag in (M + "oMath", M + "oMathPara"):
            pieces.append(_escape("".join(t.text or "" for t in child.iter(M + "t"))))
            self.out.note_here("import-equation", "an equation is written as plain text; "
                               "check that it reads right")

    def run(self, run, pieces: list[str]) -> None:
        text: list[str] = []

        def flush() -> None:
            if text:
                self.emit(self.format(run, "".join(text)), pieces)
                text.clear()
        for child in run.iterchildren():
            tag = child.tag
            if tag == W + "t":
                text.append(child.text or "")
            elif tag in (W + "tab", W + "ptab"):
                text.append(" ")
            elif tag == W + "noBreakHyphen":
                text.append("-")                   # Word's non-breaking hyphen
            elif tag == W + "sym":
                text.append(self.symbol(child))
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") == "page":
                    self.out.note_here("import-page-break", "a page break in Word is left "
                                       "out here (a web page has none)")
                else:
                    text.append(BREAK if child.get(W + "type") != "column" else " ")
            elif tag == W + "fldChar":
                flush()
                self.field_char(child.get(W + "fldCharType"), pieces)
            elif tag == W + "instrText" and self.fields:
                self.fields[-1]["instr"] += child.text or ""
            else:
                flush()
                self.emit(self.run_object(child), pieces)
        flush()

    def emit(self, value: str, pieces: list[str]) -> None:
        """Text in an open field's instruction is not shown; everything else is."""
        if value and not (self.fields and not self.fields[-1]["result"]):
            pieces.append(value)

    def run_object(self, child) -> str:
        tag = child.tag
        if tag in (W + "drawing", W + "pict", W + "object"):
            return self.drawing(child)
        if tag == MC + "AlternateContent":
            return "".join(self.run_object(c) for c in _chosen(child).iterchildren())
        if tag in (W + "footnoteReference", W + "endnoteReference"):
            kind = "footnote" if tag == W + "footnoteReference" else "endnote"
            number = self.note_numbers.setdefault((kind, child.get(W + "id")),
                                                  len(self.note_numbers) + 1)
            return f"[^{number}]"
        if tag == W + "commentReference":
            self.comment(child.get(W + "id"))
        return ""

    def format(self, run, raw: str) -> str:
        value = _escape(raw)
        if not value.strip() or self.plain:
            return value
        props = run.find(W + "rPr")
        style = (val(props, W + "rStyle") or "").lower()
        bold = _flag(props, "b") or style in ("strong", "kraftig", "strongemphasis")
        italic = _flag(props, "i") or style in ("emphasis", "fremhævning")
        underline = val(props, W + "u") not in ("none", None, "0")
        if italic or underline:
            self.out.note_here("import-emphasis", "italic or underlined text is kept as "
                               "emphasis (*...*); an easy-read version must not use it")
            return _wrap(value, "*" if not bold else "***")
        return _wrap(value, "**") if bold else value

    def symbol(self, element) -> str:
        code = (element.get(W + "char") or "").upper()
        shown = SYMBOLS.get(code)
        if shown is None:
            self.out.note_here("import-symbol", f"a symbol from the font "
                               f"'{element.get(W + 'font')}' (code {code}) cannot be shown "
                               "on a web page and is left out: write it as text if it matters")
        return shown or ""

    def field_char(self, kind: str | None, pieces: list[str]) -> None:
        if kind == "begin":
            self.fields.append({"instr": "", "result": False, "start": len(pieces)})
        elif kind == "separate" and self.fields:
            self.fields[-1]["result"] = True
            self.fields[-1]["start"] = len(pieces)
        elif kind == "end" and self.fields:
            opened = self.fields.pop()
            if opened["result"]:
                result = _join_runs(pieces[opened["start"]:])
                del pieces[opened["start"]:]
                pieces.append(self.field_result(opened["instr"], result))

    def field_result(self, instruction: str, result: str) -> str:
        """A field shows its result; a HYPERLINK field is a link to its target."""
        words = re.findall(r'\\(\w)\s*(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)', instruction)
        if not words or (words[0][4] or "").upper() != "HYPERLINK":
            return result
        target = next((w[3] or w[4] for w in words[1:] if not w[0]), "")
        if not target:
            self.out.note_here("import-link", f"the link '{_plain_text(result)}' pointed inside "
                               "the Word document; it is kept as text")
            return result
        return self.link(result, target)

    def hyperlink(self, element) -> str:
        pieces: list[str] = []
        for child in element.iterchildren():
            self.inline_child(child, pieces)
        text = _join_runs(pieces)
        rid = element.get(R + "id")
        rel = self.part.rels.get(rid) if rid else None
        if rel is None or not rel.is_external and not rel.target_ref.startswith("http"):
            self.out.note_here("import-link", f"the link '{_plain_text(text)}' pointed inside "
                               "the Word document; it is kept as text")
            return text
        return self.link(text, rel.target_ref)

    def link(self, text: str, target: str) -> str:
        text = _one_line(text)
        if not text.strip():
            return ""
        if _plain_text(text).strip().lower().rstrip(".") in VAGUE_TEXTS:
            self.out.note_here("import-link-text",
                               f"the link text '{_plain_text(text).strip()}' does not say "
                               "where it leads; write what the reader gets there")
        target = target.strip()
        if re.search(r"[\s()<>]", target):
            target = "<" + re.sub(r"[<>\s]", lambda m: f"%{ord(m.group(0)):02X}", target) + ">"
        return f"[{text}]({target})"

    def drawing(self, element) -> str:
        """Images become ![description](figur-N); text boxes wait for the end of the block."""
        for container in _outermost(element, (W + "txbxContent",)):
            self.floating.append(("text box", container))
        shown = []
        for image in _outermost(element, (A + "blip", V + "imagedata")):
            rid = image.get(R + "embed") or image.get(R + "id")
            if rid:
                shown.append(self.image(element, rid))
        if element.tag == W + "object" and not shown:
            self.out.note_here("import-object", "an embedded object (a chart, a spreadsheet) "
                               "is left out: add it as a picture with a description or a table")
        return " ".join(s for s in shown if s)

    def image(self, drawing, rid: str) -> str:
        part = self.part.related_parts.get(rid)
        if part is None:
            return ""
        extension = Path(str(part.partname)).suffix.lower() or ".png"
        name = f"figur-{len(self.out.images) + 1}{extension}"
        self.out.images[name] = part.blob
        properties = drawing.find(f".//{WP}docPr")
        shape = drawing.find(f".//{V}shape")
        raw = (properties.get("descr") if properties is not None else None) or \
            (shape.get("alt") if shape is not None else None) or ""
        if properties is not None and any(e.tag == DECORATIVE and e.get("val") in ("1", "true")
                                          for e in properties.iter()):
            return f"![]({name}){{.decorative}}"
        description = " ".join(raw.split())
        automatic = AUTOMATIC_ALT.search(description)
        if automatic:
            description = description[:automatic.start()].rstrip(" .,") or ""
            self.out.note_here("import-image-auto-alt", f"Word wrote the description of {name} "
                               f"itself ('{automatic.group(1)}'); check it and say what the "
                               "picture shows")
        if not description:
            self.out.note_here("import-image-alt",
                               f"the image {name} has no description (alt text) in Word; describe "
                               "it in ![...] or mark it {.decorative} if the text says it all")
            return f"![]({name})"
        return f"![{_escape(description)}]({name})"

    def comment(self, comment_id: str | None) -> None:
        if comment_id in self.comments_seen or comment_id not in self.comments:
            return
        self.comments_seen.add(comment_id)
        author, text = self.comments[comment_id]
        self.out.note_here("import-comment", f"Word comment by {author or 'an unknown author'}: "
                           f"'{text}'; act on it in the text (comments are not imported)")

    def note_block(self) -> None:
        """The footnotes and endnotes, each read with its own part's relationships."""
        for (kind, note_id), number in list(self.note_numbers.items()):
            part, notes = self.notes[kind]
            element = notes.get(note_id)
            saved, self.part = self.part, part or self.part
            try:
                paragraphs = [self.inline(p).strip() for p in element.iter(W + "p")] \
                    if element is not None else []
            finally:
                self.part = saved
            text = _one_line(" ".join(p for p in paragraphs if p))
            self.out.block(f"[^{number}]: {text}")
            self.write_floating()

    # --- tables -----------------------------------------------------------------------

    def table(self, element, caption: str | None) -> None:
        grid = parts.table_grid(element)
        if not grid or not grid[0]:
            return
        cells = {c.element for row in grid for c in row if c is not None}
        if len(cells) == 1:
            only = next(iter(cells))
            self.box(self.flatten(only), "table with one cell")
            return
        count, marked = parts.header_rows(element, grid)
        self.plain += 1             # header cells are bold already; '**' would show (issue 20)
        try:
            texts = {id(c.element): self.cell_text(c.element) for row in grid[:count]
                     for c in row if c is not None and c.kind == "own"}
        finally:
            self.plain -= 1
        body_texts = {id(c.element): self.cell_text(c.element) for row in grid[count:]
                      for c in row if c is not None and c.kind == "own"}
        headers = []
        for column in range(len(grid[0])):
            shown: list[str] = []
            for row in grid[:count]:
                cell = row[column]
                text = texts.get(id(cell.element), "") if cell is not None else ""
                if text and text not in shown:
                    shown.append(text)
            headers.append(" – ".join(shown))
        lines = [f"::: tabel {caption}".rstrip() if caption else "::: tabel",
                 _table_row(headers), "|" + "---|" * len(headers)]
        merged: list[str] = []
        spanning: list[tuple[int, str]] = []
        for row in grid[count:]:
            values = []
            for cell in row:
                if cell is None or cell.kind == "right":
                    values.append("")
                    continue
                values.append(body_texts.get(id(cell.element), texts.get(id(cell.element), "")))
                if cell.kind == "own" and cell.span > 1:
                    spanning.append((len(lines), _plain_text(values[-1])))
                if cell.kind == "own" and cell.rows > 1:
                    merged.append(f"'{_plain_text(values[-1])}' ({cell.rows} rows)")
            lines.append(_table_row(values))
        lines.append(":::")
        line = self.out.block("\n".join(lines))
        self.table_notes(element, grid, line, count, marked, caption, merged, spanning)

    def cell_text(self, element) -> str:
        texts = []
        for block in self.flatten(element):
            if block.tag == W + "tbl":
                self.out.note_here("import-table-nested", "a table inside a table cell cannot "
                                   "be shown; its cells are written into the outer cell, "
                                   "separated by ';': make it a table of its own")
                texts.append("; ".join(self.cell_text(c) for c in block.iter(W + "tc")))
            else:
                texts.append(self.inline(block).strip())
        if len([t for t in texts if t]) > 1:
            self.out.note_here("import-table-cell", "a cell holds several paragraphs or a "
                               "list; here each cell is one line: check the cells of this table")
        return _one_line(" ".join(t for t in texts if t))

    def table_notes(self, element, grid, line, count, marked, caption, merged, spanning):
        if count > 1:
            found = (f"has {count} header rows in Word" if marked else "has no header row "
                     f"marked in Word, and its first {count} rows group the columns")
            self.out.note(line + 1, "import-table-header",
                          f"the table {found}; a table here has one header row, so each "
                          "column's headers are joined with ' – ': check them, or split the "
                          "table into one table per group of columns")
        elif not marked:
            self.out.note(line + 1, "import-table-header", "the table has no header row in "
                          "Word; its first row is used as the column headers: check that it "
                          "holds them")
        if merged:
            self.out.note(line, "import-table-merged", "cells merged down in Word are repeated "
                          f"in each row they cover: {', '.join(merged)}; check that each "
                          "figure stands beside the right heading")
        for at, text in spanning:
            self.out.note(line + at, "import-table-merged", f"the cell '{text}' spans several "
                          "columns in Word; here it fills the first: make it a heading above "
                          "the table, or split the table there")
        if not caption:
            self.out.note(line, "import-table-caption", "the table has no caption in Word; "
                          "write one after '::: tabel'")

    def summary_notes(self) -> None:
        if self.tracked:
            self.out.note(None, "import-tracked", "tracked changes read as accepted (check "
                          f"the text): {self.tracked}")
        texts = parts.header_footer_texts(self.document.part)
        if texts:
            self.out.note(None, "import-header-footer", "the page headers and footers are left "
                          "out (the site has its own): " + "; ".join(f"'{t}'" for t in texts))


# --- helpers ---------------------------------------------------------------------------

def _chosen(alternate):
    """The branch of mc:AlternateContent to read: its first choice, else its fallback; the
    other holds the same content again (issue 20: a text box is read once)."""
    branch = alternate.find(MC + "Choice")
    if branch is None:
        branch = alternate.find(MC + "Fallback")
    return branch if branch is not None else alternate.makeelement(MC + "Fallback")


def _outermost(element, tags: tuple[str, ...]) -> list:
    """Descendants with one of `tags`, not looking inside a text box (its pictures and
    boxes are read with it), taking one branch of each mc:AlternateContent."""
    found = []
    for child in element.iterchildren():
        if child.tag in tags:
            found.append(child)
        elif child.tag == MC + "AlternateContent":
            found += _outermost(_chosen(child), tags)
        elif child.tag != W + "txbxContent":
            found += _outermost(child, tags)
    return found


def _contents_field_paragraphs(body) -> set:
    """The paragraphs inside an automatic contents field (TOC), which the page replaces."""
    inside, depth_of_contents, depth = set(), None, 0
    for node in body.iter(W + "fldChar", W + "instrText", W + "p"):
        if node.tag == W + "p":
            if depth_of_contents is not None:
                inside.add(node)
            continue
        if node.tag == W + "instrText":
            if depth_of_contents is None and (node.text or "").strip().upper().startswith("TOC"):
                depth_of_contents = depth
                paragraph = next(node.iterancestors(W + "p"), None)
                if paragraph is not None:
                    inside.add(paragraph)
            continue
        kind = node.get(W + "fldCharType")
        if kind == "begin":
            depth += 1
        elif kind == "end":
            if depth_of_contents is not None and depth == depth_of_contents:
                paragraph = next(node.iterancestors(W + "p"), None)
                if paragraph is not None:
                    inside.add(paragraph)
                depth_of_contents = None
            depth = max(0, depth - 1)
    return inside


def _table_row(values: list[str]) -> str:
    return "| " + " | ".join(v.replace(BREAK, " ") for v in values) + " |"


def _last_number(label: str, fmt: str) -> int:
    """The item's own number from Word's label ("2.3" -> 3, "c)" -> 3)."""
    digits = re.findall(r"\d+", label)
    if fmt in ("decimal", "decimalZero") and digits:
        return int(digits[-1])
    letters = re.findall(r"[A-Za-z]+", label)
    if letters and "Roman" in fmt:
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
        word, total = letters[-1].lower(), 0
        for index, letter in enumerate(word):
            value = values.get(letter, 0)
            total += -value if index + 1 < len(word) and values.get(word[index + 1], 0) > value \
                else value
        return total or 1
    if letters:
        word = letters[-1].lower()
        return (ord(word[0]) - ord("a") + 1) + 26 * (len(word) - 1)
    return int(digits[-1]) if digits else 1


def _plain_text(markdown: str) -> str:
    return re.sub(r"[*\\]", "", markdown).replace(BREAK, " ")


def _one_line(text: str) -> str:
    return " ".join(text.replace(BREAK, " ").split())


def _flag(props, name: str) -> bool:
    if props is None:
        return False
    element = props.find(W + name)
    return element is not None and element.get(W + "val") not in ("0", "false")


def _looks_like_heading(element, text: str) -> bool:
    """All of its text bold, or in type larger than the body's, and short."""
    if len(text.split()) > 14 or text.endswith((".", ":", ";")):
        return False
    runs = [r for r in element.iter(W + "r")
            if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    if not runs:
        return False
    all_bold = all(_flag(r.find(W + "rPr"), "b") for r in runs)
    sizes = [r.find(f"{W}rPr/{W}sz") for r in runs]
    large = all(s is not None and to_int(s.get(W + "val"), 22) / 2 > NORMAL_SIZE_PT + 1
                for s in sizes)
    return all_bold or large


def _wrap(value: str, marker: str) -> str:
    """`**text**` with the spaces outside the markers, as CommonMark needs."""
    stripped = value.strip()
    lead = value[:len(value) - len(value.lstrip())]
    trail = value[len(value.rstrip()):]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _join_runs(pieces: list[str]) -> str:
    return "".join(pieces).replace("****", "")      # adjacent bold runs merge


def _escape(text: str) -> str:
    """Characters Markdown would read as syntax in running text."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def _guard(text: str, first: bool = True) -> str:
    """A paragraph's lines as Markdown text: a line break is a hard break, and no line
    starts something Markdown would read as a heading, quote, list, fence or code."""
    lines = [line.strip() for line in text.split(BREAK)]
    guarded = []
    for number, line in enumerate(lines):
        if number or first:
            line = re.sub(r"^([#>+]|[-*](?=\s)|:{3,}|=+$|-{3,}$)", r"\\\1", line)
            line = re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", line)
        guarded.append(line)
    return BREAK.join(g for g in guarded if g).replace(BREAK, "\\" + BREAK)
