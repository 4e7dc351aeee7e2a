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
