"""Word documents written by the tests themselves (python-docx), for the import (issue 9).

python-docx has no API for hyperlinks, footnotes, header rows, tracked changes or an image's
description, so those are written as the XML Word itself writes."""
from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from PIL import Image

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def png() -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 160)).save(data, format="PNG")
    data.seek(0)
    return data


def add_hyperlink(paragraph, url: str, text: str) -> None:
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def mark_header_row(table) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:tblHeader"))


def add_footnotes(document, notes: dict[int, str]) -> None:
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        "</w:footnote>" for i, text in notes.items())
    xml = (f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p/>'
           f"</w:footnote>{body}</w:footnotes>")
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_TYPE, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def add_footnote_reference(paragraph, note_id: int) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="{note_id}"/></w:r>'))


def add_tracked_change(paragraph, inserted: str, deleted: str) -> None:
    paragraph._p.append(parse_xml(
        f'<w:ins {nsdecls("w")} w:id="91" w:author="Redaktør" w:date="2026-05-01T10:00:00Z">'
        f'<w:r><w:t xml:space="preserve">{inserted}</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(
        f'<w:del {nsdecls("w")} w:id="92" w:author="Redaktør" w:date="2026-05-01T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{deleted}</w:delText></w:r></w:del>'))


def describe_last_image(document, description: str) -> None:
    properties = document.element.body.findall(".//" + qn("wp:docPr"))[-1]
    properties.set("descr", description)


