"""Import: a Word document (.docx) into a page bundle, with a list of what needs a human.

`python build.py import POLICY.docx --to content/<municipality>/<slug>/` writes `index.md`
(front matter and the body in site_gen's authoring syntax) and the document's images beside
it, then reports `path:line: warning: message [code]` for everything an author must decide.
It reads the document with python-docx, which gives the paragraph styles, run formatting,
numbering, table header rows and image descriptions that a Word-to-HTML converter (mammoth)
flattens away, and which the tests use to write .docx files. Parts python-docx has no API
for (footnotes, hyperlinks, tracked changes) are read from the document's XML.

What it does with each thing Word has (issue 9):
- Heading styles become `##`-`####` headings in a correct outline (the title is the page's
  h1); a paragraph that only looks like a heading (all bold, or larger type) stays a
  paragraph and is reported.
- Bulleted and numbered lists, nested by their Word level; numbering typed as text
  ("1. ", "a) ", "• ") becomes a list and is reported.
- Tables become `::: tabel` data tables; a first row marked "repeat as header row" is the
  header; otherwise the first row is used and reported. A caption paragraph right before or
  after the table becomes the caption; without one the build asks for it.
- Bold stays bold; italics and underline become emphasis (underlined text looks like a link
  on a web page) and are reported, because easy-read pages allow neither.
- Links keep their targets; vague link texts are reported.
- Images keep their description as alt text, or are marked decorative when Word marks them
  so; an image without either is written without alt text, which the build refuses.
- Footnotes are kept as `[^n]`. Page breaks, comments and tracked changes are dropped with a
  note; tracked changes are read as accepted (pandoc's default).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .checks.links import VAGUE as VAGUE_TEXTS
from .problems import Problems
from .schema import SLUG
from .text import make_slug

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"

HEADING_STYLE = re.compile(r"(?:heading|overskrift)\s*(\d)", re.I)
TITLE_STYLES = {"title", "titel"}
CAPTION_STYLES = {"caption", "billedtekst", "beskrivelse"}
TYPED_NUMBER = re.compile(r"^\s*(?:(\d{1,2})[.)]|([a-z])\))\s+(?=\S)")
TYPED_BULLET = re.compile(r"^\s*[•·▪◦‣–-]\s+(?=\S)")
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

    def block(self, text: str) -> int:
        """Add a block (blank line before it); returns its first line in the body."""
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        first = len(self.lines) + 1
        self.lines.extend(text.split("\n"))
        self._flush(first)
        return first

    def item(self, text: str) -> int:
        """Add a list item line, keeping the list together."""
        if self.lines and self.lines[-1] != "" and not _is_item(self.lines[-1]):
            self.lines.append("")
        self.lines.append(text)
        self._flush(len(self.lines))
        return len(self.lines)

    def note(self, line: int | None, code: str, text: str) -> None:
        self.notes.append((line, code, text))

    def note_here(self, code: str, text: str) -> None:
        """A note on the inline text being read: it gets the line of the block it ends in."""
        self.pending.append((code, text))

    def _flush(self, line: int) -> None:
        self.notes += [(line, code, text) for code, text in self.pending]
        self.pending.clear()


def _is_item(line: str) -> bool:
    return bool(re.match(r"\s*(?:[-*]|\d+\.)\s", line))


def import_docx(source: Path, target: Path, force: bool, display, problems: Problems) -> Path:
    """Write the bundle; returns the path of index.md. Notes go to `problems` as warnings
    with their line in index.md. Raises ImportError_ when nothing can be written."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    for name in target.resolve().parts[-2:]:        # <municipality>/<slug> become the address
        if not SLUG.fullmatch(name):
            raise ImportError_(f"the folder name '{name}' becomes part of the address; use "
                               f"only a-z, 0-9 and hyphens, e.g. '{make_slug(name)}'")
    if (target / "index.md").exists() and not force:
        raise ImportError_(f"{display(target / 'index.md')} exists already; import into a new "
                           "folder, or add --force to replace it")
    try:
        document = docx.Document(str(source))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ImportError_(f"{display(source)} cannot be read as a Word document (.docx): "
                           f"{exc}") from None
    reader = Reader(document)
    out = reader.read()
    front = front_matter(document, reader.title)
    offset = front.count("\n")                    # body line 1 is the line after the front matter
    target.mkdir(parents=True, exist_ok=True)
    index = target / "index.md"
    index.write_text(front + "\n".join(out.lines).strip("\n") + "\n", encoding="utf-8")
    for name, data in out.images.items():
        (target / name).write_bytes(data)
    shown = display(index)
    for line, code, text in sorted(reader.front_notes):
        problems.warning(shown, line, code, text)
    for line, code, text in out.notes:
        problems.warning(shown, None if line is None else line + offset, code, text)
    return index


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


