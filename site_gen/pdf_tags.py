"""What WeasyPrint's PDF/UA-1 tagging leaves to us (issue 18), part of the write stage.

WeasyPrint 70 tags every image as /Figure, even a decorative one (alt=""), leaves /Scope off
table header cells, and gives the text of @page margin boxes MCIDs whose structure elements
hang outside the tree instead of marking it as an artifact (its pdf/tags.py; upstream
Kozea/WeasyPrint#1836). PDF/UA-1 § 7.1 and § 7.3 need all three fixed:

- `scope_table_headers` runs as WeasyPrint's `finisher`, while the table cells still know
  their HTML element, and copies each <th>'s `scope` to its /TH as /Scope.
- `finish_tags` rewrites the written PDF with pikepdf: the marked content of margin boxes and
  of figures without a description becomes /Artifact in the page content, their structure
  elements leave the tree, and the /TH ids get the /IDTree their /Headers need.
"""
from __future__ import annotations

import io

import pikepdf

# HTML `scope` (https://html.spec.whatwg.org/#attr-th-scope) to PDF /Scope
# (ISO 32000-1 § 14.8.5.7).
SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}
# Table parts keep their place in the tree even when empty: an empty cell is still a cell.
TABLE_PARTS = {"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"}


def scope_table_headers(document, pdf) -> None:
    """WeasyPrint finisher: /Scope on every /TH from its <th>'s `scope`. A <th> without one
    is in HTML's auto state: a column header in a row of header cells, else a row header.

    WeasyPrint keeps each cell's structure element on the cell's box as `mark` (its
    pdf/tags.py); if a later version stops doing so, the tests' every-/TH-has-/Scope check
    fails rather than a PDF going out without scopes unnoticed."""
    for page in document.pages:
        for box in page._page_box.descendants():
            mark = getattr(box, "mark", None)
            if mark is None or getattr(box, "element_tag", None) != "th":
                continue
            scope = SCOPES.get((box.element.get("scope") or "").strip().lower())
            if scope is None:
                row = _row_tags(page._page_box, box)
                scope = "/Column" if all(tag == "th" for tag in row) else "/Row"
            mark["A"]["Scope"] = scope


def _row_tags(page_box, cell) -> list[str]:
    """The element tags of the cells in `cell`'s row."""
    for box in page_box.descendants():
        children = getattr(box, "children", ())
        if any(child is cell for child in children):
            return [getattr(child, "element_tag", None) for child in children]
    return []


def finish_tags(data: bytes) -> bytes:
    """The PDF `data` with margin-box text and undescribed figures as artifacts, and an
    /IDTree; saved with an /ID computed from the content, so builds stay byte-identical."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.StructTreeRoot
        reachable = _subtree(tree)
        decorative = [e for e in reachable.values() if e.get("/S") == "/Figure"
                      and not any(str(e.get(k, "")).strip() for k in ("/Alt", "/ActualText"))]
        removed = {key for element in decorative for key in _subtree(element)}
        parents = _parent_tree_arrays(tree)
        for page in pdf.pages:
            mcids = parents.get(int(page.obj.get("/StructParents", -1)))
            if mcids is None:
                continue
            artifacts = {}
            for mcid, element in enumerate(mcids):
                if not isinstance(element, pikepdf.Dictionary):
                    continue
                if element.objgen not in reachable:         # a margin box's text
                    artifacts[mcid] = "pagination"
                elif element.objgen in removed:             # a decorative image
                    artifacts[mcid] = "decorative"
                else:
                    continue
                mcids[mcid] = None
            if artifacts:
                _mark_artifacts(pdf, page.obj, page.obj.get("/Resources"), artifacts, set())
        for element in decorative:
            _remove_element(element)
        _add_id_tree(pdf, tree)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _subtree(node) -> dict:
    """Structure elements at and below `node`, keyed by object id."""
    found = {}
    stack = [node]
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and element.objgen not in found:
            if "/S" in element:
                found[element.objgen] = element
            stack.extend(_kids(element))
    return found


def _parent_tree_arrays(tree) -> dict:
    """StructParents key -> the page's MCID array, from a flat /Nums or a tree of /Kids."""
    found = {}
    stack = [tree.ParentTree]
    while stack:
        node = stack.pop()
        nums = node.get("/Nums", [])
        for i in range(0, len(nums) - 1, 2):
            if isinstance(nums[i + 1], pikepdf.Array):
                found[int(nums[i])] = nums[i + 1]
        stack.extend(node.get("/Kids", []))
    return found


def _mark_artifacts(pdf, owner, resources, artifacts: dict, seen: set) -> None:
    """Rewrite the content of a page (or a form XObject drawn on it): each marked-content
    sequence with an MCID in `artifacts` becomes an /Artifact (a /Pagination one for page
    headers and footers, ISO 32000-1 § 14.8.2.2)."""
    instructions = []
    changed = False
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    for item in pikepdf.parse_content_stream(owner):
        if isinstance(item, pikepdf.ContentStreamInstruction) and str(item.operator) == "BDC":
            properties = item.operands[1]
            if isinstance(properties, pikepdf.Name):
                properties = resources.Properties[properties]
            mcid = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            kind = artifacts.get(int(mcid)) if mcid is not None else None
            if kind == "pagination":
                item = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)],
                    pikepdf.Operator("BDC"))
            elif kind == "decorative":
                item = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact],
                                                        pikepdf.Operator("BMC"))
            changed = changed or kind is not None
        elif isinstance(item, pikepdf.ContentStreamInstruction) and str(item.operator) == "Do":
            xobject = xobjects.get(item.operands[0])
            if xobject is not None and xobject.get("/Subtype") == "/Form" \
                    and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                _mark_artifacts(pdf, xobject, xobject.get("/Resources", resources), artifacts,
                                seen)
        instructions.append(item)
    if changed:
        data = pikepdf.unparse_content_stream(instructions)
        if isinstance(owner, pikepdf.Stream):
            owner.write(data)
        else:
            owner.Contents = pdf.make_stream(data)


def _remove_element(element) -> None:
    """Take `element` out of its parent's kids; a parent left empty goes too, except table
    parts (an empty cell is still a cell) and the document itself."""
    parent = element.get("/P")
    if parent is None or "/K" not in parent:
        return
    kids = [kid for kid in _kids(parent)
            if not (isinstance(kid, pikepdf.Dictionary) and kid.objgen == element.objgen)]
    parent.K = pikepdf.Array(kids)
    if not kids and "/S" in parent and str(parent.S) not in TABLE_PARTS | {"/Document"}:
        _remove_element(parent)


def _add_id_tree(pdf, tree) -> None:
    """The /IDTree that resolves the /ID of each /TH named in the cells' /Headers
    (ISO 32000-1 § 14.7.2: required when elements have IDs)."""
    ids = sorted((bytes(element.ID), element) for element in _subtree(tree).values()
                 if "/ID" in element)
    if ids:
        names = pikepdf.Array()
        for key, element in ids:
            names.append(pikepdf.String(key))
            names.append(element)
        tree.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))
