"""Assets: the files published as they are (images and PDFs beside a document, and the
files of layouts/assets/), checked before anything is written.

An SVG opened on its own runs its scripts on the site's own address, and a PDF can carry
JavaScript, launch programs or hide files. Nothing unsafe is published (issue 14), so such
a file is refused with an error naming it and what to do; it is never silently changed.

Why refuse rather than clean: a cleaned SVG is a different picture from the one the author
saw (text in a foreignObject, an embedded image or a style vanish), and a warning would
still publish it with exit 0. Refusing keeps the published bytes the author's own and makes
the fix theirs: save the drawing again as plain SVG or as PNG. The check is an allowlist
(elements, attributes, namespaces), so whatever it does not know is refused, not passed.
"""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from xml.sax import SAXParseException, handler

from .i18n import _
from .memo import Memo, digest
from .outputs import ASSETS_FOLDER
from .problems import Problems

MAX_NAMED = 5                # findings named in one message

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Editors' own data (Inkscape, Sodipodi, Illustrator, Sketch, RDF licence metadata): a
# browser keeps elements in these namespaces as inert data and never runs or loads them.
EDITOR_NAMESPACES = frozenset({
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#", "http://web.resource.org/cc/",
    "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/",
    "http://ns.adobe.com/AdobeIllustrator/10.0/", "http://ns.adobe.com/Extensibility/1.0/",
    "http://ns.adobe.com/Graphs/1.0/", "http://ns.adobe.com/Variables/1.0/",
    "http://ns.adobe.com/SaveForWeb/1.0/", "http://www.bohemiancoding.com/sketch/ns",
})
# Static SVG drawing (SVG 1.1 / SVG 2). Left out on purpose: script, foreignObject (HTML
# inside), animation (animate and set can rewrite a link into javascript:, and moving
# content needs a pause button, WCAG 2.2.2), fonts and cursors (they load other files).
SVG_ELEMENTS = frozenset("""
    svg g defs title desc metadata symbol use switch view a style
    path rect circle ellipse line polyline polygon text tspan textpath image
    lineargradient radialgradient stop pattern clippath mask marker filter
    feblend fecolormatrix fecomponenttransfer fecomposite feconvolvematrix
    fediffuselighting fedisplacementmap fedistantlight fedropshadow feflood fefunca fefuncb
    fefuncg fefuncr fegaussianblur feimage femerge femergenode femorphology feoffset
    fepointlight fespecularlighting fespotlight fetile feturbulence
""".split())
# Geometry, presentation and text attributes; compared in lower case. No event handler
# (on...) is here, and nothing that names another file except href, checked below.
SVG_ATTRIBUTES = frozenset("""
    id class style lang tabindex role focusable version baseprofile
    x y x1 x2 y1 y2 cx cy r rx ry fx fy fr dx dy d points width height viewbox
    preserveaspectratio transform transform-origin pathlength href
    fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity
    color color-interpolation color-interpolation-filters color-rendering display
    visibility overflow clip clip-path clip-rule clippathunits mask mask-type
    maskunits maskcontentunits filter filterunits primitiveunits marker-start marker-mid
    marker-end markerwidth markerheight markerunits refx refy orient paint-order
    shape-rendering image-rendering text-rendering vector-effect mix-blend-mode isolation
    gradientunits gradienttransform spreadmethod offset stop-color stop-opacity
    patternunits patterncontentunits patterntransform
    font-family font-size font-size-adjust font-stretch font-style font-variant
    font-weight letter-spacing word-spacing text-anchor text-decoration
    dominant-baseline alignment-baseline baseline-shift writing-mode direction
    unicode-bidi textlength lengthadjust startoffset method spacing side rotate
    systemlanguage requiredfeatures
    in in2 result mode operator k1 k2 k3 k4 values type tablevalues slope intercept
    amplitude exponent stddeviation edgemode order kernelmatrix divisor bias targetx
    targety kernelunitlength preservealpha surfacescale diffuseconstant specularconstant
    specularexponent lighting-color azimuth elevation z pointsatx pointsaty pointsatz
    limitingconeangle scale xchannelselector ychannelselector flood-color flood-opacity
    radius basefrequency numoctaves seed stitchtiles
    media title
""".split())
XLINK_ATTRIBUTES = frozenset({"href", "title"})
XML_ATTRIBUTES = frozenset({"space", "lang", "id"})       # not xml:base: it moves every link
# What a style may not hold: another file (url() to anything but '#...', @import,
# image-set()), CSS escapes that could spell those, and old script hooks.
_STYLE_DANGER = re.compile(r"@import|image-set\(|\bsrc\(|expression\(|-moz-binding|behavior"
                           r"|javascript:|\\", re.IGNORECASE)
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
BAD_SCHEMES = ("javascript", "vbscript", "data", "file")
_SCHEME = re.compile(r"^[\x00-\x20]*([a-z][a-z0-9+.\-]*)[\x00-\x20]*:", re.IGNORECASE)


