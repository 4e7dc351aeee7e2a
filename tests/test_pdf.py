"""Tagged PDFs (PDF/UA-1) made by WeasyPrint, checked with pikepdf since veraPDF is not
available here (issues 6 and 18; publishing.md § 4.7).

`pdfua_failures` checks every PDF/UA-1 rule a machine can check from the file alone (README,
"PDF"); it runs over every PDF of the real site and of every fixture site that builds.
"""
from __future__ import annotations

import re
import shutil
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


def page_texts(path: Path) -> list[tuple[str, str]]:
    """(artifact text, tagged text) of each page, decoded with the fonts' ToUnicode maps as
    WeasyPrint writes them (two-byte glyph codes, bfchar entries)."""
    pages = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            fonts = {name: _unicode_map(font)
                     for name, font in page.obj.Resources.get("/Font", {}).items()}
            texts = {"artifact": [], "tagged": []}
            stack: list[str] = []
            font = {}
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BMC", "BDC"):
                    stack.append("artifact" if str(operands[0]) == "/Artifact" else "tagged")
                elif op == "EMC":
                    stack.pop()
                elif op == "Tf":
                    font = fonts.get(str(operands[0]), {})
                elif op in TEXT_SHOWING and stack:
                    strings = operands[-1] if op != "TJ" else operands[0]
                    for item in (strings if op == "TJ" else [strings]):
                        if isinstance(item, pikepdf.String):
                            raw = bytes(item)
                            texts[stack[0]].append("".join(
                                font.get(raw[i:i + 2], "?") for i in range(0, len(raw), 2)))
                        elif float(item) < -200:
                            texts[stack[0]].append(" ")
                elif op in ("ET", "Td", "TD", "T*", "Tm"):
                    if stack:
                        texts[stack[0]].append(" ")
            pages.append(tuple(" ".join("".join(texts[k]).split())
                               for k in ("artifact", "tagged")))
    return pages


def _unicode_map(font) -> dict[bytes, str]:
    if "/ToUnicode" not in font:
        return {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    return {bytes.fromhex(code): bytes.fromhex(text).decode("utf-16-be")
            for code, text in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", cmap)}