class Reader:
    """Walks the document body in order, writing Markdown into an Output."""

    def __init__(self, document):
        self.document = document
        self.out = Output()
        self.title: str | None = None
        self.front_notes: list[tuple[int, str, str]] = []
        self.level = 1                       # the last heading level written (1: the title)
        self.body = list(document.element.body.iterchildren())
        self.has_title_style = any(_style_of(document, e).lower() in TITLE_STYLES
                                   for e in self.body if e.tag == W + "p")
        self.properties_title = (document.core_properties.title or "").strip()
        self.footnotes = _footnotes(document)
        self.footnote_numbers: dict[str, int] = {}
        self.counts = {"page-break": 0, "comment": 0, "tracked": 0}
        self.numbering = _numbering_formats(document)
        self.emphasis = False                # italic or underlined text was met
        self.captions = self.table_captions()

    def table_captions(self) -> dict[int, tuple[int, str]]:
        """Table index -> (index, text) of the caption-style paragraph right before or after
        it: the table takes it as its caption, and the paragraph is not written again."""
        found = {}
        for index, element in enumerate(self.body):
            if element.tag != W + "tbl":
                continue
            for near in (index - 1, index + 1):
                if 0 <= near < len(self.body) and self.body[near].tag == W + "p" \
                        and _style_of(self.document, self.body[near]).lower() in CAPTION_STYLES:
                    text = _plain(self.body[near]).strip()
                    if text and near not in {i for i, _ in found.values()}:
                        found[index] = (near, text)
                        break
        return found

    def read(self) -> Output:
        taken = {near for near, _ in self.captions.values()}
        for index, element in enumerate(self.body):
            if element.tag == W + "p" and index not in taken:
                self.paragraph(element)
            elif element.tag == W + "tbl":
                caption = self.captions.get(index)
                self.table(element, caption[1] if caption else None)
        self.footnote_block()
        self.summary_notes()
        if self.title is None and not self.properties_title:
            self.front_notes.append((2, "import-title", "the document has no title in its "
                                     "properties and no heading; write the title"))
        return self.out

    # --- paragraphs -------------------------------------------------------------------

    def paragraph(self, element) -> None:
        style = _style_of(self.document, element)
        text = self.inline(element).strip()
        if not text:
            return
        heading = self.heading_level(style)
        if heading is not None:
            self.write_heading(heading, text)
            return
        list_info = self.list_info(element, style)
        if list_info is not None:
            ordered, depth = list_info
            self.write_item(text, ordered, depth)
            return
        typed = TYPED_NUMBER.match(_plain(element)) or TYPED_BULLET.match(_plain(element))
        if typed:
            ordered = bool(TYPED_NUMBER.match(_plain(element)))
            stripped = re.sub(TYPED_NUMBER if ordered else TYPED_BULLET, "", text, count=1)
            line = self.write_item(stripped, ordered, 0)
            self.out.note(line, "import-typed-list", "the numbering or bullet was typed as "
                          "text in Word; it is now a list: check that it is one")
            return
        line = self.out.block(text)
        if _looks_like_heading(element, text):
            self.out.note(line, "import-fake-heading", "this paragraph looks like a heading "
                          "(bold or large type) but is not a Word heading; make it '## ...' "
                          "if it is one")

    def heading_level(self, style: str) -> int | None:
        if style.lower() in TITLE_STYLES:
            return 1
        match = HEADING_STYLE.fullmatch(style.strip())
        if not match:
            return None
        level = int(match.group(1))
        # With a title (a Title paragraph or the properties) every Word heading is a section;
        # without one the first "Heading 1" is the title.
        titled = self.has_title_style or self.properties_title or self.title is not None
        return level + 1 if titled else level

    def write_heading(self, level: int, text: str) -> None:
        text = text.replace("**", "").strip()
        if level == 1:
            if self.title is None:
                self.title = text
                return
            level = 2                             # only the title is a level-1 heading
        if level > self.level + 1:
            line = self.out.block(f"{'#' * (self.level + 1)} {text}")
            self.out.note(line, "import-heading-level", f"the Word heading skipped a level "
                          f"(heading {level - 1} after heading {self.level - 1 or 'title'}); "
                          "it is moved up one level: check the outline")
            self.level += 1
            return
        self.out.block(f"{'#' * level} {text}")
        self.level = level

    def list_info(self, element, style: str) -> tuple[bool, int] | None:
        props = element.find(f"{W}pPr/{W}numPr")
        if props is not None:
            level = props.find(f"{W}ilvl")
            number = props.find(f"{W}numId")
            depth = int(level.get(W + "val")) if level is not None else 0
            num_id = number.get(W + "val") if number is not None else None
            if num_id == "0":
                return None
            fmt = self.numbering.get((num_id, depth), "bullet")
            return fmt != "bullet", depth
        lowered = style.lower()
        if lowered.startswith(("list bullet", "list number", "punktopstilling", "opstilling")):
            depth = int(lowered[-1]) - 1 if lowered[-1].isdigit() else 0
            return "number" in lowered or "tal" in lowered, depth
        return None

    def write_item(self, text: str, ordered: bool, depth: int) -> int:
        indent = "   " * depth
        return self.out.item(f"{indent}{'1.' if ordered else '-'} {text}")

    # --- runs, links, images, footnotes -----------------------------------------------

    def inline(self, element) -> str:
        parts: list[str] = []
        for child in element.iterchildren():
            tag = child.tag
            if tag == W + "r":
                parts.append(self.run(child))
            elif tag == W + "hyperlink":
                parts.append(self.hyperlink(child))
            elif tag == W + "ins":
                self.counts["tracked"] += 1
                parts.append(self.inline(child))          # insertions read as accepted
            elif tag == W + "del":
                self.counts["tracked"] += 1               # deletions read as accepted
            elif tag in (W + "commentRangeStart",):
                self.counts["comment"] += 1
            elif tag in (W + "smartTag", W + "sdt", W + "sdtContent", W + "fldSimple"):
                parts.append(self.inline(child))
        return _join_runs(parts)

    def run(self, run) -> str:
        text = []
        for child in run.iterchildren():
            tag = child.tag
            if tag == W + "t":
                text.append(child.text or "")
            elif tag == W + "tab":
                text.append(" ")
            elif tag == W + "br":
                if child.get(W + "type") == "page":
                    self.counts["page-break"] += 1
                else:
                    text.append(" ")
            elif tag == W + "drawing":
                return self.image(child)
            elif tag == W + "footnoteReference":
                return self.footnote_reference(child.get(W + "id"))
            elif tag == W + "commentReference":
                continue
        value = _escape("".join(text))
        if not value.strip():
            return value
        props = run.find(W + "rPr")
        bold = _flag(props, "b")
        italic = _flag(props, "i")
        underline = props is not None and props.find(W + "u") is not None \
            and props.find(W + "u").get(W + "val") not in ("none", None, "0")
        if italic or underline:
            self.emphasis = True
            return _wrap(value, "*" if not bold else "***")
        return _wrap(value, "**") if bold else value

    def hyperlink(self, element) -> str:
        text = self.inline(element)
        rid = element.get(R + "id")
        if rid is None:
            self.out.note_here("import-link", f"the link '{_plain_text(text)}' pointed inside "
                          "the Word document; it is kept as text")
            return text
        target = self.document.part.rels[rid].target_ref
        if _plain_text(text).strip().lower().rstrip(".") in VAGUE_TEXTS:
            self.out.note_here("import-link-text",
                          f"the link text '{_plain_text(text).strip()}' does not say where it "
                          "leads; write what the reader gets there")
        return f"[{text}]({target})"

    def image(self, drawing) -> str:
        blip = drawing.find(f".//{A}blip")
        properties = drawing.find(f".//{WP}docPr")
        if blip is None:
            return ""
        part = self.document.part.related_parts[blip.get(R + "embed")]
        extension = Path(str(part.partname)).suffix.lower() or ".png"
        name = f"figur-{len(self.out.images) + 1}{extension}"
        self.out.images[name] = part.blob
        description = (properties.get("descr") or "").strip() if properties is not None else ""
        decorative = properties is not None and any(
            e.tag == DECORATIVE and e.get("val") in ("1", "true") for e in properties.iter())
        if decorative:
            return f"![]({name}){{.decorative}}"
        if not description:
            self.out.note_here("import-image-alt",
                          f"the image {name} has no description (alt text) in Word; describe "
                          "it in ![...] or mark it {.decorative} if the text says it all")
            return f"![]({name})"
        return f"![{_escape(description)}]({name})"

    def footnote_reference(self, note_id: str) -> str:
        number = self.footnote_numbers.setdefault(note_id, len(self.footnote_numbers) + 1)
        return f"[^{number}]"

    def footnote_block(self) -> None:
        for note_id, number in self.footnote_numbers.items():
            element = self.footnotes.get(note_id)
            text = " ".join(self.inline(p).strip() for p in element.iter(W + "p")) \
                if element is not None else ""
            self.out.block(f"[^{number}]: {text.strip()}")

    # --- tables -----------------------------------------------------------------------

    def table(self, element, caption: str | None) -> None:
        rows = element.findall(W + "tr")
        if not rows:
            return
        cells = [[_cell_text(self, cell) for cell in row.findall(W + "tc")] for row in rows]
        width = max(len(r) for r in cells)
        cells = [r + [""] * (width - len(r)) for r in cells]
        header = rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        lines = [f"::: tabel {caption}" if caption else "::: tabel"]
        lines.append("| " + " | ".join(cells[0]) + " |")
        lines.append("|" + "---|" * width)
        lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
        lines.append(":::")
        line = self.out.block("\n".join(lines))
        if not header:
            self.out.note(line + 1, "import-table-header", "the table has no header row in "
                          "Word; its first row is used as the column headers: check that it "
                          "holds them")
        if not caption:
            self.out.note(line, "import-table-caption", "the table has no caption in Word; "
                          "write one after '::: tabel'")

    def summary_notes(self) -> None:
        if self.emphasis:
            self.out.note(None, "import-emphasis", "italic or underlined text is kept as "
                          "emphasis (*...*); an easy-read version must not use it")
        labels = {"page-break": "page breaks dropped (a web page has none): {}",
                  "comment": "comments dropped (read them in Word before publishing): {}",
                  "tracked": "tracked changes read as accepted (check the text): {}"}
        for key, count in self.counts.items():
            if count:
                self.out.note(None, f"import-{key}", labels[key].format(count))