def policy_docx(path: Path) -> Path:
    """A realistic policy: headings, a fake heading, lists (nested and typed), a table with
    a header row and a caption and one without, bold, italics, underline, links (one vague),
    an image with and one without a description, a footnote, a page break, a comment and a
    tracked change."""
    document = docx.Document()
    document.core_properties.title = "Testby Kommunes Handicappolitik"
    document.add_heading("Testby Kommunes Handicappolitik", level=0)
    document.add_heading("Forord", level=1)
    paragraph = document.add_paragraph("Kommunen vil gøre det lettere at leve med handicap")
    add_footnote_reference(paragraph, 1)
    paragraph.add_run(". Politikken er ")
    paragraph.add_run("vedtaget").bold = True
    paragraph.add_run(" af ")
    paragraph.add_run("byrådet").italic = True
    paragraph.add_run(" og gælder ")
    paragraph.add_run("alle").underline = True
    paragraph.add_run(".")
    comment_run = paragraph.add_run(" Vi arbejder sammen med borgerne.")
    document.add_comment(comment_run, text="Skal vi nævne Handicaprådet?", author="Redaktør")
    add_tracked_change(document.add_paragraph("Politikken gælder "), "fra 2026.", "fra 2025.")
    fake = document.add_paragraph()
    fake.add_run("Vores mål").bold = True
    document.add_heading("Mål", level=1)
    document.add_paragraph("Alle kan komme ind i kommunens bygninger.", style="List Bullet")
    document.add_paragraph("Ramper ved rådhuset.", style="List Bullet 2")
    document.add_paragraph("Alle kan få hjælp til at bo.", style="List Bullet")
    document.add_paragraph("Første skridt er en plan.", style="List Number")
    document.add_paragraph("Andet skridt er at følge planen.", style="List Number")
    document.add_paragraph("1. Kommunen skriver en rapport hvert år.")
    document.add_paragraph("2. Handicaprådet læser rapporten.")
    document.add_page_break()
    document.add_heading("Aktiviteter", level=1)
    document.add_paragraph("Aktiviteter i 2026", style="Caption")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, [("Nr.", "Aktivitet", "År"),
                                        ("1.1", "Ramper ved rådhuset", "2026"),
                                        ("1.2", "Teleslynge i byrådssalen", "2027")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    mark_header_row(table)
    document.add_paragraph("Skemaet herunder viser, hvem der gør hvad.")
    plain = document.add_table(rows=2, cols=2)
    for row, values in zip(plain.rows, [("Hvem", "Hvad"), ("Kommunen", "Planen")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_heading("Kort og billeder", level=1)
    document.add_picture(png())
    describe_last_image(document, "Kort over stierne ved rådhuset")
    document.add_paragraph("Kortet viser de nye stier.")
    document.add_picture(png())
    links = document.add_paragraph("Læs mere om loven på ")
    add_hyperlink(links, "https://www.retsinformation.dk/", "Retsinformation")
    links.add_run(". Se også ")
    add_hyperlink(links, "https://testby.dk/handicap", "her")
    links.add_run(".")
    big = document.add_paragraph()
    big_run = big.add_run("Opfølgning")
    big_run.font.size = Pt(16)
    document.add_paragraph("Byrådet følger op på politikken hvert år.")
    add_footnotes(document, {1: "FN's konvention om rettigheder for personer med handicap."})
    document.save(str(path))
    return path


def fix_reported_points(index: Path) -> None:
    """What an author does after the import: fill in the front matter, caption the second
    table, describe the second image and name where the vague link leads."""
    text = index.read_text(encoding="utf-8")
    text = text.replace("summary:        #", "summary: Testby vil gøre det lettere at leve med "
                        "handicap. #", 1)
    text = text.replace("kind:           #", "kind: policy #", 1)
    text = text.replace("status:         #", "status: in-force #", 1)
    text = text.replace("::: tabel\n| Hvem", "::: tabel Hvem gør hvad\n| Hvem", 1)
    text = text.replace("![](figur-2.png)", "![Kommunens logo](figur-2.png)", 1)
    text = text.replace("[her](https://testby.dk/handicap)",
                        "[Testby Kommunes side om handicap](https://testby.dk/handicap)", 1)
    index.write_text(text, encoding="utf-8")


# --- a document made the way municipal staff make them (issue 20) -------------------------

NS = (f'{nsdecls("w", "wp", "a", "r")} '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')
ENDNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"


def _runs(*texts: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return "".join(f'<w:r>{props}<w:t xml:space="preserve">{t}</w:t></w:r>' for t in texts)


def _paragraph_xml(text: str, bold: bool = False, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{_runs(text, bold=bold)}</w:p>"


def add_text_box(paragraph, paragraphs: list[tuple[str, bool]]) -> None:
    """A text box as Word 2010+ writes it: the DrawingML shape in mc:Choice and the same
    text again as a VML shape in mc:Fallback, for older readers."""
    content = "".join(_paragraph_xml(text, bold) for text, bold in paragraphs)
    paragraph._p.append(parse_xml(
        f"<w:r {NS}><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0'
        '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
        '</wp:posOffset></wp:positionV><wp:extent cx="2743200" cy="1371600"/><wp:wrapSquare '
        'wrapText="bothSides"/><wp:docPr id="50" name="Tekstboks 1"/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        '<wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>'
        f"{content}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData>"
        "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="Tekstboks 1" o:spid="_x0000_s1026" type="#_x0000_t202" '
        'style="width:216pt;height:108pt"><v:textbox><w:txbxContent>'
        f"{content}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"))


def add_block_control(document, text: str, placeholder: bool = False) -> None:
    """A content control (w:sdt) holding a paragraph at body level."""
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    document.element.body.append(parse_xml(
        f'<w:sdt {NS}><w:sdtPr><w:alias w:val="Vedtagelse"/>{flag}</w:sdtPr><w:sdtContent>'
        f"{_paragraph_xml(text)}</w:sdtContent></w:sdt>"))
    _keep_section_last(document)


def _keep_section_last(document) -> None:
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    if section is not None:
        body.remove(section)
        body.append(section)


def add_inline_control(paragraph, text: str, placeholder: bool = False) -> None:
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    paragraph._p.append(parse_xml(
        f'<w:sdt {NS}><w:sdtPr><w:alias w:val="Dato"/>{flag}</w:sdtPr><w:sdtContent>'
        f"{_runs(text)}</w:sdtContent></w:sdt>"))


def add_field(paragraph, instruction: str, result: str) -> None:
    """A complex field (w:fldChar begin, instruction, separate, result, end)."""
    for xml in ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', _runs(result),
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {NS}>", 1)))


def add_no_break_hyphen(paragraph, before: str, after: str) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {NS}><w:t>{before}</w:t><w:noBreakHyphen/><w:t xml:space="preserve">{after}'
        "</w:t></w:r>"))


def add_contents_field(document, entries: list[str]) -> None:
    """Word's automatic contents list: a TOC field whose result is one paragraph per entry."""
    body = document.element.body
    for number, entry in enumerate(entries):
        begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                 'xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
                 '<w:r><w:fldChar w:fldCharType="separate"/></w:r>') if number == 0 else ""
        end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if number == len(entries) - 1 else ""
        title, page = entry.split("\t")
        body.append(parse_xml(
            f'<w:p {NS}><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}{_runs(title)}'
            f'<w:r><w:tab/><w:t>{page}</w:t></w:r>{end}</w:p>'))
    _keep_section_last(document)


def add_notes_part(document, kind: str, notes: dict[int, tuple[str, str, str]]) -> None:
    """Footnotes or endnotes: id -> (text before the link, link text, URL). Each link is a
    relationship of the notes part itself, as Word writes it; its id (rId1) also exists in
    the main document's relationships, pointing somewhere else."""
    content_type = FOOTNOTES_TYPE if kind == "footnote" else ENDNOTES_TYPE
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, b"", document.part.package)
    body = ""
    for note_id, (text, link_text, url) in notes.items():
        link = ""
        if url:
            rid = part.relate_to(url, RT.HYPERLINK, is_external=True)
            link = f'<w:hyperlink r:id="{rid}">{_runs(link_text)}</w:hyperlink>'
        body += (f'<w:{kind} w:id="{note_id}"><w:p><w:r><w:{kind}Ref/></w:r>{_runs(text)}'
                 f"{link}</w:p></w:{kind}>")
    part._blob = (f'<w:{kind}s {NS}><w:{kind} w:type="separator" w:id="-1"><w:p/></w:{kind}>'
                  f"{body}</w:{kind}s>").encode()
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)


def add_note_reference(paragraph, kind: str, note_id: int) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {NS}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:{kind}Reference w:id="{note_id}"/></w:r>'))


def add_style(document, name: str, based_on: str | None, outline: int | None = None):
    from docx.enum.style import WD_STYLE_TYPE
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if based_on:
        style.base_style = document.styles[based_on]
    if outline is not None:
        style.element.get_or_add_pPr().append(parse_xml(
            f'<w:outlineLvl {nsdecls("w")} w:val="{outline}"/>'))
    return style


def merged_table(document):
    """A budget table as municipalities make it: two header rows, 'Budget 2024' merged
    across two columns, 'Område' and the row headers merged down, bold header cells, a
    note row merged across the whole table, and a row and a cell inside content controls."""
    def cell(text, span=1, merge=None, bold=False):
        props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
            f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else
            "<w:vMerge/>" if merge else "")
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{_paragraph_xml(text, bold)}</w:tc>"
    header = "<w:trPr><w:tblHeader/></w:trPr>"
    rows = [
        f"<w:tr>{header}" + cell("Område", merge="restart", bold=True)
        + cell("Budget 2024", 2, bold=True) + cell("Budget 2025", 2, bold=True) + "</w:tr>",
        f"<w:tr>{header}" + cell("", merge="continue") + cell("Drift", bold=True)
        + cell("Anlæg", bold=True) + cell("Drift", bold=True) + cell("Anlæg", bold=True)
        + "</w:tr>",
        "<w:tr>" + cell("Nord", merge="restart") + cell("110") + cell("120") + cell("130")
        + f'<w:sdt><w:sdtContent>{cell("140")}</w:sdtContent></w:sdt>' + "</w:tr>",
        "<w:tr>" + cell("", merge="continue") + cell("210") + cell("220") + cell("230")
        + cell("240") + "</w:tr>",
        "<w:sdt><w:sdtContent><w:tr>" + cell("Syd") + cell("310") + cell("320")
        + cell("330") + cell("340") + "</w:tr></w:sdtContent></w:sdt>",
        "<w:tr>" + cell("Tallene for 2025 er foreløbige", 5) + "</w:tr>"]
    grid = "".join('<w:gridCol w:w="1800"/>' for _ in range(5))
    document.element.body.append(parse_xml(
        f'<w:tbl {NS}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'))
    _keep_section_last(document)


