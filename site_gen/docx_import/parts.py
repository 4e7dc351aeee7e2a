"""Import: what the Word import needs to know about a .docx beyond the text it reads.

`reader.py` and `inline.py` walk the body and write Markdown; this module answers their
questions about the rest of the package: which styles are headings, quotes, captions or contents
entries (following each style's `basedOn` chain, as Word does), what number Word shows
for a list item, how merged table cells lie on the table's grid, and the text of the parts
that hold footnotes, endnotes, comments, headers and footers (each read with its own
relationships, so a link in a footnote points where Word points it; issue 20).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

HEADING_NAME = re.compile(r"(?:heading|overskrift)\s*([1-9])")
TITLE_NAMES = {"title", "titel"}
QUOTE_NAMES = {"quote", "intense quote", "citat", "kraftigt citat", "strækcitat"}
CAPTION_NAMES = {"caption", "billedtekst", "beskrivelse"}
CONTENTS_STYLE = re.compile(r"(?:toc|indholdsfortegnelse)\s*\d", re.I)
LIST_STYLE = re.compile(r"(list bullet|list number|punktopstilling|opstilling)", re.I)
# Symbol and Wingdings characters Word uses for typed bullets and arrows (w:sym).
SYMBOLS = {"F0B7": "•", "F0A7": "▪", "F0D8": "➢", "F0E0": "→", "F0FC": "✓", "F0E8": "➔"}


def to_int(value, default: int = 0) -> int:
    """A number attribute from the XML; a damaged one is the default, never a crash."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def val(element, path: str, default=None):
    """The w:val of `path` under `element` (None when absent)."""
    if element is None:
        return default
    found = element.find(path)
    return default if found is None else found.get(W + "val", default)


# --- styles ------------------------------------------------------------------------------

class Styles:
    """Paragraph styles by id, each resolved along its `basedOn` chain."""

    def __init__(self, document):
        self.by_id: dict[str, object] = {}
        self.default: str | None = None
        try:
            root = document.styles.element
        except Exception:                       # a package without a styles part
            return
        for style in root.iter(W + "style"):
            if style.get(W + "type") in ("paragraph", None):
                self.by_id[style.get(W + "styleId")] = style
                if style.get(W + "default") in ("1", "true"):
                    self.default = style.get(W + "styleId")

    def of(self, paragraph) -> str | None:
        return val(paragraph, f"{W}pPr/{W}pStyle") or self.default

    def chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            style_id = val(style, W + "basedOn")

    def name(self, style_id: str | None) -> str:
        style = self.by_id.get(style_id)
        return (val(style, W + "name") or style_id or "") if style is not None else (style_id or "")

    def names(self, style_id: str | None) -> list[str]:
        return [(val(s, W + "name") or "").lower() for s in self.chain(style_id)]

    def outline_level(self, paragraph) -> int | None:
        """0 for the title, 1-9 for a heading, None for body text: the paragraph's own
        outline level, else its style's, else the first one up the `basedOn` chain that
        has one or is named as a heading (a template's "Herlev Overskrift 2")."""
        own = val(paragraph, f"{W}pPr/{W}outlineLvl")
        if own is not None:
            return to_int(own, 9) + 1 if to_int(own, 9) < 9 else None
        style_id = self.of(paragraph)
        for style in self.chain(style_id):
            level = val(style, f"{W}pPr/{W}outlineLvl")
            name = (val(style, W + "name") or "").strip().lower()
            if name in TITLE_NAMES:
                return 0
            if level is not None:
                return to_int(level, 9) + 1 if to_int(level, 9) < 9 else None
            match = HEADING_NAME.fullmatch(name)
            if match:
                return int(match.group(1))
        match = HEADING_NAME.search(self.name(style_id).lower())
        return int(match.group(1)) if match else None

    def is_kind(self, paragraph, names: set[str]) -> bool:
        return any(n in names for n in self.names(self.of(paragraph)))

    def is_contents_entry(self, paragraph) -> bool:
        return bool(CONTENTS_STYLE.match(self.name(self.of(paragraph))))

    def list_numbering(self, paragraph) -> tuple[str, int, int] | None:
        """(numId, Word's list level, nesting depth) from the paragraph, or from its style
        chain ("List Bullet 2" is a list of its own, shown one level in); None if none."""
        props = paragraph.find(f"{W}pPr/{W}numPr")
        if props is not None and val(props, W + "numId") is not None:
            level = to_int(val(props, W + "ilvl"), 0)
            return val(props, W + "numId"), level, level
        style_id = self.of(paragraph)
        name = self.name(style_id).lower()
        depth = to_int(name[-1], 1) - 1 if name[-1:].isdigit() else 0
        for style in self.chain(style_id):
            props = style.find(f"{W}pPr/{W}numPr")
            if props is not None and val(props, W + "numId") is not None:
                level = to_int(val(props, W + "ilvl"), 0)
                return val(props, W + "numId"), level, max(depth, level)
        if LIST_STYLE.match(name):
            numbered = "number" in name or "tal" in name
            return ("style-number" if numbered else "style-bullet"), 0, depth
        return None