def layout_assets(layout_dirs: list[Path]) -> dict[str, Path]:
    """The files of layouts/assets/, relative path -> file; a site's own layouts win."""
    chosen: dict[str, Path] = {}
    for layouts in layout_dirs:
        folder = layouts / ASSETS_FOLDER
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                chosen.setdefault(path.relative_to(folder).as_posix(), path)
    return chosen


def check_files(paths: list[Path], display, problems: Problems, memo: Memo | None = None,
                digests: dict[Path, str] | None = None) -> None:
    """Refuse every SVG and PDF in `paths` that could run script or reach other files.
    `display(path)` names a file as messages show it. What a check found is memoised under
    the digest of the file's bytes: `digests` (path -> sha256 of the bytes) when the build
    already has it (the bundles' files: `memo.file_digests`, which reads a file only when
    it changed), else read here. A build where the drawings did not change neither parses
    them nor loads the parsers (a tenth of a build after one edit).
    Problem codes: unsafe-svg, bad-svg, unsafe-pdf, bad-pdf."""
    memo = memo if memo is not None else Memo()
    digests = digests or {}
    for path in paths:
        suffix = path.suffix.lower()
        if suffix not in (".svg", ".pdf"):
            continue
        data, sha = None, digests.get(path)
        try:
            if not sha:                   # a layout's file, or one the build could not read
                data = path.read_bytes()
                sha = hashlib.sha256(data).hexdigest()
            key = digest("published-file", suffix, sha)
            found = memo.get(key)
            if found is None:
                found = svg_findings(data if data is not None else path.read_bytes()) \
                    if suffix == ".svg" else _pdf_found(pdf_findings(path))
                memo.put(key, found)
        except OSError as exc:            # not memoised: the next build reads it again
            found = [], (None, f"the file cannot be read ({exc.strerror})")
        _report(suffix, display(path), found, problems)


def _pdf_found(found: tuple[list[str], str | None]) -> tuple:
    """A PDF's findings in an SVG's shape: (what, ...) and (line, reason) or None."""
    findings, unreadable = found
    return [(None, what) for what in findings], (None, unreadable) if unreadable else None


def _report(suffix: str, shown: str, found: tuple, problems: Problems) -> None:
    findings, unreadable = found
    if suffix == ".svg" and unreadable:
        problems.error(shown, unreadable[0], "bad-svg",
                       _("the SVG cannot be checked: {unreadable}; save the drawing again as "
                          "plain SVG (UTF-8) or as PNG").format(unreadable=unreadable[1]))
    elif suffix == ".svg" and findings:
        problems.error(shown, findings[0][0], "unsafe-svg",
                       _("the SVG could run script or load other files when opened on its own: "
                          "{findings}; save the drawing again as plain SVG without them (links "
                          "only to '#...' inside the drawing), or as PNG").format(findings=_listed(findings)))
    elif unreadable:
        problems.error(shown, None, "bad-pdf",
                       _("the PDF cannot be checked: {unreadable}; export it again").format(unreadable=unreadable[1]))
    elif findings:
        problems.error(shown, None, "unsafe-pdf",
                       _("the PDF holds {findings}, which a reader's PDF viewer could run; export "
                          "it again as a plain PDF (in Word: 'Gem som PDF'), without scripts, "
                          "attachments or form actions").format(findings=_and([what for _line, what in findings])))