def municipal_docx(path: Path) -> Path:
    """Every feature of issue 20 in one document: a template's own heading styles, a skipped
    level, a typed contents list and Word's automatic one, a fact box in a text box and one
    in a one-cell table, content controls, fields, a non-breaking hyphen, Shift+Enter, a
    quotation, a merged budget table, a list continued after a paragraph, typed bullets and
    arrows, images with a multi-line and an automatic description, a footnote and an endnote
    with links of their own, a comment, a page break, a page header and footer."""
    document = docx.Document()
    add_style(document, "Herlev Overskrift 1", "Heading 1")
    add_style(document, "Herlev Overskrift 2", "Heading 2")
    add_style(document, "Afsnit med niveau", "Normal", outline=2)
    document.sections[0].header.paragraphs[0].text = "Herlev Kommune · Handicappolitik"
    document.sections[0].footer.paragraphs[0].text = "Vedtaget af Byrådet"
    document.add_paragraph("Herlev Kommunes Handicappolitik", style="Title")
    document.add_paragraph().add_run("Indholdsfortegnelse").bold = True
    for entry in ("Forord\t2", "Mål for indsatsen\t3", "Budget\t5"):
        document.add_paragraph(entry)
    add_contents_field(document, ["Forord\t2", "Mål for indsatsen\t3"])
    document.add_paragraph("Forord", style="Herlev Overskrift 1")
    intro = document.add_paragraph("Politikken bygger på ")
    add_no_break_hyphen(intro, "FN", "konventionens artikel 9")
    add_note_reference(intro, "footnote", 1)
    intro.add_run(". Læs den på ")
    add_field(intro, 'HYPERLINK "https://www.borger.dk/handicap"', "borger.dk")
    intro.add_run(" eller ")
    add_field(intro, 'REF _Ref1 \\h', "afsnittet om bolig")
    intro.add_run(".")
    add_note_reference(intro, "endnote", 1)
    address = document.add_paragraph("Herlev Rådhus")
    address.runs[0].add_break()
    address.add_run("Herlev Bygade 90")
    address.runs[1].add_break()
    address.add_run("2730 Herlev")
    add_block_control(document, "Politikken er vedtaget af Byrådet den 28. juni 2024.")
    add_block_control(document, "Klik eller tryk her for at skrive tekst.", placeholder=True)
    dated = document.add_paragraph("Senest opdateret ")
    add_inline_control(dated, "1. maj 2026")
    dated.add_run(".")
    anchor = document.add_paragraph("Vi samarbejder med Handicaprådet.")
    add_text_box(anchor, [("Fakta om handicap", True),
                          ("Cirka 20 % af borgerne har et handicap.", False),
                          ("Kilde: VIVE 2024", False)])
    document.add_comment(anchor.runs[0], text="Er tallet fra VIVE det nyeste?",
                         author="Mette Jensen")
    document.add_paragraph("Jeg vil selv bestemme over min hverdag.", style="Quote")
    document.add_paragraph("– Borger i Herlev, 45 år", style="Quote")
    document.add_paragraph("Ingen skal stå uden for fællesskabet.", style="Intense Quote")
    document.add_page_break()
    document.add_paragraph("Mål for indsatsen", style="Heading 1")
    document.add_paragraph("Bolig", style="Heading 3")
    document.add_paragraph("Alle skal kunne bo, hvor de ønsker.")
    document.add_paragraph("Arbejde", style="Heading 3")
    document.add_paragraph("Fritid", style="Afsnit med niveau")
    document.add_paragraph("Idræt", style="Heading 4")
    document.add_paragraph("Indsatser", style="Herlev Overskrift 2")
    document.add_paragraph("Vi laver en plan.", style="List Number")
    document.add_paragraph("Vi følger planen.", style="List Number")
    emphasis = document.add_paragraph("Planen gælder ")
    emphasis.add_run("hele").italic = True
    emphasis.add_run(" kommunen.")
    document.add_paragraph("Vi gør status hvert år.", style="List Number")
    document.add_paragraph("•\tRamper ved indgangene")
    document.add_paragraph("•\tTeleslynger i salene")
    document.add_paragraph("2)\tHandicaprådet læser planen.")
    document.add_paragraph("→ Alle skal kunne komme ind.")
    document.add_paragraph("Budget", style="Heading 1")
    document.add_paragraph("Budget for tilgængelighed (1.000 kr.)", style="Caption")
    merged_table(document)
    box = document.add_table(rows=1, cols=1)
    box.cell(0, 0).paragraphs[0].add_run("Sådan søger du").bold = True
    box.cell(0, 0).add_paragraph("Ring til Borgerservice på 44 52 70 00.")
    document.add_paragraph("Billeder", style="Heading 1")
    document.add_picture(png())
    describe_last_image(document, "Kort over stierne\n\nved rådhuset")
    document.add_picture(png())
    describe_last_image(document, "Et billede, der indeholder tekst, kort\n\n"
                                  "Automatisk genereret beskrivelse")
    add_notes_part(document, "footnote", {
        1: ("Konventionen findes på ", "FN's side", "https://www.un.org/disabilities/")})
    add_notes_part(document, "endnote", {
        1: ("Se også ", "Social- og Boligministeriet", "https://www.sm.dk/")})
    document.save(str(path))
    return path


