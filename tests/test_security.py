"""Nothing unsafe is published (README, "Security"; issue 22): text from front matter, the
glossary and site.yaml is escaped on every page kind, raw HTML allowed by `allow_html` is
cleaned to the allowlist, and links to `javascript:` and friends are refused.

Each test names the guarantee it protects. Each was seen to fail with that guarantee removed
by hand (autoescape off in layout.py, `sanitise` skipped in markdown/__init__.py, the unsafe-link
check off in checks/links.py); the README's "Security" section lists which test guards what.
"""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pikepdf
import pytest
from selectolax.lexbor import LexborHTMLParser

from helpers import build, options_for, run_cli
from site_gen.markdown.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from site_gen.problems import Severity

HERE = Path(__file__).resolve().parent / "security"
ESCAPING_SITE = HERE / "escaping"          # every text field carries PAYLOAD
SANITISER_SITE = HERE / "sanitiser"        # allow_html: true, bodies full of XSS payloads

# Markup, both quotes (to break out of either kind of attribute) and template syntax: written
# into every text field of ESCAPING_SITE, after a word that says which field it is.
PAYLOAD = """<script>alert(1)</script>"><img src=x onerror=alert(1)>'onfocus='alert(1)' {{ 7*7 }}"""
# What a page may carry that no author wrote: scripts from the site's assets/ and Pagefind,
# the search page's one inline line, the preview error page's style sheet, /was/'s redirect
# (shared/guides/publishing.md § 4.6, § 2.2).
SEARCH_SCRIPTS = {'document.querySelector(".search-ui").hidden = false;'}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "srcset", "background", "cite", "ping")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
NEVER_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base",
              "form", "input", "button", "textarea", "select", "template", "noscript",
              "xmp", "plaintext", "portal", "link"}     # link: allowed only in <head>, see below


EVALUATED = PAYLOAD.replace("{{ 7*7 }}", "49")    # what a template engine would make of it


def squash(text: str) -> str:
    return " ".join(text.split())


def field(word: str) -> str:
    """A text field of the fixture as the author wrote it, e.g. 'Titel <script>...'."""
    return f"{word} {PAYLOAD}"


# --- building --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def escaped(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("escaping") / "public"
    result = build(ESCAPING_SITE, out)
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    # The markup in the bodies is shown as text, and the author is told so; nothing else
    # (but that the payload's odd words are hard for an easy-read reader: er-hard-word).
    assert {p.code for p in result.problems if p.severity >= Severity.WARNING
            and p.code != "er-hard-word"} == {"raw-html"}
    return out


@pytest.fixture(scope="module")
def sanitised(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sanitiser") / "public"
    result = build(SANITISER_SITE, out)
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    return out


def html_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html")
                  if not p.relative_to(folder).as_posix().startswith("pagefind/"))


# --- what a page may not carry -----------------------------------------------------------

def _scheme(value: str) -> str:
    """A URL as a browser reads its scheme, lower-cased: browsers drop tabs and newlines
    anywhere and controls and spaces at the ends (here: anywhere, to be strict). The HTML
    parser has already decoded entities such as &#106;."""
    return re.sub(r"[\x00-\x20]", "", value).lower()


def foreign_markup(html: str, folder: Path | None, page: str = "",
                   allow_style: bool = False, allow_refresh: str | None = None) -> list[str]:
    """Elements, attributes and URLs on a page that no layout puts there: each as a line.
    `folder`: images must be files of the built site."""
    tree = LexborHTMLParser(html)
    found = []
    for node in tree.css("*"):
        tag, attrs = node.tag, node.attributes
        where = f"{page}: <{tag}>"
        if tag in NEVER_TAGS and not (tag == "link" and node.parent and node.parent.tag == "head") \
                and not _header_search(node):
            found.append(f"{where} element")
        if tag == "script" and not _our_script(node, folder, page) \
                and attrs.get("type") != "text/pagefind-template":   # data, never run
            found.append(f"{where} {attrs.get('src') or node.text()[:60]!r}")
        if tag == "style" and not allow_style:
            found.append(f"{where} element")
        if tag == "meta" and "http-equiv" in attrs and attrs.get("content") != allow_refresh:
            found.append(f"{where} http-equiv={attrs['http-equiv']!r} {attrs.get('content')!r}")
        for name, value in attrs.items():
            if not re.fullmatch(r"[a-z][a-z0-9-]*(:[a-z]+)?", name) or name.startswith("on"):
                found.append(f"{where} attribute {name!r}")
            if name == "style" and not allow_style:
                found.append(f"{where} style attribute {value!r}")
            if name in URL_ATTRIBUTES and value and _scheme(value).startswith(BAD_SCHEMES):
                found.append(f"{where} {name}={value!r}")
        if tag == "img" and folder and _site_file(folder, page, attrs.get("src")) is None:
            found.append(f"{where} src={attrs.get('src')!r} is not a file of the site")
    return found