# --- numbering ---------------------------------------------------------------------------

@dataclass
class Level:
    format: str = "decimal"          # bullet, decimal, lowerLetter, upperRoman, ...
    start: int = 1
    text: str = "%1."                # Word's lvlText, e.g. "%1.%2."


@dataclass
class Numbering:
    """Counts list items as Word shows them: items of one list continue after other
    paragraphs, lists sharing an abstract definition continue each other unless one
    restarts with a start override, and a deeper level restarts under each new item."""
    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)
    counters: dict[tuple, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> "Numbering":
        numbering = cls()
        try:
            root = document.part.numbering_part.element
        except Exception:                       # no numbering part: no Word lists
            return numbering
        for item in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in item.iter(W + "lvl"):
                levels[to_int(lvl.get(W + "ilvl"))] = Level(
                    val(lvl, W + "numFmt", "bullet"), to_int(val(lvl, W + "start"), 1),
                    val(lvl, W + "lvlText", ""))
            numbering.abstract[item.get(W + "abstractNumId")] = levels
        for num in root.iter(W + "num"):
            overrides = {to_int(o.get(W + "ilvl")): to_int(val(o, W + "startOverride"), 1)
                         for o in num.iter(W + "lvlOverride")
                         if val(o, W + "startOverride") is not None}
            numbering.nums[num.get(W + "numId")] = (val(num, W + "abstractNumId"), overrides)
        return numbering

    def level(self, num_id: str | None, depth: int) -> Level:
        abstract_id, _ = self.nums.get(num_id, (None, {}))
        return self.abstract.get(abstract_id, {}).get(depth, Level())

    def next(self, num_id: str | None, depth: int) -> tuple[Level, str]:
        """The item's level and the label Word shows for it ("3", "2.1", "b")."""
        abstract_id, overrides = self.nums.get(num_id, (num_id, {}))
        key = ("num", num_id) if overrides else ("abstract", abstract_id)
        counts = self.counters.setdefault(key, {})
        levels = self.abstract.get(abstract_id, {})
        start = lambda d: overrides.get(d, levels.get(d, Level()).start)
        counts[depth] = counts.get(depth, start(depth) - 1) + 1
        for deeper in [d for d in counts if d > depth]:
            del counts[deeper]
        level = levels.get(depth, Level())
        label = level.text or f"%{depth + 1}."
        for d in range(depth + 1):
            shown = _number_text(counts.get(d, start(d)), levels.get(d, Level()).format)
            label = label.replace(f"%{d + 1}", shown)
        return level, label.strip()


def _number_text(number: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        text = chr(ord("a") + (number - 1) % 26) * (1 + (number - 1) // 26)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(number)
        return text.lower() if fmt == "lowerRoman" else text
    return str(number)


def _roman(number: int) -> str:
    result = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                           (5, "V"), (4, "IV"), (1, "I")):
        while number >= value > 0:
            result, number = result + letters, number - value
    return result


# --- tables ------------------------------------------------------------------------------

@dataclass
class Cell:
    element: object                  # the w:tc that holds the text
    kind: str = "own"                # own, right (of a horizontal merge), below (vertical)
    span: int = 1                    # the columns the Word cell covers
    origin: "Cell | None" = None     # for a cell merged down: the cell where the merge starts
    rows: int = 1                    # for an own cell: the rows it covers


def unwrap(element, tags: tuple[str, ...]) -> list:
    """Children with the given tags, content controls and custom XML opened up (a row,
    a cell or a block may sit inside a w:sdt at every level)."""
    found = []
    for child in element.iterchildren():
        if child.tag in tags:
            found.append(child)
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                found += unwrap(content, tags)
    return found


def table_grid(table) -> list[list[Cell | None]]:
    """The table as Word lays it out: one row per w:tr, one entry per grid column;
    a cell merged across columns (gridSpan) fills the columns to its right, one merged
    down (vMerge) fills the rows below. A column no cell reaches is None."""
    rows: list[list[Cell | None]] = []
    for tr in unwrap(table, (W + "tr",)):
        row: list[Cell | None] = [None] * to_int(val(tr, f"{W}trPr/{W}gridBefore"), 0)
        for tc in unwrap(tr, (W + "tc",)):
            span = max(1, min(to_int(val(tc, f"{W}tcPr/{W}gridSpan"), 1), 64))
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            column = len(row)
            above = rows[-1][column] if rows and column < len(rows[-1]) else None
            if merge is not None and merge.get(W + "val") in (None, "continue") and above:
                origin = above.origin or above
                cell = Cell(origin.element, "below", span, origin)
                origin.rows += 1
            else:
                cell = Cell(tc, "own", span)
            row.append(cell)
            row += [Cell(cell.element, "right", span) for _ in range(span - 1)]
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def header_rows(table, grid: list[list[Cell | None]]) -> tuple[int, bool]:
    """How many rows at the top are column headers, and whether Word marked them so
    ("repeat as header row"). Unmarked, the first row is the header, and so is each next
    row while the one above has a cell merged across columns (a group heading)."""
    rows = unwrap(table, (W + "tr",))
    marked = 0
    for tr in rows:
        flag = tr.find(f"{W}trPr/{W}tblHeader")
        if flag is None or flag.get(W + "val") in ("0", "false", "off"):
            break
        marked += 1
    if marked:
        return min(marked, len(grid)), True
    count = 1
    while count < len(grid) - 1 and any(c is not None and c.kind == "own" and c.span > 1
                                         for c in grid[count - 1]):
        count += 1
    return count, False


# --- other parts ---------------------------------------------------------------------------

def related_xml(part, kind: str):
    """(part, XML root) of the part related to `part` by relationship `kind` (footnotes,
    endnotes, comments), or (None, None)."""
    from lxml import etree
    for rel in part.rels.values():
        if rel.reltype == REL + kind and not rel.is_external:
            target = rel.target_part
            return target, etree.fromstring(target.blob)
    return None, None


def notes_of(part, kind: str) -> tuple[object, dict[str, object]]:
    """Footnotes or endnotes ('footnote'/'endnote') by id, with the part whose relationships
    their links and images use."""
    target, root = related_xml(part, kind + "s")
    if root is None:
        return None, {}
    return target, {n.get(W + "id"): n for n in root.iter(W + kind)
                    if n.get(W + "type") not in ("separator", "continuationSeparator",
                                                 "continuationNotice")}


def comments_of(part) -> dict[str, tuple[str, str]]:
    """Comment id -> (author, text)."""
    _, root = related_xml(part, "comments")
    if root is None:
        return {}
    return {c.get(W + "id"): (c.get(W + "author") or "",
                              " ".join(paragraph_text(p) for p in c.iter(W + "p")).strip())
            for c in root.iter(W + "comment")}


def header_footer_texts(part) -> list[str]:
    """The text of every page header and footer, each paragraph once."""
    from lxml import etree
    texts: list[str] = []
    for rel in part.rels.values():
        if rel.reltype in (REL + "header", REL + "footer") and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            for paragraph in root.iter(W + "p"):
                text = " ".join(paragraph_text(paragraph).split())
                if text and text not in texts:
                    texts.append(text)
    return texts


def paragraph_text(element) -> str:
    """The text Word shows, with tabs and breaks, deleted text left out, each text box
    read once (the mc:Fallback copy of a shape is skipped)."""
    parts = []
    for node in element.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen",
                             W + "sym"):
        if any(a.tag in (W + "del", MC + "Fallback", W + "moveFrom")
               for a in node.iterancestors()):
            continue
        parts.append({W + "t": node.text or "", W + "tab": "\t", W + "noBreakHyphen": "-",
                      W + "sym": SYMBOLS.get((node.get(W + "char") or "").upper(), "")
                      }.get(node.tag, "\n"))
    return "".join(parts)