def fix_municipal_points(index: Path) -> None:
    """What an author does after importing municipal_docx: fill in the front matter, delete
    the typed contents list, say who said the second quotation, caption nothing else."""
    text = index.read_text(encoding="utf-8")
    text = text.replace("summary:        #", "summary: Herlev vil gøre det lettere at leve "
                        "med handicap. #", 1)
    text = text.replace("kind:           #", "kind: policy #", 1)
    text = text.replace("status:         #", "status: in-force #", 1)
    start = text.index("Indholdsfortegnelse")
    end = text.index("- Budget 5") + len("- Budget 5\n\n")
    text = text[:start] + text[end:]
    text = text.replace("::: citat\n", "::: citat Handicaprådet\n", 1)
    index.write_text(text, encoding="utf-8")


def add_lettered_list(document, items: list[str]) -> None:
    """A list numbered a), b), c): its own abstract numbering definition."""
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start '
        'w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl>'
        "</w:abstractNum>"))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId '
                               'w:val="90"/></w:num>'))
    for item in items:
        paragraph = document.add_paragraph(item)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))


def extras_docx(path: Path) -> Path:
    """What else Word documents hold: the contents list as a content control, an old VML
    text box, a simple field, a link to a bookmark, a lettered list, a Symbol-font bullet, an
    equation, a table inside a table, a cell of two paragraphs, and an unmarked table whose
    first row groups the columns."""
    document = docx.Document()
    document.core_properties.title = "Tillæg til politikken"
    body = document.element.body
    body.append(parse_xml(
        f'<w:sdt {NS}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent>" + _paragraph_xml("Indhold", style="TOCHeading")
        + _paragraph_xml("Baggrund\t1") + "</w:sdtContent></w:sdt>"))
    _keep_section_last(document)
    document.add_heading("Baggrund", 1)
    old_box = document.add_paragraph("Se boksen.")
    old_box._p.append(parse_xml(
        f'<w:r {NS}><w:pict><v:shape id="boks" type="#_x0000_t202"><v:textbox><w:txbxContent>'
        + _paragraph_xml("Husk fristen 1. marts.") + "</w:txbxContent></v:textbox></v:shape>"
        "</w:pict></w:r>"))
    simple = document.add_paragraph("Læs ")
    simple._p.append(parse_xml(
        f'<w:fldSimple {NS} w:instr=" HYPERLINK &quot;https://www.retsinformation.dk/&quot; ">'
        + _runs("serviceloven") + "</w:fldSimple>"))
    simple._p.append(parse_xml(f'<w:hyperlink {NS} w:anchor="bilag">{_runs(" og bilaget")}'
                               "</w:hyperlink>"))
    contact = document.add_paragraph("Kontakt: Borgerservice")
    add_inline_control(contact, "Skriv et telefonnummer.", placeholder=True)
    add_lettered_list(document, ["Første punkt", "Andet punkt"])
    numbered = document.add_heading("Regler", 2)       # numbered "a)" by the list above
    numbered._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    symbol = document.add_paragraph()
    symbol._p.append(parse_xml(
        f'<w:r {NS}><w:sym w:font="Symbol" w:char="F0B7"/><w:tab/><w:t>Punkt med symbol</w:t>'
        "</w:r>"))
    equation = document.add_paragraph("Udgiften er ")
    equation._p.append(parse_xml(
        '<m:oMath xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math">'
        "<m:r><m:t>a+b</m:t></m:r></m:oMath>"))
    outer = document.add_table(rows=2, cols=2)
    for cell, value in zip(outer.rows[0].cells, ("Emne", "Detaljer")):
        cell.text = value
    outer.cell(1, 0).text = "Tider"
    inner = outer.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Mandag"
    inner.cell(0, 1).text = "Tirsdag"
    mark_header_row(outer)
    grouped = document.add_table(rows=3, cols=2)
    top = grouped.cell(0, 0).merge(grouped.cell(0, 1))
    top.text = "Tilskud"
    for cell, value in zip(grouped.rows[1].cells, ("Hvem", "Beløb")):
        cell.text = value
    grouped.cell(2, 0).text = "Foreninger"
    grouped.cell(2, 1).text = "5.000 kr."
    grouped.cell(2, 1).add_paragraph("pr. år")
    document.save(str(path))
    return path