def _header_search(node) -> bool:
    """The layout's own search field in the page header (issue 16): a GET form to the search
    page, its field and its button; no other form anywhere."""
    form = node
    while form is not None and form.tag != "form":
        form = form.parent
    return form is not None and node.tag in ("form", "input", "button") \
        and form.attributes.get("class") == "site-search" \
        and form.attributes.get("method") == "get" \
        and (form.attributes.get("action") or "").endswith("/soeg/") \
        and form.parent is not None and form.parent.parent is not None \
        and form.parent.parent.tag == "header"


def _site_file(folder: Path, page: str, url: str | None) -> Path | None:
    """The built file a root-relative or relative URL names, if there is one."""
    path = unquote((url or "").split("?")[0].split("#")[0])
    if not path or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", path):
        return None
    base = folder if path.startswith("/") else (folder / page).parent
    file = (base / path.lstrip("/")).resolve()
    return file if file.is_file() and file.is_relative_to(folder.resolve()) else None


def _our_script(node, folder: Path | None, page: str) -> bool:
    """A script the layouts load: a file of the site's own assets/ or Pagefind's bundle, or
    the search page's one line; never one from content."""
    if "src" not in node.attributes:
        return page == "soeg/index.html" and node.text().strip() in SEARCH_SCRIPTS
    file = _site_file(folder, page, node.attributes["src"]) if folder else None
    return file is not None and \
        file.relative_to(folder.resolve()).parts[0] in ("assets", "pagefind")


# --- 1. escaping on every page kind -------------------------------------------------------

PAGES = ["404.html", "andenby/index.html", "index.html", "om-webstedet/index.html", "soeg/index.html",
         "sprograpport/index.html", "testby/index.html", "testby/plan/index.html",
         "testby/politik/index.html", "testby/politik/letlaest/index.html",
         "tilgaengelighed/index.html", "was/index.html"]


def test_every_page_kind_is_checked(escaped):
    """Guards the escaping tests themselves: a new kind of page must be added to PAGES."""
    assert html_files(escaped) == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_text_fields_add_no_markup_to_any_page(escaped, page):
    """Guarantee: Jinja autoescape (layout.py) and the Markdown renderer's escaping keep every
    text field from front matter, the glossary and site.yaml from adding an element, an
    event-handler attribute or a `javascript:`/`data:` URL to a page."""
    html = (escaped / page).read_text(encoding="utf-8")
    refresh = "0; url=/tilgaengelighed/" if page == "was/index.html" else None
    assert foreign_markup(html, escaped, page, allow_refresh=refresh) == []
    assert EVALUATED not in squash(LexborHTMLParser(html).text())