# --- helpers ---------------------------------------------------------------------------

def _style_of(document, element) -> str:
    style = element.find(f"{W}pPr/{W}pStyle")
    if style is None:
        return ""
    style_id = style.get(W + "val")
    try:
        return document.styles.get_by_id(style_id, 1).name or style_id  # 1: paragraph styles
    except (KeyError, ValueError, AttributeError):
        return style_id


def _plain(element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t")
                   if not any(a.tag == W + "del" for a in t.iterancestors()))


def _plain_text(markdown: str) -> str:
    return re.sub(r"[*\\]", "", markdown)


def _flag(props, name: str) -> bool:
    if props is None:
        return False
    element = props.find(W + name)
    return element is not None and element.get(W + "val") not in ("0", "false")


def _looks_like_heading(element, text: str) -> bool:
    """All of its text bold, or in type larger than the body's, and short."""
    if len(text.split()) > 14 or text.endswith((".", ":", ";")):
        return False
    runs = [r for r in element.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    if not runs:
        return False
    all_bold = all(_flag(r.find(W + "rPr"), "b") for r in runs)
    sizes = [r.find(f"{W}rPr/{W}sz") for r in runs]
    large = all(s is not None and int(s.get(W + "val", "22")) / 2 > NORMAL_SIZE_PT + 1
                for s in sizes)
    return all_bold or large


def _wrap(value: str, marker: str) -> str:
    """`**text**` with the spaces outside the markers, as CommonMark needs."""
    stripped = value.strip()
    lead = value[:len(value) - len(value.lstrip())]
    trail = value[len(value.rstrip()):]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _join_runs(parts: list[str]) -> str:
    return "".join(parts).replace("****", "")      # adjacent bold runs merge


def _escape(text: str) -> str:
    """Characters Markdown would read as syntax in running text."""
    text = re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)
    return re.sub(r"^(\s*)([#>+])", r"\1\\\2", text)


