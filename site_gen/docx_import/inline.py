"""Import: the text inside a paragraph (runs, fields, links, images, comments, notes).

`Inline` reads what Word keeps inside a paragraph into Markdown: runs with their bold and
italics, line breaks, non-breaking hyphens and symbols; complex and simple fields (the result
shown, a HYPERLINK field made a link); hyperlinks, images and text boxes (each read from the
part the paragraph belongs to, so a footnote's link uses the footnotes' relationships); and
footnote and endnote references, whose text is written at the end (issue 20).
"""
from __future__ import annotations

import re
from pathlib import Path

from ..i18n import _
from ..checks.links import VAGUE as VAGUE_TEXTS
from . import parts
from .output import BREAK, Output, Styled, escape, join_runs, one_line, plain_text
from .parts import MC, SYMBOLS, W, val

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
O = "{urn:schemas-microsoft-com:office:office}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
AUTOMATIC_ALT = re.compile(r"\s*(automatisk genereret beskrivelse|beskrivelse genereret "
                           r"automatisk|description automatically generated)[^.]*\.?\s*$", re.I)


class Inline:
    """Reads paragraph content; the `Reader` adds the blocks around it."""

    def __init__(self, document):
        self.document = document
        self.part = document.part            # whose relationships links and images use
        self.out = Output()
        self.notes = {kind: parts.notes_of(document.part, kind)
                      for kind in ("footnote", "endnote")}
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.comments = parts.comments_of(document.part)
        self.comments_seen: set[str] = set()
        self.floating: list[tuple[str, object]] = []   # text boxes met in the current block
        self.fields: list[dict] = []                    # complex fields open (w:fldChar)
        self.plain = 0                       # >0: writing header cells (no emphasis marks)

    def inline(self, element) -> str:
        pieces: list[str] = []
        for field_ in self.fields:                # a field carried over from the last paragraph
            field_["start"] = 0
        for child in element.iterchildren():
            self.inline_child(child, pieces)
        # A field whose instruction never ends would hide all text after it: close it here.
        while self.fields and not self.fields[-1]["result"]:
            self.fields.pop()
        return join_runs(pieces)

    def inline_child(self, child, pieces: list[str]) -> None:
        tag = child.tag
        if tag == W + "r":
            self.run(child, pieces)
        elif tag == W + "hyperlink":
            pieces.append(self.hyperlink(child))
        elif tag in (W + "ins", W + "moveTo"):
            self.out.note_here("import-tracked", _("a tracked change here is read as accepted (as pandoc does): check the "
                                                    "text"))
            for grandchild in child.iterchildren():    # insertions read as accepted
                self.inline_child(grandchild, pieces)
        elif tag in (W + "del", W + "moveFrom"):       # deletions read as accepted
            deleted = " ".join("".join(t.text or "" for t in child.iter(W + "delText")).split())
            if deleted:
                self.out.note_here("import-tracked", _("a tracked deletion here is read as accepted: '{deleted}' is left out; "
                                                        "check the text").format(deleted=deleted))
        elif tag == W + "commentRangeStart":
            self.comment(child.get(W + "id"))
        elif tag == W + "fldSimple":
            inner: list[str] = []
            for grandchild in child.iterchildren():
                self.inline_child(grandchild, inner)
            pieces.append(self.field_result(child.get(W + "instr") or "", join_runs(inner)))
        elif tag == W + "sdt":
            props = child.find(W + "sdtPr")
            content = child.find(W + "sdtContent")
            if props is not None and props.find(W + "showingPlcHdr") is not None:
                self.placeholder(child)
            elif content is not None:
                for grandchild in content.iterchildren():
                    self.inline_child(grandchild, pieces)
        elif tag in (W + "smartTag", W + "customXml", W + "sdtContent"):
            for grandchild in child.iterchildren():
                self.inline_child(grandchild, pieces)
        elif tag == MC + "AlternateContent":
            for grandchild in chosen(child).iterchildren():
                self.inline_child(grandchild, pieces)
        elif tag in (M + "oMath", M + "oMathPara"):
            pieces.append(escape("".join(t.text or "" for t in child.iter(M + "t"))))
            self.out.note_here("import-equation", _("an equation is written as plain text; check that it reads right"))

    def placeholder(self, control) -> None:
        """A content control showing only Word's placeholder text is left out, with a note."""
        text = " ".join(parts.paragraph_text(control).split())
        if text:
            self.out.note_here("import-placeholder", _("the content control holds only Word's placeholder text ('{text}'); it "
                                                        "is left out: write the text it asks for, if it is needed").format(text=text))

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
                    self.out.note_here("import-page-break", _("a page break in Word is left out here (a web page has none)"))
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

    def emit(self, value: str | Styled, pieces: list) -> None:
        """Text in an open field's instruction is not shown; everything else is."""
        if value and not (self.fields and not self.fields[-1]["result"]):
            pieces.append(value)

    def run_object(self, child) -> str:
        tag = child.tag
        if tag in (W + "drawing", W + "pict", W + "object"):
            return self.drawing(child)
        if tag == MC + "AlternateContent":
            return "".join(self.run_object(c) for c in chosen(child).iterchildren())
        if tag in (W + "footnoteReference", W + "endnoteReference"):
            kind = "footnote" if tag == W + "footnoteReference" else "endnote"
            number = self.note_numbers.setdefault((kind, child.get(W + "id")),
                                                  len(self.note_numbers) + 1)
            return f"[^{number}]"
        if tag == W + "commentReference":
            self.comment(child.get(W + "id"))
        return ""

    def format(self, run, raw: str) -> str | Styled:
        """The run's text, escaped; bold or emphasised text as a `Styled` piece, which
        `join_runs` merges with its neighbours of the same style before marking it."""
        value = escape(raw)
        if not value.strip() or self.plain:
            return value
        props = run.find(W + "rPr")
        style = (val(props, W + "rStyle") or "").lower()
        bold = flag(props, "b") or style in ("strong", "kraftig", "strongemphasis")
        italic = flag(props, "i") or style in ("emphasis", "fremhævning")
        underline = val(props, W + "u") not in ("none", None, "0")
        if italic or underline:
            self.out.note_here("import-emphasis", _("italic or underlined text is kept as emphasis (*...*); an easy-read "
                                                     "version must not use it"))
            return Styled(value, "*" if not bold else "***")
        return Styled(value, "**") if bold else value

    def symbol(self, element) -> str:
        code = (element.get(W + "char") or "").upper()
        shown = SYMBOLS.get(code)
        if shown is None:
            self.out.note_here("import-symbol", _("a symbol from the font '{value}' (code {code}) cannot be shown on a web "
                                                   "page and is left out: write it as text if it matters").format(value=element.get(W + 'font'), code=code))
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
                result = join_runs(pieces[opened["start"]:])
                del pieces[opened["start"]:]
                pieces.append(self.field_result(opened["instr"], result))

    def field_result(self, instruction: str, result: str) -> str:
        """A field shows its result; a HYPERLINK field is a link to its target."""
        words = re.findall(r'\\(\w)\s*(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)', instruction)
        if not words or (words[0][4] or "").upper() != "HYPERLINK":
            return result
        target = next((w[3] or w[4] for w in words[1:] if not w[0]), "")
        if not target:
            self.out.note_here("import-link", _("the link '{result}' pointed inside the Word document; it is kept as text").format(result=plain_text(result)))
            return result
        return self.link(result, target)

    def hyperlink(self, element) -> str:
        pieces: list[str] = []
        for child in element.iterchildren():
            self.inline_child(child, pieces)
        text = join_runs(pieces)
        rid = element.get(R + "id")
        rel = self.part.rels.get(rid) if rid else None
        if rel is None or not rel.is_external and not rel.target_ref.startswith("http"):
            self.out.note_here("import-link", _("the link '{text}' pointed inside the Word document; it is kept as text").format(text=plain_text(text)))
            return text
        return self.link(text, rel.target_ref)

    def link(self, text: str, target: str) -> str:
        """`[text](target)`, the spaces around the text kept outside the brackets."""
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        text = one_line(text)
        if not text:
            return lead or trail
        if plain_text(text).strip().lower().rstrip(".") in VAGUE_TEXTS:
            self.out.note_here("import-link-text",
                               _("the link text '{value}' does not say where it leads; write what the "
                                  "reader gets there").format(value=plain_text(text).strip()))
        target = target.strip()
        if re.search(r"[\s()<>]", target):
            target = "<" + re.sub(r"[<>\s]", lambda m: f"%{ord(m.group(0)):02X}", target) + ">"
        return f"{lead}[{text}]({target}){trail}"

    def drawing(self, element) -> str:
        """Images become ![description](figur-N); text boxes wait for the end of the block."""
        for container in outermost(element, (W + "txbxContent",)):
            self.floating.append(("text box", container))
        shown = []
        for image in outermost(element, (A + "blip", V + "imagedata")):
            rid = image.get(R + "embed") or image.get(R + "id") or image.get(R + "pict")
            part = self.part.related_parts.get(rid) if rid else None
            if part is not None:
                shown.append(self.image(element, part))
            else:
                self.outside(image, rid)
        if element.tag == W + "object":
            self.out.note_here("import-object", "an embedded object (a chart, a spreadsheet) "
                               + ("is shown as its picture only" if shown else "is left out")
                               + _(": give the picture a description, or write its data as a table"))
        return " ".join(s for s in shown if s)

    def outside(self, image, rid: str | None) -> None:
        """A picture not kept in the document: Word's "link to file" (a:blip r:link), or a
        relationship to an address outside the package (TargetMode="External", also from
        VML's r:id, r:href or o:href). It is named in a note, and never fetched (issue 31).
        A picture that is both linked and kept in the document is read from the document."""
        address = None
        for candidate in (rid, image.get(R + "link"), image.get(R + "href")):
            rel = self.part.rels.get(candidate) if candidate else None
            if rel is not None and rel.is_external:
                address = rel.target_ref
                break
        address = address or image.get(O + "href") or image.get("src")
        if address:
            address = " ".join(address.split())
            if len(address) > 200:             # a data: address holds the whole picture
                address = address[:199] + "…"
            self.out.note_here("import-image-external",
                               _("the picture lies outside the document: {address}; put it "
                                 "into the Word document and import again").format(
                                     address=address))

    def image(self, drawing, part) -> str:
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
            self.out.note_here("import-image-auto-alt", _("Word wrote the description of {name} itself ('{value}'); check it and "
                                                           "say what the picture shows").format(name=name, value=automatic.group(1)))
        if not description:
            self.out.note_here("import-image-alt",
                               _("the image {name} has no description (alt text) in Word; describe it in "
                                  "![...] or mark it {{.decorative}} if the text says it all").format(name=name))
            return f"![]({name})"
        return f"![{escape(description)}]({name})"

    def comment(self, comment_id: str | None) -> None:
        if comment_id in self.comments_seen or comment_id not in self.comments:
            return
        self.comments_seen.add(comment_id)
        author, text = self.comments[comment_id]
        self.out.note_here("import-comment", _("Word comment by {value}: '{text}'; act on it in the text (comments are "
                                                "not imported)").format(value=author or 'an unknown author', text=text))


def chosen(alternate):
    """The branch of mc:AlternateContent to read: its first choice, else its fallback; the
    other holds the same content again (issue 20: a text box is read once)."""
    branch = alternate.find(MC + "Choice")
    if branch is None:
        branch = alternate.find(MC + "Fallback")
    return branch if branch is not None else alternate.makeelement(MC + "Fallback")


def outermost(element, tags: tuple[str, ...]) -> list:
    """Descendants with one of `tags`, not looking inside a text box (its pictures and
    boxes are read with it), taking one branch of each mc:AlternateContent."""
    found = []
    for child in element.iterchildren():
        if child.tag in tags:
            found.append(child)
        elif child.tag == MC + "AlternateContent":
            found += outermost(chosen(child), tags)
        elif child.tag != W + "txbxContent":
            found += outermost(child, tags)
    return found


def flag(props, name: str) -> bool:
    if props is None:
        return False
    element = props.find(W + name)
    return element is not None and element.get(W + "val") not in ("0", "false")