# On every page made from base.html: (CSS selector, attribute or None for the text, value).
EVERY_PAGE = [
    ("header .site-title a", None, field("Sitetitel")),
    (".site-nav a", None, field("Menupunkt")),
    (".site-nav a", "href", '/"><script>alert(1)</script>/'),
    ('meta[property="og:site_name"]', "content", field("Sitetitel")),
]
# The footer names the page's owner: the site's owner (publisher) on site pages, the
# municipality on a document's pages, with the site's owner on a line below (issue 17).
SITE_OWNER = [
    (".footer-owner", None, "Ansvarlig: " + field("Udgiver")),
    ('footer a[href^="mailto:"]', "href", 'mailto:udgiver"><svg/onload=alert(1)>@test.example'),
    ('footer a[href^="tel:"]', None, "+45 43 59 10 00"),
    ('footer a[href^="tel:"]', "href", "tel:+4543591000"),
    ("footer address", None, f"{field('Udgiveradresse')} Telefon: +45 43 59 10 00 E-mail: "
     f"""udgiver"><svg/onload=alert(1)>@test.example Åbningstider: {field('Udgivertider')}"""),
]
DOCUMENT_OWNER = [
    (".footer-site-owner", None,
     f"Webstedet {field('Sitetitel')} udgives af {field('Udgiver')}."),
]
DOCUMENT = [
    # The title names the municipality (issue 29).
    ("title", None, f"{field('Titel')} – {field('Kommunenavn')} – {field('Sitetitel')}"),
    ('meta[name="description"]', "content", field("Resumé")),
    ('meta[property="og:title"]', "content", f"{field('Titel')} – {field('Kommunenavn')}"),
    ("h1", None, field("Titel")),
    ("main > .summary", None, field("Resumé")),
    (".breadcrumbs li:nth-child(2) a", None, field("Kommunenavn")),
    (".breadcrumbs [aria-current]", None, field("Titel")),
    (".metadata div:first-child dd", None, field("Kommunenavn")),
    (".toc li:first-child > a", None, field("Afsnit")),
    (".content h2", None, field("Afsnit")),
    (".content > p:nth-of-type(1)", None, field("Brødtekst")),
    (".content abbr", "title", field("Forkortelsesnavn")),
    ('.content img[src="kort.png"]', "alt", field("Billedtekst")),
    (".content .goal .box-label", None, field("Pejlemærke")),
    (".content figcaption", None, field("Citatkilde")),
    (".content .factbox .box-label", None, field("Faktatitel")),
    (".content caption", None, field("Tabeltekst")),
    ('.content th[scope="col"]', None, field("Kolonne")),
    ('.content th[scope="row"]', "data-label", field("Kolonne")),
    ('.content th[scope="row"]', None, field("Rækkehoved")),
    (".content td", None, field("Celle")),
    ('.content a[href="/testby/plan/"]', None, field("Linktekst")),
    ('.content span[lang="en"]', None, field("fremmed tekst")),
    (".footnote-item p", None, field("Fodnote") + " Tilbage til teksten"),
    (".terms dt:nth-of-type(1)", None, "XSS"),          # its full form is in the dd
    (".terms dd:nth-of-type(1)", None, field("Forkortelsesnavn")),
    (".terms dd:nth-of-type(2)", None, field("Forklaring")),
    ('.content a[href="#ord-b-fed-b-ord"]', None, """<b>fed</b>"'ord"""),   # a glossary term
    ("#ord-b-fed-b-ord", None, """<b>fed</b>"'ord"""),
    (".terms dd:nth-of-type(3)", None, field("Ordforklaring")),
    (".related a", None, field("Plantitel")),
    (".history li", None, "15. januar 2024 : " + field("Ændringsnote")),
    (".owner p a", None, field("Kommunenavn")),
    (".owner p a", "href", 'https://testby.example/"><script>alert(1)</script>'),
    (".owner address", None, f"{field('Kontaktnavn')} {field('Kontaktadresse')} Telefon: "
                             "+45 43 59 10 00 "
                             'E-mail: kontakt"><svg/onload=alert(1)>@testby.example'),
]
EXPECTED = {
    "testby/politik/index.html": DOCUMENT,
    "testby/politik/letlaest/index.html": [
        ("title", None, f"{field('Lettitel')} – {field('Kommunenavn')} – {field('Sitetitel')}"),
        ("h1", None, field("Lettitel")),
        ("main > .summary", None, field("Letresumé")),
        (".breadcrumbs li:nth-child(3) a", None, field("Titel")),
        (".tested", None, f"{field('Udgiver')} har skrevet den korte udgave."),
        (".tested + .tested", None, f"{field('Testgruppe')} har testet teksten i maj 2026."),
        # one sentence a paragraph on an easy-read page (issue 16)
        (".content p:last-child", None, field("Lettekst")),
        (".terms dd", None, field("Letforklaring") + " Gå op til ordet"),
    ],
    "testby/plan/index.html": [
        ("h1", None, field("Plantitel")),
        ("main > .summary", None, field("Planresumé")),
        (".related a", None, field("Titel")),
    ],
    "index.html": [
        ("title", None, f"Forside – {field('Sitetitel')}"),
        ("h1", None, field("Sitetitel")),
        ('meta[name="description"]', "content", field("Sitebeskrivelse")),
        ("main > .summary", None, field("Sitebeskrivelse")),
        ("main h2 a", None, field("Kommunenavn")),
        ('.document-list a[href="/testby/politik/"]', None, field("Titel")),
        ('.document-list a[href="/testby/plan/"]', None, field("Plantitel")),
    ],
    "testby/index.html": [
        ("title", None, f"{field('Kommunenavn')} – {field('Sitetitel')}"),
        ("h1", None, field("Kommunenavn")),
        ("main > .summary", None, f"Politikker og planer fra {field('Kommunenavn')} om "
                                  "handicapområdet."),
        ('.document-list a[href="/testby/politik/"]', None, field("Titel")),
    ],
    "andenby/index.html": [
        ("h1", None, field("Andenkommune")),
        ("main > p:nth-of-type(2)", None, f"Der er endnu ingen dokumenter fra "
                                          f"{field('Andenkommune')}."),
    ],
    "404.html": [("main h3", None, field("Kommunenavn")),
                 ('main a[href="/testby/plan/"]', None, field("Plantitel"))],
    "soeg/index.html": [('.search-fallback a[href="/testby/"]', None,
                         "Dokumenter fra " + field("Kommunenavn"))],
    "sprograpport/index.html": [("title", None, f"Sprograpport – {field('Sitetitel')}")],
    "om-webstedet/index.html": [
        ("main > .summary", None, f"{field('Sitetitel')} udgives af {field('Udgiver')}."),
    ],
    "tilgaengelighed/index.html": [
        ("main > .summary", None, f"{field('Udgiver')} ønsker at gøre {field('Sitetitel')} "
         "tilgængelig for alle i overensstemmelse med lov om tilgængelighed af offentlige "
         "organers websteder og mobilapplikationer."),
        ("main ul:first-of-type li", None, field("Kendt problem")),
        ('main a[href^="tel:"]', None, "+45 43 59 10 00"),
        ('main a[href^="mailto:"]', "href",
         """mailto:erklaering'"><svg/onload=alert(1)>@test.example"""),
    ],
    "was/index.html": [
        ("title", None, f"Tilgængelighedserklæring – {field('Sitetitel')}"),
        ("main a", None, f"gå til tilgængelighedserklæringen for {field('Sitetitel')}"),
    ],
}


