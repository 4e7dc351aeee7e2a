"""Import: the blocks of a Word document in reading order, written as Markdown.

`Reader` walks the body (content controls and custom XML opened up), and writes headings in
a corrected outline, lists with Word's numbers, typed lists and contents lists, quotations,
fact boxes from text boxes and one-cell tables, and tables laid out on Word's grid; every
point that needs a human becomes a note at its line (issue 20).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..i18n import _, ngettext
from . import parts
from .inline import Inline, chosen, flag
from .output import BREAK, Output, escape, guard, one_line, plain_text, table_row
from .parts import MC, W, to_int, val

TYPED_NUMBER = re.compile(r"^\s*(?:(\d{1,2})[.)]|([a-z])\))[ \t\u00a0]+(?=\S)")
TYPED_BULLET = re.compile(r"^\s*([•·▪◦‣–\-→➔➜►▸✓\uf0b7\uf0a7\uf0d8\uf0e0])[ \t\u00a0]+(?=\S)")
CONTENTS_ENTRY = re.compile(r"^(?=.*\S)(.+?)(?:\t+|\s*\.{3,}\s*|\s*…+\s*)(\d{1,3})\s*$")
CONTENTS_TITLE = re.compile(r"(indhold|indholdsfortegnelse|contents|table of contents)\s*:?",
                            re.I)
ATTRIBUTION = re.compile(r"^\s*[–—-]\s*\S")        # "– Borger i Herlev, 45 år"
NORMAL_SIZE_PT = 11


@dataclass
class Heading:
    index: int                # its line in Output.lines (0-based)
    level: int                # the Markdown level Word's outline gives it
    text: str


class Reader(Inline):
    """Walks the document in reading order, writing Markdown into an Output."""

    def __init__(self, document):
        super().__init__(document)
        self.styles = parts.Styles(document)
        self.numbering = parts.Numbering.of(document)
        self.title: str | None = None
        self.front_notes: list[tuple[int, str, str]] = []
        body = document.element.body
        self.has_title = bool((document.core_properties.title or "").strip()) or any(
            self.styles.outline_level(p) == 0 for p in body.iter(W + "p"))
        self.headings: list[Heading] = []
        self.contents_field = _contents_field_paragraphs(body)
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
        self.out.flush(len(self.out.lines) or None)
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
                found += self.flatten(chosen(child))
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
                        found[index] = (near, escape(text))
                        break
        return found

    # --- paragraphs -------------------------------------------------------------------

    def paragraph(self, element) -> None:
        text = self.inline(element).strip()
        if not text.strip(BREAK + " "):
            return
        level = self.styles.outline_level(element)
        numbered = self.styles.list_numbering(element)
        if level is not None and not self.in_box:
            self.heading(level, self.heading_number(numbered) + one_line(text))
            return
        if numbered is not None and numbered[0] != "0":
            self.list_item(text, *numbered)
            return
        plain = parts.paragraph_text(element)
        typed = TYPED_NUMBER.match(plain) or TYPED_BULLET.match(plain)
        if typed:
            self.typed_item(plain, text)
            return
        if level is not None:                      # a heading inside a fact box
            text = f"**{one_line(text).replace('**', '')}**"
        line = self.out.block(guard(text))
        if level is None and looks_like_heading(element, text):
            self.out.note(line, "import-fake-heading", _("this paragraph looks like a heading (bold or large type) but is not a "
                                                          "Word heading; make it '## ...' if it is one"))

    def heading_number(self, numbered: tuple[str, int, int] | None) -> str:
        """The number Word shows before a numbered heading ("2.1 "), kept in its text."""
        if numbered is None or numbered[0] in ("0", "style-number", "style-bullet"):
            return ""
        found, label = self.numbering.next(numbered[0], numbered[1])
        return "" if found.format in ("bullet", "none") or not label else label + " "

    def heading(self, level: int, text: str) -> None:
        """The Title paragraph (or, in a document without one, the first Heading 1) is the
        page's title; every other heading is a section, its level one below Word's."""
        text = text.replace("**", "").strip()
        if self.title is None and (level == 0 or level == 1 and not self.has_title):
            self.title = plain_text(text)
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
            names = ", ".join(f"'{plain_text(h.text)}'" for h in group)
            self.out.note(group[0].index + 1, "import-heading-level",
                          ngettext("the Word headings skip a level here; {names} is moved up to "
                                   "follow the heading above: check the outline",
                                   "the Word headings skip a level here; {names} are moved up to "
                                   "follow the heading above: check the outline",
                                   len(group)).format(names=names))

    def list_item(self, text: str, num_id: str, level: int, depth: int) -> None:
        if num_id in ("style-number", "style-bullet"):
            label, fmt = "1", "decimal" if num_id == "style-number" else "bullet"
        else:
            found, label = self.numbering.next(num_id, level)
            fmt = found.format
        if fmt in ("bullet", "none"):
            self.out.item("-", guard(text), depth, num_id)
            return
        number = _last_number(label, fmt)
        line = self.out.item(f"{number}.", guard(text), depth, num_id)
        if fmt not in ("decimal", "decimalZero") and num_id not in self.lettered:
            self.lettered.add(num_id)
            self.out.note(line, "import-list-numbering", _("Word numbers this list '{label}', ...; the page numbers it 1, 2, 3: "
                                                            "check any reference to the items by letter or Roman number").format(label=label))

    def typed_item(self, plain: str, text: str) -> None:
        number = TYPED_NUMBER.match(plain)
        marker = number.group(0).strip() if number else TYPED_BULLET.match(plain).group(1)
        stripped = re.sub(r"^\s*" + re.escape(marker) + r"[ \t\u00a0]+", "", text, count=1)
        if number:
            value = to_int(number.group(1), 0) or ord(number.group(2)) - ord("a") + 1
            line = self.out.item(f"{value}.", guard(stripped), 0, "typed")
        else:
            line = self.out.item("-", guard(stripped), 0, "typed")
        self.out.note(line, "import-typed-list", _("the numbering or bullet ('{marker}') was typed as text in Word; it is "
                                                    "now a list: check that it is one").format(marker=marker))

    def quote(self, elements: list) -> None:
        texts = [guard(self.inline(e).strip()) for e in elements]
        texts = [t for t in texts if t.strip()]
        who = ""
        if len(texts) > 1 and ATTRIBUTION.match(plain_text(texts[-1])):
            who = re.sub(r"^[–—-]\s*", "", one_line(plain_text(texts.pop())))
        body = "\n\n".join(texts)
        line = self.out.block(f"::: citat {who}".rstrip() + f"\n{body}\n:::")
        style = self.styles.name(self.styles.of(elements[0]))
        self.out.note(line, "import-quote", (
            _("the '{style}' style became '::: citat'; check that '{who}' is who said it")
            if who else _("the '{style}' style became '::: citat'; write who said it after "
                          "'::: citat' (required)")).format(style=style, who=who))

    def typed_contents(self, elements: list) -> None:
        texts = [" ".join(parts.paragraph_text(e).split()) for e in elements]
        title = texts.pop(0) if CONTENTS_TITLE.fullmatch(texts[0]) else None
        lines = ([escape(title), ""] if title else []) + [f"- {escape(t)}" for t in texts]
        line = self.out.block("\n".join(lines))
        self.out.note(line, "import-contents", (
            _("this is a contents list typed in Word (under '{title}'); delete it: the page "
              "makes its own from the headings") if title else
            _("this is a contents list typed in Word; delete it: the page makes its own from "
              "the headings")).format(title=title))

    def drop_contents(self, texts: list[str]) -> None:
        shown = "; ".join(" ".join(t.split()) for t in texts if t.strip())
        self.out.note_here("import-contents", _("Word's automatic contents list is left out: the page makes its own from "
                                                 "the headings (it held: {shown})").format(shown=shown))

    def content_control(self, element) -> None:
        """A content control kept whole by `flatten`: Word's contents list, or placeholder."""
        gallery = val(element.find(W + "sdtPr"), f"{W}docPartObj/{W}docPartGallery", "")
        if "contents" in gallery.lower():
            content = element.find(W + "sdtContent")
            paragraphs = list(content.iter(W + "p")) if content is not None else []
            self.drop_contents([parts.paragraph_text(p) for p in paragraphs])
        else:
            self.placeholder(element)

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
                looks_like_heading(first, parts.paragraph_text(first).strip())):
            title = plain_text(one_line(self.inline(first).strip()))
            elements = elements[elements.index(first) + 1:]
        saved, saved_floating = (self.out, self.floating)
        self.out, self.floating = Output(images=saved.images), []
        self.in_box += 1
        try:
            self.blocks(elements)
            self.out.flush(len(self.out.lines) or None)
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
        what = _("the text box") if kind == "text box" else _("the table with one cell")
        self.out.note(first_line, "import-box", (
            _("{what} became '::: faktaboks'; check that '{title}' is its title") if title else
            _("{what} became '::: faktaboks'; write its title after '::: faktaboks' "
              "(required)")).format(what=what, title=plain_text(title or "")))

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
            text = one_line(" ".join(p for p in paragraphs if p))
            self.out.block(f"[^{number}]: {text}")
            self.write_floating()

    # --- tables -----------------------------------------------------------------------

    def table(self, element, caption: str | None) -> None:
        """A `::: tabel` on Word's grid (merged cells resolved), its header rows joined into
        one; a table of one cell is a fact box."""
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
        headers = _column_headers(grid[:count], texts)
        lines = [f"::: tabel {caption}".rstrip() if caption else "::: tabel",
                 table_row(headers), "|" + "---|" * len(headers)]
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
                    spanning.append((len(lines), plain_text(values[-1])))
                if cell.kind == "own" and cell.rows > 1:
                    merged.append(ngettext("'{text}' ({count} row)", "'{text}' ({count} rows)", cell.rows).format(text=plain_text(values[-1]), count=cell.rows))
            lines.append(table_row(values))
        lines.append(":::")
        line = self.out.block("\n".join(lines))
        self.table_notes(line, count, marked, caption, merged, spanning)

    def cell_text(self, element) -> str:
        texts = []
        for block in self.flatten(element):
            if block.tag == W + "tbl":
                self.out.note_here("import-table-nested", _("a table inside a table cell cannot be shown; its cells are written into "
                                                             "the outer cell, separated by ';': make it a table of its own"))
                texts.append("; ".join(self.cell_text(c) for c in block.iter(W + "tc")))
            else:
                texts.append(self.inline(block).strip())
        if len([t for t in texts if t]) > 1:
            self.out.note_here("import-table-cell", _("a cell holds several paragraphs or a list; here each cell is one line: "
                                                       "check the cells of this table"))
        return one_line(" ".join(t for t in texts if t))

    def table_notes(self, line: int, count: int, marked: bool, caption: str | None,
                    merged: list[str], spanning: list[tuple[int, str]]) -> None:
        if count > 1:
            found = (_("the table has {count} header rows in Word") if marked else
                     _("the table has no header row marked in Word, and its first {count} rows "
                       "group the columns")).format(count=count)
            self.out.note(line + 1, "import-table-header",
                          _("{found}; a table here has one header row, so each column's headers "
                            "are joined with ' – ': check them, or split the table into one "
                            "table per group of columns").format(found=found))
        elif not marked:
            self.out.note(line + 1, "import-table-header", _("the table has no header row in Word; its first row is used as the "
                                                              "column headers: check that it holds them"))
        if merged:
            self.out.note(line, "import-table-merged", _("cells merged down in Word are repeated in each row they cover: "
                                                          "{merged}; check that each figure stands beside the right heading").format(merged=', '.join(merged)))
        for at, text in spanning:
            self.out.note(line + at, "import-table-merged", _("the cell '{text}' spans several columns in Word; here it fills the "
                                                               "first: make it a heading above the table, or split the table there").format(text=text))
        if not caption:
            self.out.note(line, "import-table-caption", _("the table has no caption in Word; write one after '::: tabel'"))

    def summary_notes(self) -> None:
        texts = parts.header_footer_texts(self.document.part)
        if texts:
            self.out.note(None, "import-header-footer", _("the page headers and footers are left out (the site has its own): ") + "; ".join(f"'{t}'" for t in texts))


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


def _column_headers(rows: list, texts: dict[int, str]) -> list[str]:
    """Each column's header: the texts of its header rows, top down, each once (a header
    merged over two columns heads both; one merged down is not repeated)."""
    headers = []
    for column in range(len(rows[0])):
        shown: list[str] = []
        for row in rows:
            cell = row[column]
            text = texts.get(id(cell.element), "") if cell is not None else ""
            if text and text not in shown:
                shown.append(text)
        headers.append(" – ".join(shown))
    return headers


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


def looks_like_heading(element, text: str) -> bool:
    """All of its text bold, or in type larger than the body's, and short."""
    if len(text.split()) > 14 or text.endswith((".", ":", ";")):
        return False
    runs = [r for r in element.iter(W + "r")
            if "".join(t.text or "" for t in r.iter(W + "t")).strip()]
    if not runs:
        return False
    all_bold = all(flag(r.find(W + "rPr"), "b") for r in runs)
    sizes = [r.find(f"{W}rPr/{W}sz") for r in runs]
    large = all(s is not None and to_int(s.get(W + "val"), 22) / 2 > NORMAL_SIZE_PT + 1
                for s in sizes)
    return all_bold or large