def _cell_text(reader: Reader, cell) -> str:
    return " ".join(reader.inline(p).strip() for p in cell.iter(W + "p")).strip()


def _footnotes(document) -> dict[str, object]:
    from lxml import etree
    for rel in document.part.rels.values():
        if rel.reltype == FOOTNOTES:
            root = etree.fromstring(rel.target_part.blob)
            return {n.get(W + "id"): n for n in root.iter(W + "footnote")
                    if n.get(W + "type") not in ("separator", "continuationSeparator")}
    return {}


def _numbering_formats(document) -> dict[tuple[str, int], str]:
    """(numId, level) -> numFmt ('bullet', 'decimal', ...) from the numbering part."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract = {}
    for item in numbering.iter(W + "abstractNum"):
        levels = {}
        for lvl in item.iter(W + "lvl"):
            fmt = lvl.find(W + "numFmt")
            levels[int(lvl.get(W + "ilvl"))] = fmt.get(W + "val") if fmt is not None else "bullet"
        abstract[item.get(W + "abstractNumId")] = levels
    formats = {}
    for num in numbering.iter(W + "num"):
        ref = num.find(W + "abstractNumId")
        levels = abstract.get(ref.get(W + "val") if ref is not None else None, {})
        for level, fmt in levels.items():
            formats[(num.get(W + "numId"), level)] = fmt
    return formats