@pytest.mark.parametrize("page", PAGES)
def test_text_fields_show_literally_where_they_belong(escaped, page):
    """Guarantee: escaping, not removal. Each field's text, markup and `{{ 7*7 }}` included,
    is shown as the author wrote it (never evaluated to 49), where the layout puts it."""
    tree = LexborHTMLParser((escaped / page).read_text(encoding="utf-8"))
    expected = EXPECTED[page] + (EVERY_PAGE if page != "was/index.html" else [])
    if page.count("/") >= 2:
        expected = expected + DOCUMENT_OWNER
    elif page != "was/index.html":
        expected = expected + SITE_OWNER
    wrong = []
    for selector, attribute, want in expected:
        node = tree.css_first(selector)
        # Text nodes are joined by a space: "<time>15. januar 2024</time>: x" reads "... 2024 : x".
        got = None if node is None else \
            node.attributes.get(attribute) if attribute else squash(node.text(separator=" "))
        if got != want:
            wrong.append(f"{selector} {attribute or 'text'}:\n  want {want!r}\n  got  {got!r}")
    assert not wrong, "\n".join(wrong)


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_and_sitemap_stay_well_formed_with_the_text_as_text(escaped):
    """Guarantee: autoescape also covers the XML layouts: the Atom feed and the sitemap parse
    as XML, hold only their own elements, and carry the titles and summaries as text."""
    feed = ET.parse(escaped / "feed.xml").getroot()
    assert {e.tag for e in feed.iter()} <= {f"{ATOM}{n}" for n in (
        "feed", "title", "id", "link", "updated", "author", "name", "entry", "summary")}
    assert feed.find(f"{ATOM}title").text == field("Sitetitel") + ": nye og ændrede dokumenter"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == field("Udgiver")
    entries = {e.find(f"{ATOM}title").text: e.find(f"{ATOM}summary").text
               for e in feed.findall(f"{ATOM}entry")}
    assert entries == {field("Titel"): "Opdateret: " + field("Resumé"),
                       field("Plantitel"): field("Planresumé")}
    sitemap = ET.parse(escaped / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter() if e.tag.endswith("}loc")]
    assert locs and all(re.fullmatch(r"https://test\.example/[a-z0-9/-]*", u) for u in locs)
    assert PAYLOAD not in (escaped / "robots.txt").read_text()


