"""Tagged PDFs (PDF/UA-1) made by WeasyPrint, checked with pikepdf since veraPDF is not
available here (issues 6 and 18; publishing.md § 4.7).

`pdfua_failures` checks every PDF/UA-1 rule a machine can check from the file alone (README,
"PDF"); it runs over every PDF of the real site and of every fixture site that builds.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from helpers import ROOT, SITES, build

# ISO 32000-1 § 14.8.4: the standard structure types. Anything else needs a /RoleMap entry.
STANDARD_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index",
    "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl",
    "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note",
    "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu",
    "WT", "WP", "Figure", "Formula", "Form"}
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PATH_PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "BI"}


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def structure_elements(pdf: pikepdf.Pdf) -> list:
    """Every structure element reachable from the StructTreeRoot, in reading order."""
    found: list = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
            for kid in _kids(node):
                walk(kid)

    for kid in _kids(pdf.Root.StructTreeRoot):
        walk(kid)
    return found


def _attribute(element, key: str):
    attributes = element.get("/A")
    if attributes is None:
        return None
    for entry in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
        if isinstance(entry, pikepdf.Dictionary) and key in entry:
            return entry[key]
    return None


def _parent_tree(pdf: pikepdf.Pdf) -> dict[int, object]:
    """ParentTree keys (a page's StructParents) to their values; a flat /Nums array, as
    WeasyPrint writes it, or a tree of /Kids."""
    found: dict[int, object] = {}

    def walk(node):
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums), 2):
                found[int(nums[i])] = nums[i + 1]
        for kid in node.get("/Kids", []):
            walk(kid)

    walk(pdf.Root.StructTreeRoot.ParentTree)
    return found


def _content_failures(pdf, page_number, stream_owner, resources, tagged_mcids, seen) -> list:
    """Content of one page (or a form XObject drawn on it) that is neither an artifact nor
    marked content the structure tree reaches (PDF/UA-1 § 7.1, Matterhorn 01-005)."""
    failures = []
    where = f"page {page_number + 1}"
    stack: list[str] = []     # 'artifact', 'tagged' or 'other' for each open marked sequence
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    for operands, operator in pikepdf.parse_content_stream(stream_owner):
        op = str(operator)
        if op in ("BMC", "BDC"):
            tag = str(operands[0])
            properties = operands[1] if op == "BDC" else None
            if isinstance(properties, pikepdf.Name):
                properties = resources.Properties[properties]
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            if tag == "/Artifact":
                if "tagged" in stack:
                    failures.append(f"{where}: an artifact inside tagged content")
                stack.append("artifact")
            elif mcid is not None:
                if "artifact" in stack:
                    failures.append(f"{where}: tagged content (MCID {mcid}) inside an artifact")
                elif int(mcid) not in tagged_mcids:
                    failures.append(f"{where}: {tag} MCID {mcid} is not in the structure tree")
                stack.append("tagged")
            else:
                if not stack:
                    failures.append(f"{where}: {tag} {op} at the top level is neither an "
                                    "artifact nor tagged")
                stack.append("other")
        elif op == "EMC":
            stack.pop()
        elif op in TEXT_SHOWING | PATH_PAINTING and not ({"artifact", "tagged"} & set(stack)):
            failures.append(f"{where}: '{op}' outside any artifact or tagged content")
        elif op == "Do":
            xobject = xobjects[operands[0]]
            if xobject.Subtype == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                if {"artifact", "tagged"} & set(stack):
                    continue            # the whole form is inside one marked sequence
                failures += _content_failures(pdf, page_number, xobject,
                                              xobject.get("/Resources", resources),
                                              tagged_mcids, seen)
            elif xobject.Subtype == "/Image" and not ({"artifact", "tagged"} & set(stack)):
                failures.append(f"{where}: an image outside any artifact or tagged content")
    return failures


def pdfua_failures(path: Path) -> list[str]:
    """Every machine-checkable PDF/UA-1 rule this file breaks, as readable lines."""
    failures = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        if not str(root.get("/Lang", "")).strip():
            failures.append("no /Lang on the catalog (§ 7.2)")
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            failures.append("/MarkInfo /Marked is not true (§ 7.1)")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            failures.append("/ViewerPreferences /DisplayDocTitle is not true (§ 7.1)")
        meta = pdf.open_metadata()
        if meta.get("pdfuaid:part") != "1":
            failures.append("no pdfuaid:part 1 in the XMP metadata (§ 5)")
        if not (meta.get("dc:title") or "").strip():
            failures.append("no dc:title in the XMP metadata (§ 7.1)")
        if "/StructTreeRoot" not in root:
            return failures + ["no structure tree (§ 7.1)"]
        elements = structure_elements(pdf)
        reachable = {e.objgen for e in elements}
        role_map = root.StructTreeRoot.get("/RoleMap", {})
        headings = []
        for element in elements:
            tag = str(element.S)[1:]
            if tag not in STANDARD_TYPES and f"/{tag}" not in role_map:
                failures.append(f"/{tag} is neither a standard type nor role-mapped (§ 7.1)")
            if tag == "Figure" and not any(str(element.get(k, "")).strip()
                                           for k in ("/Alt", "/ActualText")):
                failures.append("a /Figure without /Alt or /ActualText (§ 7.3)")
            if tag == "TH" and _attribute(element, "/Scope") is None \
                    and _attribute(element, "/Headers") is None:
                failures.append("a /TH without /Scope or /Headers (§ 7.5)")
            if re.fullmatch(r"H[1-6]", tag):
                headings.append(int(tag[1]))
        if headings and headings[0] != 1:
            failures.append(f"the first heading is /H{headings[0]}, not /H1 (§ 7.4.2)")
        for before, after in zip(headings, headings[1:]):
            if after > before + 1:
                failures.append(f"heading levels skip from /H{before} to /H{after} (§ 7.4.2)")
        parents = _parent_tree(pdf)
        for number, page in enumerate(pdf.pages):
            mcids = parents.get(int(page.obj.get("/StructParents", -1)), pikepdf.Array())
            tagged = {i for i, e in enumerate(mcids)
                      if isinstance(e, pikepdf.Dictionary) and e.objgen in reachable}
            failures += _content_failures(pdf, number, page, page.obj.get("/Resources"),
                                          tagged, set())
        for font in _fonts(pdf):
            failures.append(f"the font {font} is not embedded (§ 7.21.4.1)")
    return failures


def _fonts(pdf: pikepdf.Pdf):
    """Names of fonts used on the pages without an embedded font program."""
    for page in pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            descendants = font.get("/DescendantFonts", [font])
            for part in descendants:
                descriptor = part.get("/FontDescriptor")
                if part.get("/Subtype") == "/Type3":
                    continue
                if descriptor is None or not any(k in descriptor for k in
                                                 ("/FontFile", "/FontFile2", "/FontFile3")):
                    yield str(part.get("/BaseFont"))


def _text_runs(page):
    """(marking, MCID, text) for each piece of text a page shows: marking is 'artifact' or
    'tagged' for the outermost marked sequence around it, or None; MCID that of the innermost
    sequence that has one. Decoded with the fonts' ToUnicode maps as WeasyPrint writes them
    (two-byte glyph codes, bfchar entries); a space stands for each new line or wide gap."""
    fonts = {name: _unicode_map(font)
             for name, font in page.obj.Resources.get("/Font", {}).items()}
    stack: list[tuple[str, int | None]] = []
    font: dict = {}
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        marking = stack[0][0] if stack else None
        mcid = next((m for _, m in reversed(stack) if m is not None), None)
        if op in ("BMC", "BDC"):
            properties = operands[1] if op == "BDC" else None
            own = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            stack.append(("artifact" if str(operands[0]) == "/Artifact" else "tagged",
                          None if own is None else int(own)))
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            font = fonts.get(str(operands[0]), {})
        elif op in TEXT_SHOWING:
            strings = operands[0] if op == "TJ" else [operands[-1]]
            for item in strings:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    yield marking, mcid, "".join(font.get(raw[i:i + 2], "?")
                                                 for i in range(0, len(raw), 2))
                elif float(item) < -200:
                    yield marking, mcid, " "
        elif op in ("ET", "Td", "TD", "T*", "Tm"):
            yield marking, mcid, " "


def page_texts(path: Path) -> list[tuple[str, str]]:
    """(artifact text, tagged text) of each page, in content order."""
    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            texts: dict = {"artifact": [], "tagged": [], None: []}
            for marking, _, text in _text_runs(page):
                texts[marking].append(text)
            pages.append(tuple(" ".join("".join(texts[k]).split())
                               for k in ("artifact", "tagged")))
    return pages


def structure_texts(path: Path, tag: str) -> list[str]:
    """The text of each structure element of type `tag` (such as '/Lbl'), in tree order."""
    with pikepdf.open(path) as pdf:
        by_mcid: dict = {}
        for page in pdf.pages:
            for _, mcid, text in _text_runs(page):
                if mcid is not None:
                    by_mcid[page.obj.objgen, mcid] = by_mcid.get((page.obj.objgen, mcid), "") + text
        found = []
        for element in structure_elements(pdf):
            if element.S != tag:
                continue
            parts, stack = [], [element]
            while stack:
                node = stack.pop(0)
                for kid in _kids(node):
                    if isinstance(kid, int):
                        parts.append(by_mcid.get((node.Pg.objgen, kid), ""))
                    elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                        stack.append(kid)
            found.append(" ".join("".join(parts).split()))
        return found


def _unicode_map(font) -> dict[bytes, str]:
    if "/ToUnicode" not in font:
        return {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    return {bytes.fromhex(code): bytes.fromhex(text).decode("utf-16-be")
            for code, text in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", cmap)}


# Fixture sites that build (they have golden output), each built once with PDFs on.
BUILDING_FIXTURES = sorted(p.name for p in SITES.iterdir() if (p / "expected").is_dir())


def _with_pdfs(site: Path) -> Path:
    settings = site / "content/site.yaml"
    settings.write_text(settings.read_text() + "pdf: true\n")
    return site


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory) -> Path:
    """document-features with PDFs on and, beside its described map, a decorative image."""
    site = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(SITES / "document-features", site)
    _with_pdfs(site)
    page = site / "content/testby/politik/index.md"
    page.write_text(page.read_text().replace(
        "## Vores mål", "![](kort.png){.decorative}\n\n## Vores mål", 1))
    out = site / "public"
    result = build(site, out)
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    return out


@pytest.fixture(scope="session")
def real_pdfs(tmp_path_factory) -> Path:
    """The real site (content/site.yaml has pdf: true), built once."""
    out = tmp_path_factory.mktemp("real-pdf") / "public"
    result = build(ROOT, out)
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    assert sorted(out.rglob("*.pdf")), "the real site made no PDFs"
    return out


def test_page_links_its_pdf_with_format_and_size(pdf_site):
    html = (pdf_site / "testby/politik/index.html").read_text()
    pdf = pdf_site / "testby/politik/politik.pdf"
    assert pdf.exists()
    kb = max(1, round(pdf.stat().st_size / 1000))
    # "PDF" said once (issue 29): the format is in the link's words and its type.
    assert f'<a href="politik.pdf" type="application/pdf">Hent politikken som PDF ' \
           f'<span class="file-info">({kb} kB)</span></a>' in html
    assert "@@PDF-SIZE@@" not in html


def test_pdf_is_tagged_with_language_title_alt_and_table_headers(pdf_site):
    pdf = pikepdf.open(pdf_site / "testby/politik/politik.pdf")
    root = pdf.Root
    assert str(root.Lang) == "da"
    assert bool(root.MarkInfo.Marked)
    assert bool(root.ViewerPreferences.DisplayDocTitle)
    meta = pdf.open_metadata()
    assert meta.get("pdfuaid:part") == "1"
    assert meta.get("dc:title") == "Testby Kommunes Handicappolitik"
    elements = structure_elements(pdf)
    tags = [str(e.S) for e in elements]
    assert tags.count("/H1") == 1 and "/H2" in tags and "/H3" in tags
    assert "/TH" in tags and "/Caption" in tags and "/BlockQuote" in tags


def test_every_pdf_of_the_real_site_passes_the_pdfua_checks(real_pdfs):
    failures = {str(p.relative_to(real_pdfs)): pdfua_failures(p)
                for p in sorted(real_pdfs.rglob("*.pdf"))}
    assert len(failures) == 12
    assert {name: found for name, found in failures.items() if found} == {}


@pytest.mark.parametrize("fixture", BUILDING_FIXTURES)
def test_every_pdf_of_a_fixture_site_passes_the_pdfua_checks(tmp_path, fixture):
    site = tmp_path / "site"
    shutil.copytree(SITES / fixture, site)
    result = build(_with_pdfs(site), site / "public")
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    pdfs = sorted((site / "public").rglob("*.pdf"))
    assert pdfs
    assert {p.name: pdfua_failures(p) for p in pdfs} == {p.name: [] for p in pdfs}


def _weasyprint_alone(out: Path, page: str, target: Path) -> Path:
    """The PDF WeasyPrint makes of a built page with the same stylesheet, but without
    site_gen's finishing of the tags."""
    import weasyprint

    from site_gen.pdf import PDF_CSS, _fetcher_for

    css = weasyprint.CSS(string=PDF_CSS % {"title": '"T"', "owner": '"O"', "state": '"S"'})
    weasyprint.HTML(filename=str(out / page), url_fetcher=_fetcher_for(out, weasyprint),
                    media_type="print").render(stylesheets=[css]).write_pdf(
        target, pdf_variant="pdf/ua-1")
    return target


def test_the_checks_fail_what_weasyprint_alone_leaves(real_pdfs, pdf_site, tmp_path):
    """The checker is not a rubber stamp: a PDF from WeasyPrint alone, with the running
    header, breaks the figure, table-header and untagged-content rules."""
    found = pdfua_failures(_weasyprint_alone(
        real_pdfs, "koebenhavn/handicappolitik-2023-2026/letlaest/index.html", tmp_path / "a.pdf"))
    found += pdfua_failures(_weasyprint_alone(pdf_site, "testby/politik/index.html",
                                              tmp_path / "b.pdf"))
    assert "a /Figure without /Alt or /ActualText (§ 7.3)" in found
    assert "a /TH without /Scope or /Headers (§ 7.5)" in found
    assert any("is not in the structure tree" in line for line in found)


def _marked_sequences(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """Each top-level marked-content sequence of every page: its tag and its operators."""
    found = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            depth, tag, ops = 0, "", []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BMC", "BDC"):
                    if depth == 0:
                        tag, ops = str(operands[0]), []
                    depth += 1
                elif op == "EMC":
                    depth -= 1
                    if depth == 0:
                        found.append((tag, tuple(ops)))
                elif depth:
                    ops.append(op)
    return found


def _figures_become_artifacts(out: Path, page: str, pdf: str, tmp_path: Path) -> list:
    """The drawings WeasyPrint alone tags /Figure, and which of them are drawn as
    /Artifact in site_gen's PDF (same layout, same operators); no /Figure is left untagged."""
    raw = _marked_sequences(_weasyprint_alone(out, page, tmp_path / "raw.pdf"))
    ours = _marked_sequences(out / pdf)
    drawings = [ops for tag, ops in raw if tag == "/Figure"]
    artifacts = [ops for tag, ops in ours if tag == "/Artifact"]
    kept = [ops for tag, ops in ours if tag == "/Figure"]
    assert len(ours) == len(raw)
    return drawings, list((Counter(drawings) & Counter(artifacts)).elements()), kept


def test_decorative_images_are_artifacts_and_described_images_figures(pdf_site, tmp_path):
    with pikepdf.open(pdf_site / "testby/politik/politik.pdf") as pdf:
        figures = [e for e in structure_elements(pdf) if e.S == "/Figure"]
    assert [str(f.Alt) for f in figures] == ["Kort over Testby med de tilgængelige stier markeret"]
    drawings, artifacts, kept = _figures_become_artifacts(
        pdf_site, "testby/politik/index.html", "testby/politik/politik.pdf", tmp_path)
    assert len(drawings) == 2 and len(artifacts) == 1 and len(kept) == 1


def test_easy_read_pictograms_are_artifacts(real_pdfs, tmp_path):
    folder = "koebenhavn/handicappolitik-2023-2026/letlaest/"
    html = (real_pdfs / folder / "index.html").read_text()
    pictograms = html.count('class="pictogram"')
    main = html.split("<main")[1].split("</main>")[0]
    sections = main.count("<h2") - main.count('id="svaere-ord"')   # the word list has none
    with pikepdf.open(real_pdfs / folder / "handicappolitik-2023-2026-letlaest.pdf") as pdf:
        assert not [e for e in structure_elements(pdf) if e.S == "/Figure"]
    drawings, artifacts, kept = _figures_become_artifacts(
        real_pdfs, folder + "index.html", folder + "handicappolitik-2023-2026-letlaest.pdf",
        tmp_path)
    # a picture for each section of the text and for the parts the layout adds ("Hvad
    # betyder det for dig?", "Hvem kan jeg spørge?": issues 19, 26)
    assert pictograms == sections >= 12 and len(drawings) == len(artifacts) == pictograms
    assert not kept


def test_table_headers_have_the_scope_of_the_html(pdf_site):
    html = (pdf_site / "testby/politik/index.html").read_text()
    expected = ["/Column" if scope == "col" else "/Row"
                for scope in re.findall(r'<th[^>]* scope="(\w+)"', html)]
    with pikepdf.open(pdf_site / "testby/politik/politik.pdf") as pdf:
        headers = [e for e in structure_elements(pdf) if e.S == "/TH"]
        assert [str(_attribute(th, "/Scope")) for th in headers] == expected
        assert expected.count("/Row") == 2 and expected.count("/Column") == 3
        # Each data cell's /Headers resolves through the /IDTree.
        ids = {bytes(name) for name in pdf.Root.StructTreeRoot.IDTree.Names[::2]}
        cells = [e for e in structure_elements(pdf) if e.S == "/TD"]
        assert cells and all({bytes(h) for h in _attribute(td, "/Headers")} <= ids for td in cells)


def test_every_page_shows_title_owner_status_dates_and_its_number(pdf_site):
    pages = page_texts(pdf_site / "testby/politik/politik.pdf")
    for number, (running, _) in enumerate(pages, start=1):
        assert running == ("Testby Kommunes Handicappolitik Testby Kommune Status: Gældende · "
                           f"Vedtaget 28. juni 2023 · Opdateret 15. januar 2024 "
                           f"Side {number} af {len(pages)}")


@pytest.mark.parametrize("pdf, title, owner, state", [
    ("albertslund/handicappolitik-handlingsplan-2012-2014/"
     "handicappolitik-handlingsplan-2012-2014.pdf", "Handicappolitik handlingsplan",
     "Albertslund Kommune", "Status: Udløbet · Periode 2012 – juli 2014"),
    ("koebenhavn/handicappolitik-2023-2026/letlaest/handicappolitik-2023-2026-letlaest.pdf",
     "Københavns Kommunes Handicappolitik 2023-2026 – let at læse", "Københavns Kommune",
     "Status: Gældende · Periode 2023–2026"),
    ("herlev/handicappolitik/handicappolitik.pdf", "Herlev Kommunes Handicappolitik",
     "Herlev Kommune", "Status: Offentliggjort · Udgivet juni 2023"),
    ("glostrup/handicappolitik/handicappolitik.pdf", "Glostrup Kommunes Handicappolitik",
     "Glostrup Kommune", "Status: Vedtaget · Uden dato"),
])
def test_real_pdfs_are_citable_page_by_page(real_pdfs, pdf, title, owner, state):
    pages = page_texts(real_pdfs / pdf)
    assert len(pages) > 1
    for number, (running, _) in enumerate(pages, start=1):
        assert running == f"{title} {owner} {state} Side {number} af {len(pages)}"


def test_numbered_lists_keep_their_start(real_pdfs):
    """'26. september 2025' is a list starting at 26 in the HTML; the PDF must not print it
    as '1. september 2025' (WeasyPrint ignores `start` without presentational hints)."""
    pdf = "koebenhavn/supplerende-bemaerkninger-handicapraadet-2025/" \
          "supplerende-bemaerkninger-handicapraadet-2025.pdf"
    assert "26." in structure_texts(real_pdfs / pdf, "/Lbl")


def test_running_header_shows_quotes_and_backslashes_as_written(tmp_path):
    """A title is a CSS string in the PDF stylesheet: quotes and backslashes are escaped,
    not read as CSS."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair", site)
    _with_pdfs(site)
    page = site / "content/testby/politik/index.md"
    text = page.read_text()
    title = text.split("title: ", 1)[1].split("\n", 1)[0]
    page.write_text(text.replace(f"title: {title}",
                                 "title: 'Plan \"A\" \\ B; } @page { margin: 0 }'", 1))
    result = build(site, site / "public")
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    running, _ = page_texts(next((site / "public").rglob("politik.pdf")))[0]
    assert running.startswith('Plan "A" \\ B; } @page { margin: 0 } Testby Kommune')


def test_no_pdf_names_site_gen(real_pdfs):
    """No PDF names site_gen (issue 17), not even in its metadata; a PDF names the
    municipality that owns the document, not the site's owner."""
    for path in sorted(real_pdfs.rglob("*.pdf")):
        text = " ".join(" ".join(page) for page in page_texts(path))
        with pikepdf.open(path) as pdf:
            info = " ".join(str(v) for v in pdf.docinfo.values())
            xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "site_gen" not in text + info + xmp, path
        # nor the website's name, except where its editors are named as the writers of a part:
        # an easy-read version, or an editors' note (issue 26)
        said = " ".join(text.split())
        for credit in ("Redaktionen af Handicappolitikker har skrevet den korte udgave.",
                       "Dette afsnit er skrevet af redaktionen af Handicappolitikker."):
            said = said.replace(credit, "")
        assert "Handicappolitikker" not in said, path


def test_metadata_comes_from_the_front_matter(pdf_site):
    with pikepdf.open(pdf_site / "testby/politik/politik.pdf") as pdf:
        info = {k: str(v) for k, v in pdf.docinfo.items()}
        meta = pdf.open_metadata()
        assert info == {
            "/Title": "Testby Kommunes Handicappolitik",
            "/Author": "Testby Kommune",
            "/Subject": "Sådan vil Testby Kommune gøre livet lettere for borgere med handicap.",
            "/CreationDate": "D:20230628",
            "/ModDate": "D:20240115",
            "/Producer": f"WeasyPrint {__import__('weasyprint').__version__}",
        }
        assert meta.get("dc:creator") == ["Testby Kommune"]
        assert str(pdf.Root.Lang) == "da"
        with pdf.open_outline() as outline:              # bookmarks from the headings
            titles = [item.title for item in outline.root]
            titles += [child.title for item in outline.root for child in item.children]
        assert titles[:3] == ["Testby Kommunes Handicappolitik", "Forord", "Vores mål"]


def test_pdfs_are_byte_identical_between_builds(tmp_path):
    """Two builds in fresh processes with different hash seeds give the same PDF bytes: the
    /ID comes from the content and the dates from the front matter."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "easy-read-pair", site)
    _with_pdfs(site)
    made = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "-o", str(out)],
                                cwd=site, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        made.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.pdf"))})
    assert len(made[0]) == 2 and made[0] == made[1]