# --- SVG ------------------------------------------------------------------------------

def svg_findings(data: bytes) -> tuple[list[tuple[int, str]], tuple[int | None, str] | None]:
    """What an SVG holds that may not be published, as (line, what) pairs, and the line and
    reason it cannot be read at all (or None). Parsed by defusedxml: no DTD, no entities (billion
    laughs), no external entities (XXE)."""
    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import DefusedExpatParser
    if _utf8(data) is None:
        return [], (None, "it is not UTF-8 text")
    walker = _SvgWalker()
    parser = DefusedExpatParser(forbid_dtd=True)
    parser.setFeature(handler.feature_namespaces, True)
    parser.setContentHandler(walker)
    try:
        parser.parse(io.BytesIO(data))
    except DefusedXmlException:
        return [], (None, "it has a DOCTYPE or entity declarations (<!DOCTYPE ...>)")
    except SAXParseException as exc:
        return [], (exc.getLineNumber(), f"it is not well-formed XML ({exc.getMessage()})")
    return walker.findings, None


def _utf8(data: bytes) -> str | None:
    """The text, when it is UTF-8 and says no other encoding: a browser must read the same
    characters as this check does."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    declared = re.match(r"\s*<\?xml[^>]*encoding\s*=\s*['\"]([^'\"]+)", text)
    if declared and declared.group(1).lower().replace("_", "-") not in ("utf-8", "utf8",
                                                                        "us-ascii", "ascii"):
        return None
    return text


class _SvgWalker(handler.ContentHandler):
    """Looks at every element, attribute, processing instruction and style text."""

    def __init__(self):
        super().__init__()
        self.findings: list[tuple[int, str]] = []
        self.style: list[str] | None = None       # the text of the <style> being read
        self.locator = None
        self.root_seen = False

    def setDocumentLocator(self, locator) -> None:
        self.locator = locator

    def _found(self, what: str) -> None:
        self.findings.append((self.locator.getLineNumber() if self.locator else 1, what))

    def startElementNS(self, name, qname, attributes) -> None:
        namespace, local = name
        if not self.root_seen and (namespace, local) != (SVG, "svg"):
            self._found(f"<{local}> instead of <svg xmlns=\"{SVG}\"> as the outermost element")
        elif namespace is None:
            self._found(f"<{local}> outside the SVG namespace")
        elif namespace != SVG and namespace not in EDITOR_NAMESPACES:
            self._found(f"<{local}> from {namespace}")
        elif namespace == SVG and local.lower() not in SVG_ELEMENTS:
            self._found(f"<{local}>")
        self.root_seen = True
        if namespace == SVG and local.lower() == "style":
            self.style = []
        for key, value in attributes.items():
            self._check_attribute(key[0], key[1], value, namespace in EDITOR_NAMESPACES)

    def endElementNS(self, name, qname) -> None:
        if name[0] == SVG and name[1].lower() == "style" and self.style is not None:
            self._check_style("".join(self.style), "<style>")
            self.style = None

    def characters(self, content: str) -> None:
        if self.style is not None:          # checked whole: a character reference splits it
            self.style.append(content)

    def processingInstruction(self, target: str, data: str) -> None:
        self._found(f"<?{target} ...?> (it can load a style sheet or a transformation)")

    def _check_attribute(self, namespace, name: str, value: str, inert: bool) -> None:
        """`inert`: the element is an editor's data, which a browser never runs."""
        lowered = name.lower()
        shown = {None: "", XLINK: "xlink:", XML: "xml:"}.get(namespace, f"{{{namespace}}}") + name
        if namespace in EDITOR_NAMESPACES:
            return
        allowed = (namespace is None and (lowered in SVG_ATTRIBUTES or inert
                                          or lowered.startswith(("aria-", "data-"))))
        allowed |= namespace == XLINK and lowered in XLINK_ATTRIBUTES
        allowed |= namespace == XML and lowered in XML_ATTRIBUTES
        if lowered.startswith("on"):
            self._found(f"the attribute {shown}, which runs script")
        elif not allowed:
            self._found(f"the attribute {shown}")
        elif lowered == "href":
            if value.strip() and not value.strip().startswith("#"):
                self._found(f"a link to '{_short(value)}'")
        elif (scheme := _SCHEME.match(value)) and scheme.group(1).lower() in BAD_SCHEMES:
            self._found(f"{shown}=\"{_short(value)}\"")
        elif lowered == "style" or "url(" in value.lower():
            self._check_style(value, f"the attribute {shown}")

    def _check_style(self, css: str, where: str) -> None:
        danger = _STYLE_DANGER.search(css)
        if danger:
            self._found(f"{where} with '{danger.group()}'")
        for target in _URL.findall(css):
            if not target.startswith("#"):
                self._found(f"{where} with url({_short(target)})")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _listed(findings: list[tuple[int, str]]) -> str:
    distinct = list(dict.fromkeys(f"{what} (line {line})" for line, what in findings))
    more = len(distinct) - MAX_NAMED
    return "; ".join(distinct[:MAX_NAMED]) + (f"; and {more} more" if more > 0 else "")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# --- PDF ------------------------------------------------------------------------------