def test_readability_report_json_is_data(escaped):
    """Guarantee: /sprograpport/rapport.json is JSON data about each page, nothing else."""
    data = json.loads((escaped / "sprograpport/rapport.json").read_text(encoding="utf-8"))
    assert sorted(row["url"] for row in data["pages"]) == [
        "/testby/plan/", "/testby/politik/", "/testby/politik/letlaest/"]
    text = json.dumps(data)
    assert "<" not in text and "javascript:" not in text


PDFS = {"testby/politik/politik.pdf": ["Titel", "Resumé", "Brødtekst", "Tabeltekst",
                                       "Forkortelsesnavn", "Fodnote"],
        "testby/politik/letlaest/politik-letlaest.pdf": ["Lettitel", "Letresumé", "Lettekst"],
        "testby/plan/plan.pdf": ["Plantitel", "Planresumé"]}


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_shows_the_text_literally_and_holds_no_script(escaped, name):
    """Guarantee: the PDF, made from the same escaped HTML, shows the fields as text (the
    markup is not swallowed as elements), and carries no JavaScript or launch actions."""
    from pypdf import PdfReader
    assert sorted(p.relative_to(escaped).as_posix() for p in escaped.rglob("*.pdf")) == sorted(PDFS)
    text = squash(" ".join(page.extract_text() for page in PdfReader(escaped / name).pages))
    compact = text.replace(" ", "")
    for word in PDFS[name]:
        assert field(word).replace(" ", "") in compact, f"{word} is not shown literally in {name}"
    assert EVALUATED.replace(" ", "") not in compact
    with pikepdf.open(escaped / name) as pdf:
        assert pdf.open_metadata().get("dc:title").startswith(field(PDFS[name][0]))
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            assert not {"/JS", "/JavaScript", "/Launch", "/AA"} & set(obj.keys()), obj
            uri = str(obj.get("/URI", ""))
            assert not _scheme(uri).startswith(BAD_SCHEMES), uri


def test_statement_address_with_quotes_stays_an_attribute(tmp_path):
    """Guarantee: autoescape in /was/'s redirect and the footer: a statement address from
    site.yaml with quotes in it stays one attribute value and redirects nowhere else."""
    site = tmp_path / "site"
    shutil.copytree(ESCAPING_SITE, site)
    settings = site / "content/site.yaml"
    address = 'https://was.digst.dk/x"><script>alert(1)</script>\'onfocus=\'alert(1)\''
    text = settings.read_text(encoding="utf-8").replace(
        "  reviewed:", f"  url: >-\n    {address}\n  reviewed:", 1)
    settings.write_text(text.replace("pdf: true", "pdf: false"), encoding="utf-8")
    result = build(site, tmp_path / "public")
    assert result.wrote, "\n".join(result.problems.sorted_lines())
    for page in ("was/index.html", "index.html"):
        html = (tmp_path / "public" / page).read_text(encoding="utf-8")
        refresh = f"0; url={address}" if page == "was/index.html" else None
        assert foreign_markup(html, tmp_path / "public", page, allow_refresh=refresh) == []
        tree = LexborHTMLParser(html)
        link = "main a" if page == "was/index.html" else ".footer-links li:first-child a"
        assert tree.css_first(link).attributes["href"] == address


