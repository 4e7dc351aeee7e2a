"""Nothing unsafe is published (issue 14): an SVG or PDF beside a document, or in
layouts/assets/, that could run script or reach other files is refused before anything is
written; a plain one is published byte for byte. tests/sites/ holds the build-level cases
(svg-*, pdf-*, layout-asset-svg-script); these name each way in one at a time."""
from __future__ import annotations

import shutil

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from helpers import ROOT, SITES, build, tree_snapshot
from site_gen.assets import layout_assets, pdf_findings, svg_findings

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


def _svg(body: str, root: str = SVG_OPEN) -> bytes:
    return f"{root}{body}</svg>".encode()


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    '<rect onload="alert(1)"/>',
    '<rect ONCLICK="alert(1)"/>',
    '<a href="javascript:alert(1)"><text>x</text></a>',
    '<a xlink:href="&#x20;jav&#x09;ascript:alert(1)"><text>x</text></a>',
    '<a href="https://example.dk/"><text>x</text></a>',
    '<use href="andet.svg#figur"/>',
    '<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>',
    '<feImage href="https://evil.example/x.png"/>',
    '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
    '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
    '<set attributeName="href" to="javascript:alert(1)"/>',
    '<animate attributeName="href" values="javascript:alert(1)"/>',
    "<style>@import 'https://evil.example/x.css';</style>",
    "<style>&#64;import 'https://evil.example/x.css';</style>",
    "<style><![CDATA[rect { fill: url(https://evil.example/x.svg#a) }]]></style>",
    "<style>rect { background: image-set('https://evil.example/x.png' 1x) }</style>",
    r"<style>rect { fill: u\72l(https://evil.example/) }</style>",
    '<rect style="fill: url(&quot;data:image/png;base64,AA&quot;)"/>',
    '<rect fill="url(https://evil.example/x.svg#g)"/>',
    '<rect xml:base="https://evil.example/"/>',
    '<rect xlink:actuate="onLoad"/>',
    '<inkscape:x xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" onclick="a()"/>',
    '<inkscape:x xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape">'
    "<script>alert(1)</script></inkscape:x>",
    '<?xml-stylesheet type="text/xsl" href="data:text/xml,x"?>',
])
def test_each_way_to_run_script_or_load_a_file_is_refused(body):
    findings, unreadable = svg_findings(_svg(body))
    assert unreadable is None
    assert findings, f"not refused: {body}"


@pytest.mark.parametrize("data, reason", [
    (b'<!DOCTYPE svg [<!ENTITY a "x">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "DOCTYPE"),
    (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "DOCTYPE"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect', "not well-formed"),
    (b'<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"/>',
     "not UTF-8"),
    ("<svg xmlns='http://www.w3.org/2000/svg'/>".encode("utf-16"), "not UTF-8"),
])
def test_svg_that_cannot_be_read_safely_is_refused(data, reason):
    findings, unreadable = svg_findings(data)
    assert unreadable is not None and reason in unreadable[1]


def test_svg_without_the_svg_namespace_is_refused():
    findings, _ = svg_findings(b"<svg><script>alert(1)</script></svg>")
    assert findings


def test_plain_drawings_pass():
    """Site_gen's own pictograms (OpenMoji) and an Inkscape file with its editor data."""
    pictograms = layout_assets([ROOT / "layouts"])
    svgs = [path for path in pictograms.values() if path.suffix == ".svg"]
    assert len(svgs) >= 20
    for path in svgs:
        assert svg_findings(path.read_bytes()) == ([], None), path
    editor = ROOT / "tests/sites/svg-from-an-editor/content/testby/politik/kort.svg"
    assert svg_findings(editor.read_bytes()) == ([], None)
    inner = _svg('<defs><linearGradient id="g"/></defs><rect fill="url(#g)" '
                 'style="stroke: url( \'#g\' )"/><use xlink:href="#g"/><a href="#g"><text '
                 'aria-label="x">x</text></a>')
    assert svg_findings(inner) == ([], None)


def _pdf(tmp_path, change=None, name="bilag.pdf"):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change:
        change(pdf)
    path = tmp_path / name
    pdf.save(path)
    return path


def _js(pdf):
    return Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))