# Keys that make a PDF act rather than show: JavaScript, actions on opening, closing,
# printing or moving the mouse (/AA), programs started (/Launch), files inside the PDF,
# XFA forms (they hold script), Flash (/RichMedia), and forms sent elsewhere.
_PDF_KEYS = {"/JS": "JavaScript", "/JavaScript": "JavaScript", "/AA": "automatic actions (/AA)",
             "/Launch": "a launch action", "/EmbeddedFiles": "embedded files",
             "/EmbeddedFile": "embedded files", "/XFA": "an XFA form (it holds script)",
             "/RichMedia": "rich media (Flash)"}
_PDF_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "a launch action",
                "/SubmitForm": "a form that sends data", "/ImportData": "a form that imports data",
                "/GoToE": "a link into an embedded file", "/Rendition": "a media action (it can "
                "run JavaScript)", "/FileAttachment": "an attached file"}


def pdf_findings(path: Path) -> tuple[list[str], str | None]:
    """What a PDF holds that may not be published, and the reason it cannot be read (or
    None). Read with pikepdf (qpdf): names, streams and object streams as a viewer sees
    them, so an escaped /J#53 is still /JS."""
    import pikepdf
    try:
        with pikepdf.open(path) as pdf:
            found: list[str] = []
            for item in [pdf.trailer, *pdf.objects]:
                _walk_pdf(item, found, pikepdf, 0)
            return list(dict.fromkeys(found)), None
    except pikepdf.PasswordError:
        return [], "it is locked with a password; save it again without one"
    except Exception as exc:        # qpdf raises several kinds for a damaged file; all are bad input
        reason = str(exc).replace(f"{path}: ", "")       # qpdf names the file; we already do
        return [], f"it is not a readable PDF ({_short(reason)})"


def _walk_pdf(item, found: list[str], pikepdf, depth: int) -> None:
    """One object and its direct parts; indirect ones are visited from `pdf.objects`."""
    if depth > 64:
        found.append("objects nested too deeply to be checked")
        return
    if isinstance(item, pikepdf.Stream):
        item = item.stream_dict
    if isinstance(item, pikepdf.Dictionary):
        keys = set(item.keys())
        for key in keys & _PDF_KEYS.keys():
            found.append(_PDF_KEYS[key])
        kind = item.get("/S") if "/S" in keys else item.get("/Subtype")
        if isinstance(kind, pikepdf.Name) and str(kind) in _PDF_ACTIONS:
            found.append(_PDF_ACTIONS[str(kind)])
        if "/URI" in keys and str(item.get("/S", "")) == "/URI":
            target = item.get("/URI")
            scheme = _SCHEME.match(str(target))
            if scheme and scheme.group(1).lower() in BAD_SCHEMES:
                found.append(f"a link to '{_short(str(target))}'")
        children = (item.get(key) for key in keys)
    elif isinstance(item, pikepdf.Array):
        children = iter(item)
    else:
        return
    for child in children:
        if isinstance(child, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) \
                and not child.is_indirect:
            _walk_pdf(child, found, pikepdf, depth + 1)