# --- zip bombs (issue 31): a Word document whose body unpacks to far more than it weighs ----

BOMB_PARAGRAPH = (b'<w:p><w:r><w:t xml:space="preserve">Kommunen gentager denne s\xc3\xa6tning '
                  b'igen og igen. </w:t></w:r></w:p>')


def bomb_docx(path: Path, unpacked_mb: int = 190, understate: bool = False) -> Path:
    """A valid .docx (python-docx's own parts) whose word/document.xml unpacks to about
    `unpacked_mb` MB of paragraphs and weighs well under 1 MB: written a megabyte at a time
    through zipfile, so the test holds no more than that. With `understate`, the zip's
    directory and the part's local header then claim it unpacks to 1,000 bytes."""
    import zipfile
    base = io.BytesIO()
    docx.Document().save(base)
    chunk = BOMB_PARAGRAPH * (1024 * 1024 // len(BOMB_PARAGRAPH))
    with zipfile.ZipFile(base) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item.filename, source.read(item.filename))
                continue
            with target.open("word/document.xml", "w") as body:
                body.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           b'<w:document ' + nsdecls("w").encode() + b"><w:body>")
                for _ in range(unpacked_mb):
                    body.write(chunk)
                body.write(b"<w:sectPr/></w:body></w:document>")
    if understate:
        understate_size(path, "word/document.xml", 1000)
    return path