def test_preview_error_page_shows_problems_and_address_as_text(tmp_path):
    """Guarantee: the preview's error page (serve.error_page) escapes the problem lines, which
    quote what the author wrote, and the address asked for."""
    from site_gen.serve import Preview, make_responder
    site = tmp_path / "site"
    shutil.copytree(ESCAPING_SITE, site)
    plan = site / "content/testby/plan/index.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "kind: action-plan", f"kind: >-\n  {field('Slags')}"), encoding="utf-8")
    odd = site / "content/testby/<img src=x onerror=alert(1)>"
    odd.mkdir()
    shutil.copy(site / "content/testby/plan/index.md", odd / "index.md")
    settings = site / "content/site.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("pdf: true", "pdf: false"),
                        encoding="utf-8")
    preview = Preview(options_for(site, tmp_path / "preview"))
    assert not preview.rebuild().wrote
    path = '/testby/"><script>alert(1)</script>/'
    status, _, body = make_responder(preview)(path, "")
    html = body.decode("utf-8")
    assert status == 200 and "Siden kunne ikke bygges" in html
    assert foreign_markup(html, None, "error page", allow_style=True) == []
    tree = LexborHTMLParser(html)
    assert all("alert" not in style.text() for style in tree.css("style"))
    items = [squash(li.text()) for li in tree.css("main li")]
    assert any(f"'{field('Slags')}' er ikke en af" in item for item in items), items
    assert any("<img src=x onerror=alert(1)>" in item for item in items), items
    assert tree.css_first("main p:last-child a").attributes["href"] == path + "?sidste-gode"


# --- 2. raw HTML allowed by the settings is sanitised ----------------------------------------

SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
SANITISED_PAGES = ["testby/politik/index.html", "testby/politik/letlaest/index.html"]


def outside_allowlist(html: str) -> list[str]:
    """Elements, attributes and URL schemes in a page's content that the allowlist
    (markdown/sanitise.py: ALLOWED_TAGS, ALLOWED_ATTRIBUTES, http/https/mailto/tel) does not
    name."""
    found = []
    for content in LexborHTMLParser(html).css("main .content"):
        for node in content.css("*"):
            allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(node.tag, set())
            if node.tag not in ALLOWED_TAGS:
                found.append(f"<{node.tag}> element")
            for name, value in node.attributes.items():
                if name not in allowed:
                    found.append(f"<{node.tag} {name}={value!r}>")
                url = _scheme(value or "")
                if name in URL_ATTRIBUTES and re.match(r"[a-z][a-z0-9+.-]*:", url) \
                        and not url.startswith(SAFE_SCHEMES):
                    found.append(f"<{node.tag} {name}={value!r}> scheme")
    return found


def test_sanitised_site_has_only_its_own_pages(sanitised):
    """Guards the sanitiser tests themselves: every page with author HTML is checked."""
    assert [p for p in html_files(sanitised) if p.startswith("testby/politik/")] == SANITISED_PAGES


@pytest.mark.parametrize("page", SANITISED_PAGES)
def test_allowed_html_is_cleaned_to_the_allowlist(sanitised, page):
    """Guarantee: with `allow_html: true`, nh3 (markdown/sanitise.py) cleans raw HTML to the
    allowlist: no script, style, frame, object, form, SVG or MathML, no event handler, no
    `javascript:`/`vbscript:`/`data:`/`file:` URL, however the payload is cased or encoded."""
    html = (sanitised / page).read_text(encoding="utf-8")
    assert outside_allowlist(html) == []
    # Images the sanitiser leaves (src=x, without the handler) are harmless, if missing.
    assert foreign_markup(html, None, page) == []
    # Nothing swallowed: the owner is named in the footer, or on a document page in its own
    # section instead (issue 29).
    tree = LexborHTMLParser(html)
    owner = tree.css_first("main section.owner p") or tree.css_first("footer .footer-owner")
    assert owner is not None and owner.text().removeprefix("Ansvarlig: ") == "Testby Kommune"


def test_allowed_html_keeps_the_allowlisted_structure(sanitised):
    """Guarantee: the sanitiser keeps what the allowlist names (it is not a blanket strip)."""
    tree = LexborHTMLParser((sanitised / "testby/politik/index.html").read_text(encoding="utf-8"))
    first = tree.css_first("main .content > p")
    assert first.html == ('<p>Et afsnit med <strong>fed</strong>, <em>kursiv</em> og <a '
                          'href="https://example.org/" title="Eksempel">et sikkert link</a>.</p>')
    hrefs = [a.attributes.get("href") for a in tree.css("main .content a")]
    assert {"mailto:post@test.example", "tel:11223344", "/testby/"} <= set(hrefs)
    img = tree.css_first('main .content img[src="kort.png"]')
    assert img.attributes == {"src": "kort.png", "alt": "Kort over Testby", "width": "10",
                              "height": "10"}
    assert tree.css_first("main .content table caption").text() == "Tabel i HTML"
    assert tree.css_first("main .content details summary").text() == "Mere"
    assert tree.css_first("#boks").attributes == {"id": "boks", "class": "boks",
                                                  "role": "button", "tabindex": "0"}