@pytest.mark.parametrize("change", [
    lambda pdf: setattr(pdf.Root, "OpenAction", _js(pdf)),
    lambda pdf: setattr(pdf.Root, "Names", Dictionary(JavaScript=Dictionary(
        Names=Array([String("a"), pdf.make_indirect(_js(pdf))])))),
    lambda pdf: setattr(pdf.pages[0].obj, "AA", Dictionary(O=_js(pdf))),
    lambda pdf: setattr(pdf.Root, "OpenAction", Dictionary(S=Name.Launch,
                                                           F=String("calc.exe"))),
    lambda pdf: setattr(pdf.pages[0].obj, "Annots", Array([Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 9, 9]),
        A=Dictionary(S=Name.URI, URI=String(" JavaScript:alert(1)")))])),
    lambda pdf: pdf.attachments.__setitem__("x.exe", pikepdf.AttachedFileSpec(pdf, b"MZ")),
    lambda pdf: setattr(pdf.Root, "AcroForm", Dictionary(Fields=Array(), XFA=String("<x/>"))),
], ids=["open-action-js", "names-js", "page-aa", "launch", "uri-js", "embedded", "xfa"])
def test_pdf_that_acts_is_refused(tmp_path, change):
    findings, unreadable = pdf_findings(_pdf(tmp_path, change))
    assert unreadable is None and findings


def test_pdf_name_written_with_escapes_is_still_seen(tmp_path):
    path = _pdf(tmp_path, lambda pdf: setattr(pdf.Root, "OpenAction", _js(pdf)))
    data = path.read_bytes().replace(b"/JS (", b"/J#53 (").replace(b"/JavaScript",
                                                                   b"/Java#53cript")
    path.write_bytes(data)
    assert pdf_findings(path)[0]


def test_plain_pdf_with_a_web_link_and_a_start_page_passes(tmp_path):
    def change(pdf):
        pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])
        pdf.pages[0].obj.Annots = Array([Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 9, 9]),
            A=Dictionary(S=Name.URI, URI=String("https://example.dk/")))])
    assert pdf_findings(_pdf(tmp_path, change)) == ([], None)


def test_pdf_that_cannot_be_read_is_refused(tmp_path):
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7\nnot really")
    findings, unreadable = pdf_findings(tmp_path / "x.pdf")
    assert unreadable and str(tmp_path) not in unreadable


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "document-features", site)
    return site


def test_unsafe_svg_stops_the_build_before_anything_is_written(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out).wrote
    before = tree_snapshot(out)
    (site / "content/testby/politik/kort.svg").write_bytes(_svg('<rect onload="x()"/>'))
    result = build(site, out)
    assert not result.wrote
    assert [(p.path, p.code) for p in result.problems if p.code == "unsafe-svg"] == \
        [("content/testby/politik/kort.svg", "unsafe-svg")]
    assert tree_snapshot(out) == before


def test_plain_svg_and_pdf_are_published_unchanged(site, tmp_path):
    editor = ROOT / "tests/sites/svg-from-an-editor/content/testby/politik/kort.svg"
    shutil.copy(editor, site / "content/testby/politik/kort.svg")
    pdf = _pdf(site / "content/testby/politik", name="bilag.pdf")
    out = tmp_path / "out"
    result = build(site, out)
    assert result.wrote, result.problems.sorted_lines()
    assert (out / "testby/politik/kort.svg").read_bytes() == editor.read_bytes()
    assert (out / "testby/politik/bilag.pdf").read_bytes() == pdf.read_bytes()


def test_pdf_nested_too_deeply_to_check_is_refused(tmp_path):
    def change(pdf):
        inner = Dictionary(S=Name.JavaScript, JS=String("app.alert(1)"))
        for _ in range(80):
            inner = Array([inner])
        pdf.Root.Extra = inner
    findings, unreadable = pdf_findings(_pdf(tmp_path, change))
    assert findings or unreadable