def understate_size(path: Path, name: str, size: int) -> None:
    """Make the zip claim that `name` unpacks to `size` bytes: the uncompressed-size field
    of its local header and of its central directory entry are overwritten (its CRC no
    longer matches either)."""
    import struct
    import zipfile
    with zipfile.ZipFile(path) as package:
        info = package.getinfo(name)
        central = package.start_dir
    data = bytearray(path.read_bytes())
    assert data[info.header_offset:info.header_offset + 4] == b"PK\x03\x04"
    struct.pack_into("<L", data, info.header_offset + 22, size)
    at = central
    while data[at:at + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, at + 28)
        if data[at + 46:at + 46 + name_length].decode() == name:
            struct.pack_into("<L", data, at + 24, size)
        at += 46 + name_length + extra_length + comment_length
    path.write_bytes(bytes(data))


def linked_images_docx(path: Path) -> Path:
    """Pictures Word keeps outside the document (issue 31): one inserted with "link to file"
    (a:blip r:link, an external relationship), an old VML picture whose relationship is
    external, and one both linked and kept in the document (read from the document)."""
    document = docx.Document()
    document.core_properties.title = "Politik med billeder"
    document.add_heading("Kort", 1)
    document.add_picture(png())
    describe_last_image(document, "Kort over byen")
    blip = document.element.body.findall(".//" + qn("a:blip"))[-1]
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), document.part.relate_to(
        "file:///C:/Users/anne/Billeder/kort.png", RT.IMAGE, is_external=True))
    document.add_paragraph("Kortet viser byen.")
    old = document.add_paragraph("Logoet: ")
    rid = document.part.relate_to("https://testby.dk/billeder/logo.png", RT.IMAGE,
                                  is_external=True)
    old._p.append(parse_xml(
        f'<w:r {NS}><w:pict><v:shape id="logo" style="width:40pt;height:30pt">'
        f'<v:imagedata r:id="{rid}" o:title=""/></v:shape></w:pict></w:r>'))
    document.add_picture(png())
    describe_last_image(document, "Billede af rådhuset")
    blip = document.element.body.findall(".//" + qn("a:blip"))[-1]
    blip.set(qn("r:link"), document.part.relate_to(
        "file:///C:/Users/anne/Billeder/raadhus.png", RT.IMAGE, is_external=True))
    document.add_paragraph("Rådhuset ligger midt i byen.")
    document.save(str(path))
    return path