UNSAFE_LINKS = ["[a](javascript:alert(1))", "[a](JaVaScRiPt:alert(1))", "[a]( javascript:alert(1))",
                "[a](<javascript:alert(1)>)", "[a](vbscript:msgbox(1))",
                "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
                "[a](file:///etc/passwd)", "![a](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
                "![a](JAVASCRIPT:alert(1))"]


def test_unsafe_markdown_links_are_refused_with_their_line(tmp_path):
    """Guarantee: the unsafe-link check (checks/links.py): a Markdown link or image to
    `javascript:`, `vbscript:`, `data:` or `file:` is an error on its line, and nothing is
    written (markdown-it alone would show it as text, silently)."""
    site = tmp_path / "site"
    shutil.copytree(SANITISER_SITE, site)
    page = site / "content/testby/politik/index.md"
    text = page.read_text(encoding="utf-8")
    first = text.count("\n", 0, text.index("## Slut")) + 3
    page.write_text(text.replace("## Slut\n", "## Slut\n\n" + "\n\n".join(UNSAFE_LINKS) + "\n"),
                    encoding="utf-8")
    result = build(site, tmp_path / "public")
    assert not result.wrote and not (tmp_path / "public").exists()
    lines = sorted(p.line for p in result.problems if p.code == "unsafe-link"
                   and p.severity is Severity.ERROR and p.path.endswith("politik/index.md"))
    assert lines == [first + 2 * n for n in range(len(UNSAFE_LINKS))]


@pytest.mark.english
def test_base_url_from_the_command_line_must_be_a_web_address(tmp_path):
    """Guarantee: no script from the command line. `--base-url` is held to the rule of
    `base_url` in site.yaml; a `javascript:` address would be every page's canonical link
    and every link in the feed."""
    site = tmp_path / "site"
    shutil.copytree(SANITISER_SITE, site)
    result = run_cli("--base-url", "JaVaScRiPt:alert(1)//", cwd=site)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--base-url" in result.stderr
    assert "'JaVaScRiPt:alert(1)//' must be a web address starting with https://" in result.stderr
    assert not (site / "public").exists()


# --- 3. nothing runs in a real browser -------------------------------------------------------

# Runs in every frame before the page's own scripts: records each dialog a payload asks for,
# from a frame into the top window too, instead of opening it (a handler that opens a dialog
# again on each focus would otherwise hold the browser). A dialog from a frame it misses
# still opens, and WebDriver sees it.
DIALOG_RECORDER = """
(() => {
  const seen = [];
  Object.defineProperty(window, "__dialogs", {value: seen});
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = function (...args) {
      seen.push(`${name}(${args.join(", ")})`);
      try { if (window.top !== window) window.top.__dialogs.push(`${name} in a frame`); }
      catch (e) {}
      return name === "confirm" ? false : null;
    };
  }
})();
"""
# What a reader could do to set off a handler: point at, focus and open everything, and
# follow every javascript: link or form action there is (there should be none).
PROVOKE = """
const done = arguments[arguments.length - 1];
for (const el of document.querySelectorAll("body *")) {
  for (const type of ["pointerover", "pointerenter", "mouseover", "mouseenter"]) {
    el.dispatchEvent(new MouseEvent(type, {bubbles: true}));
  }
  if (el.focus) el.focus();
  if (el.tagName === "DETAILS") el.open = true;
}
for (const el of document.querySelectorAll("a[href], area[href]")) {
  if (el.protocol === "javascript:") el.click();
}
for (const el of document.querySelectorAll("[formaction], form[action]")) {
  if ((el.formAction || el.action || "").toLowerCase().startsWith("javascript:")) el.click();
}
setTimeout(() => done(window.__dialogs.slice()), 300);
"""


def _dialogs_on(driver, url: str) -> list[str]:
    """The dialogs a page opened while loading and while being provoked."""
    from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException
    opened = []
    try:
        driver.get(url)
        opened += driver.execute_async_script(PROVOKE) or []
    except UnexpectedAlertPresentException as exc:
        opened.append(f"dialog {exc.alert_text!r}")
    try:
        opened.append(f"dialog {driver.switch_to.alert.text!r}")
    except NoAlertPresentException:
        pass
    _leave(driver)
    return [f"{url}: {what}" for what in opened]


def _leave(driver) -> None:
    """Close what a page left open and go to a blank page, so the next page starts clean
    (a handler can open a dialog again each time one is closed)."""
    from selenium.common.exceptions import NoAlertPresentException, UnexpectedAlertPresentException
    for _ in range(50):
        try:
            driver.switch_to.alert.accept()
            driver.get("about:blank")
            break
        except NoAlertPresentException:
            break
        except UnexpectedAlertPresentException:
            continue
    else:
        pytest.fail("a dialog keeps opening; the browser cannot leave the page")

CANARIES = {"load.html": "<img src=x onerror=alert(1)>",
            "pointer.html": "<p onmouseover=alert(2)>x</p>",
            "focus.html": "<p tabindex=0 onfocus='this.onfocus=null; alert(3)'>x</p>",
            "link.html": "<a href='JaVaScRiPt:alert(4)'>x</a>",
            "form.html": "<form><button formaction='javascript:alert(5)'>x</button></form>",
            "frame.html": "<iframe srcdoc='<script>alert(6)</script>'></iframe>"}


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """Chromium with the dialog recorder in every new document."""
    from browser import start_chromium
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": DIALOG_RECORDER})
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def served(escaped, sanitised, tmp_path_factory):
    """The two payload sites, and canary pages that prove the detector sees each way a
    payload could run, each on its own 127.0.0.1 server."""
    from browser import StaticServer
    canary = tmp_path_factory.mktemp("canary")
    for name, body in CANARIES.items():
        (canary / name).write_text(f"<!doctype html><title>x</title>{body}", encoding="utf-8")
    servers = {"escaped": (StaticServer(escaped), escaped),
               "sanitised": (StaticServer(sanitised), sanitised),
               "canary": (StaticServer(canary), canary)}
    yield servers
    for server, _ in servers.values():
        server.stop()


@pytest.mark.a11y
def test_no_payload_opens_a_dialog_in_chromium(chromium, served):
    """Guarantee: nothing from content or settings runs. Every page of both payload sites is
    loaded in Chromium, pointed at, focused and its javascript: links followed; no alert,
    confirm or prompt may open (escaping: layout.py autoescape; sanitising:
    markdown/sanitise.py)."""
    canary_server, _ = served["canary"]
    for name in CANARIES:
        assert _dialogs_on(chromium, f"{canary_server.url}/{name}"), f"{name} was not seen"
    opened, visited = [], 0
    for site in ("escaped", "sanitised"):
        server, folder = served[site]
        for page in html_files(folder):
            opened += _dialogs_on(chromium, f"{server.url}/{page}")
            visited += 1
    assert visited == len(PAGES) + len(html_files(served["sanitised"][1]))
    assert opened == []


@pytest.mark.a11y
def test_search_results_show_the_text_literally_in_chromium(chromium, served):
    """Guarantee: the search page's results (Pagefind, from the indexed pages) show the
    escaped title and text as text: no element from them, no dialog."""
    from selenium.common.exceptions import NoAlertPresentException, TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    server, _ = served["escaped"]
    chromium.get(server.url + "/soeg/")
    box = WebDriverWait(chromium, 20).until(
        lambda d: d.execute_script("return document.querySelector('pagefind-input input')"))
    box.send_keys("brødtekst")
    results = lambda d: d.execute_script(
        "const r = document.querySelector('pagefind-results'); return r ? r.innerHTML : ''")
    try:
        WebDriverWait(chromium, 20).until(lambda d: d.execute_script(   # an element, not the
            "return document.querySelector('pagefind-results a.pf-result-link')"))  # template
    except TimeoutException:
        pytest.fail(f"no result for 'brødtekst': {results(chromium)[:500]}")
    html = results(chromium)
    assert foreign_markup(html, None, "search results") == []
    titles = [squash(a.text()) for a in LexborHTMLParser(html).css(".pf-result-link")]
    assert titles == [f"{field('Titel')}, {field('Kommunenavn')}"]   # issue 29
    assert chromium.execute_script("return window.__dialogs.slice()") == []
    with pytest.raises(NoAlertPresentException):
        chromium.switch_to.alert
